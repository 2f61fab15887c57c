import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('compare');
sd.seed(3);

const binary: Record<string, (a: sd.TensorLike, b: sd.TensorLike) => sd.Tensor> = {
  logicalAnd: sd.logicalAnd,
  logicalOr: sd.logicalOr,
  logicalXor: sd.logicalXor,
};

describeEachBackend('logical', () => {
  for (const [name, op] of Object.entries(binary)) {
    it(`${name} matches PyTorch: truth table, broadcasting, scalar, size 0`, () => {
      for (const variant of ['truth_table', 'broadcast', 'scalar', 'zero_size']) checkFixture(fixtures, `${name}_${variant}`, op);
    });
  }

  it('logicalNot matches PyTorch', () => {
    for (const name of ['logicalNot', 'logicalNot_scalar', 'logicalNot_zero_size']) checkFixture(fixtures, name, sd.logicalNot);
  });

  it('where matches PyTorch with broadcasting, forward and backward', () => {
    for (const variant of ['broadcast', 'scalar_b', 'condition_broadcast', 'float64', 'int32', 'zero_size']) {
      checkFixture(fixtures, `where_${variant}`, sd.where);
    }
  });

  it('logical ops and where match PyTorch on operands produced by transpose and a strided slice', () => {
    for (const [name, op] of Object.entries(binary)) {
      checkFixture(fixtures, `${name}_of_transposed_and_sliced`, (a, b) => op(sd.transpose(a), sd.index(b, ':, ::2')));
    }
    checkFixture(fixtures, 'where_of_transposed_and_sliced', (c, a, b) => sd.where(sd.transpose(c), sd.index(a, ':, ::2'), sd.transpose(b)));
  });

  it('where takes JS numbers and booleans, promoting like arithmetic', () => {
    const c = sd.tensor([true, false, true]);
    assertClose(sd.where(c, sd.tensor([1, 2, 3]), 0), [1, 0, 3]);
    assert.equal(sd.where(c, sd.tensor([1, 2, 3], undefined, 'float64'), 0).dtype, 'float64');
    assert.equal(sd.where(c, sd.tensor(new Int32Array([1, 2, 3])), -1).dtype, 'int32');
    assert.equal(sd.where(c, sd.tensor(new Int32Array([1, 2, 3])), 0.5).dtype, 'float32');
    assert.equal(sd.where(c, 1, 0).dtype, 'float32');
    assert.deepEqual(sd.where(true, c, false).array(), [true, false, true]);
    assert.deepEqual(sd.logicalAnd(c, true).array(), [true, false, true]);
  });

  it('rejects conditions and operands that are not bool, naming the argument', () => {
    assertThrows(() => sd.where(sd.tensor([1, 0]), 1, 0), sd.DTypeError, /^where: condition must be bool, got float32 \(compare it first/);
    assertThrows(() => sd.where(sd.tensor(new Int32Array([1])), 1, 0), sd.DTypeError, /where: condition must be bool, got int32/);
    assertThrows(() => sd.logicalAnd(sd.tensor([true]), sd.tensor([1])), sd.DTypeError, /^logicalAnd: b must be bool, got float32/);
    assertThrows(() => sd.logicalOr(sd.tensor(new Int32Array([1])), true), sd.DTypeError, /^logicalOr: a must be bool, got int32/);
    assertThrows(() => sd.logicalXor(sd.tensor([0.5]), true), sd.DTypeError, /^logicalXor: a must be bool/);
    assertThrows(() => sd.logicalNot(sd.tensor([1])), sd.DTypeError, /^logicalNot: x must be bool, got float32/);
  });

  it('rejects shapes that do not broadcast', () => {
    const b = (shape: number[]) => sd.full(shape, true);
    assertThrows(() => sd.logicalAnd(b([2, 3]), b([2])), sd.ShapeError, /^logicalAnd: shapes \[2,3\] and \[2\] cannot be broadcast/);
    assertThrows(() => sd.where(b([3]), sd.zeros([4]), 0), sd.ShapeError, /^where: shapes \[3\] and \[4\] cannot be broadcast/);
    assertThrows(() => sd.where(b([3]), sd.zeros([3]), sd.zeros([2, 2])), sd.ShapeError, /^where: shapes \[3\] and \[2,2\] cannot be broadcast/);
  });
});

it('where gradients pass gradcheck, summed over broadcast dimensions', () => {
  const c = sd.tensor([[true, false, true, false], [false, false, true, true], [true, true, false, true]]);
  checkGrad((a, b) => sd.where(c, a, b), [sd.randn([3, 4]), sd.randn([3, 4])]);
  checkGrad((a, b) => sd.where(c, a, b), [sd.randn([1, 4]), sd.randn([3, 1])]);
  checkGrad((a) => sd.where(c, a, 0), [sd.randn([4])]);
  checkGrad((b) => sd.where(sd.tensor([true, false]), 2, b), [sd.randn([])]);
});
