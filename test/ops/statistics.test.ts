// Tests of src/ops/statistics.ts: variance, std and logSumExp.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('reduce');

type Args = { axes?: number | number[] | null; keepDims?: boolean; correction?: number; unbiased?: boolean; sliceT?: boolean };

/** x[:, ::2].t() when the fixture recorded its input before that slice and transpose. */
const prepared = (x: sd.Tensor, a: Args): sd.Tensor => (a.sliceT ? sd.transpose(sd.index(x, ':, ::2')) : x);

const options = (a: Args): sd.VarianceOptions => ({
  axes: a.axes ?? undefined,
  keepDims: a.keepDims,
  correction: a.correction,
  unbiased: a.unbiased,
});

const ops: Record<string, (x: sd.Tensor, a: Args) => sd.Tensor> = {
  var: (x, a) => sd.variance(x, options(a)),
  std: (x, a) => sd.std(x, options(a)),
  logsumexp: (x, a) => sd.logSumExp(x, a.axes ?? undefined, a.keepDims ?? false),
};

describeEachBackend('reduce statistics', () => {
  for (const [name, c] of fixtures) {
    const op = ops[name.slice(0, name.indexOf('_'))];
    if (!op) continue;
    it(`matches PyTorch: ${name} ${JSON.stringify(c.args)}`, () => {
      // var_large_mean: float32 inputs near 1000 keep ~4 significant digits of their spread
      const tol = name === 'var_large_mean' ? { rtol: 2e-3 } : {};
      checkFixture(fixtures, name, (x) => op(prepared(x, c.args as Args), c.args as Args), tol);
    });
  }

  it('divides by N - correction', () => {
    const x = sd.tensor([1, 2, 3, 4]);
    assertClose(sd.variance(x), 5 / 3);
    assertClose(sd.variance(x, { correction: 0 }), 1.25);
    assertClose(sd.variance(x, { unbiased: false }), 1.25);
    assertClose(sd.std(x, { correction: 2 }), Math.sqrt(2.5));
    assert.ok(Number.isNaN(sd.variance(sd.tensor([5])).item()));
  });

  it('gives std of a constant slice a zero gradient, as PyTorch', () => {
    const x = sd.tensor([[2, 2, 2], [1, 2, 4]]).requiresGrad_();
    sd.sum(sd.std(x, { axes: 1 })).backward();
    assertClose(x.grad!, [[0, 0, 0], [-0.4364358, -0.1091089, 0.5455447]]);
  });

  it('computes logSumExp without overflow and gives -Infinity over nothing', () => {
    assertClose(sd.logSumExp(sd.tensor([1000, 1000])), 1000 + Math.log(2));
    assertClose(sd.logSumExp(sd.tensor([-1000, -1000])), -1000 + Math.log(2));
    assert.equal(sd.logSumExp(sd.zeros([0])).item(), -Infinity);
  });

  it('gives logSumExp the softmax as its gradient', () => {
    const x = sd.tensor([1, 2, 3]).requiresGrad_();
    sd.logSumExp(x).backward();
    const e = [1, 2, 3].map(Math.exp);
    const total = e[0] + e[1] + e[2];
    assertClose(x.grad!, e.map((v) => v / total));
  });

  it('takes float inputs only, naming the op', () => {
    const i = sd.tensor(new Int32Array([1, 2]));
    assertThrows(() => sd.variance(i), sd.DTypeError, /variance: x must be float32 or float64, got int32/);
    assertThrows(() => sd.std(i), sd.DTypeError, /std: x must be float32 or float64, got int32/);
    assertThrows(() => sd.logSumExp(sd.tensor([true])), sd.DTypeError, /logSumExp: x must be float32 or float64, got bool/);
  });

  it('rejects bad axes and options, naming the op', () => {
    const x = sd.zeros([2, 3]);
    assertThrows(() => sd.variance(x, { axes: 2 }), sd.ValueError, /variance: axis 2 is out of range for a tensor of rank 2 \(expected -2\.\.1\)/);
    assertThrows(() => sd.std(x, { axes: [0, -2] }), sd.ValueError, /std: axes contain a repeated axis/);
    assertThrows(() => sd.logSumExp(x, -3), sd.ValueError, /logSumExp: axis -3 is out of range/);
    assertThrows(() => sd.variance(x, { correction: -1 }), sd.ValueError, /variance: correction must be a finite number >= 0, got -1/);
    assertThrows(() => sd.std(x, { correction: 1, unbiased: true }), sd.ValueError, /std: pass correction or unbiased, not both/);
    assertThrows(() => sd.variance(x, { unbiased: 1 as unknown as boolean }), sd.ValueError, /variance: unbiased must be true or false/);
    assertThrows(() => sd.std(x, { keepDims: 'no' as unknown as boolean }), sd.ValueError, /std: keepDims must be true or false/);
    assertThrows(() => sd.variance(x, 1 as unknown as sd.VarianceOptions), sd.ValueError, /variance: options must be an object like \{ axes: 1, keepDims: true \}, got 1/);
    assertThrows(() => sd.std(x, [0] as unknown as sd.VarianceOptions), sd.ValueError, /std: options must be an object/);
  });
});

it('statistics gradients pass gradcheck', () => {
  sd.seed(11);
  const x = sd.randn([2, 3, 4]);
  for (const axes of [undefined, 1, [0, 2], -1] as const) {
    checkGrad((t) => sd.variance(t, { axes }), [x]);
    checkGrad((t) => sd.variance(t, { axes, keepDims: true, correction: 0 }), [x]);
    checkGrad((t) => sd.std(t, { axes }), [x]);
    checkGrad((t) => sd.std(t, { axes, keepDims: true, unbiased: false }), [x]);
    checkGrad((t) => sd.logSumExp(t, axes), [x]);
    checkGrad((t) => sd.logSumExp(t, axes, true), [x]);
  }
  checkGrad((t) => sd.logSumExp(t, 1), [sd.tensor([[800, 801, 799], [-800, -801, -799]])]);
});
