import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('compare');

const ops: Record<string, (a: sd.TensorLike, b: sd.TensorLike) => sd.Tensor> = {
  eq: sd.eq,
  ne: sd.ne,
  lt: sd.lt,
  le: sd.le,
  gt: sd.gt,
  ge: sd.ge,
};

const variants = ['broadcast', 'same_shape', 'scalar_tensor', 'zero_size', 'float64', 'int32', 'int32_vs_float', 'nonfinite', 'bool'];

describeEachBackend('compare', () => {
  for (const [name, op] of Object.entries(ops)) {
    it(`${name} matches PyTorch: broadcasting, scalars, size 0, float64, int32, mixed dtypes, NaN, bool`, () => {
      for (const variant of variants) checkFixture(fixtures, `${name}_${variant}`, op);
    });
  }

  it('matches PyTorch on operands produced by transpose and a strided slice', () => {
    for (const [name, op] of Object.entries(ops)) {
      checkFixture(fixtures, `${name}_of_transposed_and_sliced`, (a, b) => op(sd.transpose(a), sd.index(b, ':, ::2')));
    }
  });

  it('compares with JS numbers in the tensor dtype, as PyTorch', () => {
    const i = sd.tensor(new Int32Array([0, 1, 2]));
    assert.deepEqual(sd.lt(i, 0.5).array(), [true, false, false]);
    assert.deepEqual(sd.eq(i, 1).array(), [false, true, false]);
    assert.deepEqual(sd.ge(2, i).array(), [true, true, true]);
    assert.deepEqual(sd.ne(sd.tensor([0.1, 0.2]), 0.1).array(), [false, true]);
    assert.equal(sd.gt(sd.tensor([[1, 2]]), 1).dtype, 'bool');
  });

  it('gives a bool result without a gradient', () => {
    const x = sd.tensor([1, -2]).requiresGrad_();
    const y = sd.gt(x, 0);
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assertThrows(() => y.backward(), sd.ValueError, /^backward: this tensor does not require grad: gt has no gradient \(its output is bool\)$/);
  });

  it('rejects shapes that do not broadcast, naming the op and both shapes', () => {
    for (const name of Object.keys(ops)) {
      assertThrows(
        () => ops[name](sd.zeros([2, 3]), sd.zeros([4])),
        sd.ShapeError,
        new RegExp(`^${name}: shapes \\[2,3\\] and \\[4\\] cannot be broadcast \\(dimension -1 is 3 vs 4\\)`),
      );
    }
  });

  it('rejects arguments that are not tensors', () => {
    assertThrows(() => sd.eq(sd.zeros([1]), {} as sd.Tensor), sd.ValueError, /eq: b must be a tensor, number, boolean or array, got object/);
    assertClose(sd.cast(sd.le([1, 2, 3], [[2], [1]]), 'float32'), [[1, 1, 0], [1, 0, 0]]);
  });
});
