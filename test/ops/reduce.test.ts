import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('reduce');

type Args = { axes?: number | number[] | null; axis?: number | null; keepDims?: boolean; exclusive?: boolean; reverse?: boolean; sliceT?: boolean };

/** x[:, ::2].t() when the fixture recorded its input before that slice and transpose. */
const prepared = (x: sd.Tensor, a: { sliceT?: boolean }): sd.Tensor => (a.sliceT ? sd.transpose(sd.index(x, ':, ::2')) : x);

/** The Shendu call each fixture family stands for, driven by the case's recorded args. */
const ops: Record<string, (x: sd.Tensor, a: Args) => sd.Tensor> = {
  sum: (x, a) => sd.sum(x, a.axes ?? undefined, a.keepDims ?? false),
  mean: (x, a) => sd.mean(x, a.axes ?? undefined, a.keepDims ?? false),
  prod: (x, a) => sd.prod(x, a.axes ?? undefined, a.keepDims ?? false),
  max: (x, a) => sd.max(x, a.axes ?? undefined, a.keepDims ?? false),
  min: (x, a) => sd.min(x, a.axes ?? undefined, a.keepDims ?? false),
  all: (x, a) => sd.all(x, a.axes ?? undefined, a.keepDims ?? false),
  any: (x, a) => sd.any(x, a.axes ?? undefined, a.keepDims ?? false),
  argmax: (x, a) => sd.argmax(x, a.axis ?? undefined, a.keepDims ?? false),
  argmin: (x, a) => sd.argmin(x, a.axis ?? undefined, a.keepDims ?? false),
  cumsum: (x, a) => sd.cumsum(x, a.axis!, { exclusive: a.exclusive, reverse: a.reverse }),
};

describeEachBackend('reduce', () => {
  for (const [name, c] of fixtures) {
    const op = ops[name.slice(0, name.indexOf('_'))];
    if (!op) continue; // statistics and norms are tested in their own files
    it(`matches PyTorch: ${name} ${JSON.stringify(c.args)}`, () => {
      checkFixture(fixtures, name, (x) => op(prepared(x, c.args as Args), c.args as Args));
    });
  }

  it('keeps dtypes as PyTorch does: bool sums as int32, int32 stays int32, arg* give int32', () => {
    assert.equal(sd.sum(sd.tensor([true, true])).dtype, 'int32');
    assert.equal(sd.prod(sd.tensor(new Int32Array([2, 3]))).dtype, 'int32');
    assert.equal(sd.max(sd.tensor([true, false])).dtype, 'bool');
    assert.equal(sd.argmax(sd.tensor([1, 2])).dtype, 'int32');
    assert.equal(sd.all(sd.tensor([1, 2])).dtype, 'bool');
    assert.equal(sd.sum(sd.tensor([1, 2], undefined, 'float64')).dtype, 'float64');
  });

  it('reduces scalars over axis 0 or -1 and over nothing', () => {
    const s = sd.scalar(3);
    for (const op of [sd.sum, sd.prod, sd.max, sd.min]) {
      assertClose(op(s), 3);
      assertClose(op(s, 0), 3);
      assertClose(op(s, -1, true), 3);
    }
    assertClose(sd.argmax(s, 0), 0);
    assertClose(sd.argmin(s, undefined, true), 0);
    assertClose(sd.cumsum(s, -1, { exclusive: true }), 0);
  });

  it('reduces over no axes when given an empty list', () => {
    const x = sd.tensor([[1, 2], [3, 4]]);
    assertClose(sd.max(x, []), [[1, 2], [3, 4]]);
    assertClose(sd.prod(x, [], true), [[1, 2], [3, 4]]);
    assert.deepEqual(sd.all(x, []).array(), [[true, true], [true, true]]);
  });

  it('gives the identity over zero elements: sum 0, prod 1, all true, any false; mean NaN', () => {
    const e = sd.zeros([0, 2]);
    assertClose(sd.sum(e), 0);
    assertClose(sd.prod(e), 1);
    assert.equal(sd.all(e).item(), 1);
    assert.equal(sd.any(e).item(), 0);
    assert.ok(Number.isNaN(sd.mean(e).item()));
  });

  it('counts NaN as true in all/any, and propagates it through max/min', () => {
    assert.equal(sd.all(sd.tensor([NaN, 1])).item(), 1);
    assert.ok(Number.isNaN(sd.max(sd.tensor([1, NaN, 3])).item()));
    assert.ok(Number.isNaN(sd.min(sd.tensor([NaN, 1])).item()));
  });

  it('accumulates in float64 within a kernel', () => {
    // 1e8 + 1 - 1e8 loses the 1 in float32 arithmetic but not when accumulated in float64
    assertClose(sd.sum(sd.tensor([1e8, 1, -1e8])), 1);
  });

  it('splits the max/min gradient evenly among ties', () => {
    const x = sd.tensor([[1, 3, 3], [2, 2, 2]]).requiresGrad_();
    sd.sum(sd.max(x, 1)).backward();
    assertClose(x.grad!, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]]);
    const y = sd.tensor([1, 3, 1]).requiresGrad_();
    sd.min(y).backward();
    assertClose(y.grad!, [0.5, 0, 0.5]);
  });

  it('gives prod the gradient of the other factors when the slice holds zeros', () => {
    const x = sd.tensor([[2, 0, 3], [0, 0, 5], [2, 3, 4]]).requiresGrad_();
    sd.sum(sd.prod(x, 1)).backward();
    assertClose(x.grad!, [[0, 6, 0], [0, 0, 0], [12, 8, 6]]);
  });

  it('leaves argmax, argmin, all and any out of the graph', () => {
    const x = sd.randn([3, 4]).requiresGrad_();
    assert.equal(sd.argmax(x, 1).requiresGrad, false);
    assert.equal(sd.any(x).requiresGrad, false);
  });

  it('names the op and the valid range for a bad axis', () => {
    const x = sd.zeros([2, 3]);
    assertThrows(() => sd.sum(x, 2), sd.ValueError, /sum: axis 2 is out of range for a tensor of rank 2 \(expected -2\.\.1\)/);
    assertThrows(() => sd.prod(x, -3), sd.ValueError, /prod: axis -3 is out of range/);
    assertThrows(() => sd.max(x, [0, 5]), sd.ValueError, /max: axis 5 is out of range/);
    assertThrows(() => sd.min(x, 1.5), sd.ValueError, /min: axis 1.5 is out of range/);
    assertThrows(() => sd.argmax(x, 2), sd.ValueError, /argmax: axis 2 is out of range/);
    assertThrows(() => sd.argmin(x, -3), sd.ValueError, /argmin: axis -3 is out of range/);
    assertThrows(() => sd.all(x, 3), sd.ValueError, /all: axis 3 is out of range/);
    assertThrows(() => sd.any(x, -4), sd.ValueError, /any: axis -4 is out of range/);
    assertThrows(() => sd.cumsum(x, 2), sd.ValueError, /cumsum: axis 2 is out of range/);
    assertThrows(() => sd.mean(x, 2), sd.ValueError, /mean: axis 2 is out of range/);
    assertThrows(() => sd.sum(sd.scalar(1), 1), sd.ValueError, /^sum: axis 1 is out of range for a tensor of rank 0 \(expected -1\.\.0\)$/);
    assertThrows(() => sd.argmax(sd.scalar(1), -2), sd.ValueError, /^argmax: axis -2 is out of range for a tensor of rank 0 \(expected -1\.\.0\)$/);
    assertThrows(() => sd.sum(sd.scalar(1), [0, -1]), sd.ValueError, /^sum: axes contain a repeated axis: \[0,-1\]/);
  });

  it('rejects repeated axes, naming the op', () => {
    const x = sd.zeros([2, 3]);
    assertThrows(() => sd.sum(x, [0, 0]), sd.ValueError, /sum: axes contain a repeated axis: \[0,0\]/);
    assertThrows(() => sd.max(x, [1, -1]), sd.ValueError, /max: axes contain a repeated axis: \[1,-1\]/);
    assertThrows(() => sd.any(x, [0, -2]), sd.ValueError, /any: axes contain a repeated axis/);
  });

  it('rejects malformed axes and keepDims', () => {
    const x = sd.zeros([2, 3]);
    assertThrows(() => sd.sum(x, 1, 'yes' as unknown as boolean), sd.ValueError, /sum: keepDims must be true or false, got yes/);
    assertThrows(() => sd.prod(x, { axis: 1 } as unknown as number), sd.ValueError, /prod: axes must be a number or an array/);
    assertThrows(() => sd.argmax(x, [0, 1] as unknown as number), sd.ValueError, /argmax: axis must be a single number or omitted/);
    assertThrows(() => sd.cumsum(x, undefined as unknown as number), sd.ValueError, /cumsum: axis must be a number, got undefined/);
    assertThrows(() => sd.cumsum(x, 0, { reverse: 1 as unknown as boolean }), sd.ValueError, /cumsum: exclusive and reverse must be true or false/);
    assertThrows(() => sd.cumsum(x, 0, true as unknown as sd.CumsumOptions), sd.ValueError, /cumsum: options must be an object like \{ exclusive: true \}, got true/);
  });

  it('throws for max, min, argmax and argmin over zero elements, naming the op', () => {
    assertThrows(() => sd.max(sd.zeros([2, 0]), 1), sd.ValueError, /max: cannot reduce over axis 1 of size 0 in shape \[2,0\]/);
    assertThrows(() => sd.min(sd.zeros([0])), sd.ValueError, /min: cannot reduce over axis 0 of size 0 in shape \[0\]/);
    assertThrows(() => sd.argmax(sd.zeros([0, 3])), sd.ValueError, /argmax: cannot take the argmax of an empty tensor \(shape \[0,3\]\)/);
    assertThrows(() => sd.argmin(sd.zeros([3, 0]), 1), sd.ValueError, /argmin: cannot reduce over axis 1 of size 0/);
  });

  it('takes mean of float tensors only', () => {
    assertThrows(() => sd.mean(sd.tensor(new Int32Array([1, 2]))), sd.DTypeError, /mean: x must be float32 or float64, got int32/);
  });
});

it('reduction gradients pass gradcheck', () => {
  sd.seed(7);
  const x = sd.randn([2, 3, 4]);
  for (const axes of [undefined, 1, [0, 2], -1, []] as const) {
    checkGrad((t) => sd.sum(t, axes), [x]);
    checkGrad((t) => sd.mean(t, axes, true), [x]);
    checkGrad((t) => sd.prod(t, axes), [x]);
    checkGrad((t) => sd.max(t, axes, true), [x]);
    checkGrad((t) => sd.min(t, axes), [x]);
  }
  // prod with one zero in a slice: the zero's gradient is the product of the others
  checkGrad((t) => sd.prod(t, 1), [sd.tensor([[0, 2, -3], [1.5, 0.5, 2]])]);
  checkGrad((t) => sd.prod(t), [sd.tensor([[0, 2], [-3, 1.5]])]);
  for (const exclusive of [false, true]) {
    for (const reverse of [false, true]) {
      checkGrad((t) => sd.cumsum(t, 1, { exclusive, reverse }), [x]);
      checkGrad((t) => sd.cumsum(t, -1, { exclusive, reverse }), [x]);
    }
  }
  checkGrad((t) => sd.cumsum(t, 0), [sd.scalar(2)]);
});

