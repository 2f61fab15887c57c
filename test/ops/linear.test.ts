import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('linalg');

describeEachBackend('linear', () => {
  it('matches PyTorch F.linear with any leading axes, forward and backward', () => {
    checkFixture(fixtures, 'linear_2d', (x, w, b) => sd.linear(x, w, b));
    checkFixture(fixtures, 'linear_3d', (x, w, b) => sd.linear(x, w, b));
    checkFixture(fixtures, 'linear_1d', (x, w, b) => sd.linear(x, w, b));
    checkFixture(fixtures, 'linear_no_bias', (x, w) => sd.linear(x, w));
    checkFixture(fixtures, 'linear_empty_batch', (x, w, b) => sd.linear(x, w, b));
  });

  it('matches F.linear on a strided slice of x and a transposed weight', () => {
    checkFixture(fixtures, 'linear_of_sliced_and_transposed', (x, wt, b) => sd.linear(sd.index(x, ':, ::2'), sd.transpose(wt), b));
  });

  it('computes x·Wᵀ + b', () => {
    const x = sd.tensor([[1, 2]]);
    const w = sd.tensor([[1, 0], [0, 1], [1, 1]]);
    assertClose(sd.linear(x, w, sd.tensor([10, 20, 30])), [[11, 22, 33]]);
    assertClose(sd.linear(x, w, [0.5, 0.5, 0.5]), [[1.5, 2.5, 3.5]]);
  });

  it('rejects mismatched features, weight ranks, bias shapes and dtypes', () => {
    assertThrows(
      () => sd.linear(sd.zeros([32, 784]), sd.zeros([128, 100])),
      sd.ShapeError,
      /^linear: x has 784 features \(last axis of \[32,784\]\) but weight \[128,100\] expects 100$/,
    );
    assertThrows(() => sd.linear(sd.zeros([2, 3]), sd.zeros([3])), sd.ShapeError, /linear: weight must be 2-D \[out, in\], got shape \[3\]/);
    assertThrows(() => sd.linear(sd.scalar(1), sd.zeros([2, 1])), sd.ShapeError, /linear: x must have at least 1 dimension/);
    assertThrows(
      () => sd.linear(sd.zeros([2, 3]), sd.zeros([4, 3]), sd.zeros([3])),
      sd.ShapeError,
      /linear: bias must have shape \[4\] \(one per output feature\), got \[3\]/,
    );
    assertThrows(
      () => sd.linear(sd.zeros([2, 3]), sd.zeros([4, 3]), sd.zeros([1, 4])),
      sd.ShapeError,
      /linear: bias must have shape \[4\]/,
    );
    assertThrows(
      () => sd.linear(sd.tensor(new Int32Array([1, 2])), sd.zeros([1, 2])),
      sd.DTypeError,
      /linear: x must be float32 or float64, got int32/,
    );
    assertThrows(() => sd.linear(sd.zeros([1, 2]), sd.zeros([1, 2], 'int32')), sd.DTypeError, /linear: weight must be float32 or float64, got int32/);
  });
});

it('linear gradients pass gradcheck with and without bias', () => {
  checkGrad((x, w, b) => sd.linear(x, w, b), [sd.randn([4, 5]), sd.randn([3, 5]), sd.randn([3])]);
  checkGrad((x, w, b) => sd.linear(x, w, b), [sd.randn([2, 3, 5]), sd.randn([2, 5]), sd.randn([2])]);
  checkGrad((x, w) => sd.linear(x, w), [sd.randn([5]), sd.randn([3, 5])]);
});

it('linear gives the weight gradient Σ dyᵀ·x over every leading axis', () => {
  const x = sd.randn([2, 3, 4], { dtype: 'float64' });
  const w = sd.randn([5, 4], { dtype: 'float64' }).requiresGrad_();
  sd.sum(sd.linear(x, w)).backward();
  // dW[o, i] = Σ over all rows of x[..., i]
  const expected = new Float64Array(20);
  for (let r = 0; r < 6; r++) for (let o = 0; o < 5; o++) for (let i = 0; i < 4; i++) expected[o * 4 + i] += x.values[r * 4 + i];
  assertClose(w.grad!, expected);
  assert.deepEqual([...w.grad!.shape], [5, 4]);
});
