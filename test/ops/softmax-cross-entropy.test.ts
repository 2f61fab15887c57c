import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';

/** The unfused reference: −Σ_c q_c·logSoftmax(x)_c with q the smoothed one-hot target. */
function reference(x: sd.Tensor, labels: sd.Tensor, eps: number): sd.Tensor {
  const C = x.shape[1];
  const q = sd.add(sd.mul(sd.oneHot(labels, C, { dtype: x.dtype }), 1 - eps), eps / C);
  return sd.neg(sd.sum(sd.mul(sd.logSoftmax(x, 1), q), 1));
}

function randomLabels(N: number, C: number): sd.Tensor {
  return sd.tensor(Int32Array.from({ length: N }, (_, i) => (i * 7 + 3) % C), [N], 'int32');
}

/** x's gradient of Σ w·loss(x), from `loss`. */
function gradient(loss: (x: sd.Tensor) => sd.Tensor, x: sd.Tensor, w: sd.Tensor): sd.Tensor {
  const leaf = x.clone().requiresGrad_();
  sd.sum(sd.mul(loss(leaf), w)).backward();
  return leaf.grad!;
}

// shapes: one row, few rows (the js kernel on native), many rows (C++), one class, odd class counts
const SHAPES: [number, number][] = [[1, 3], [3, 1], [5, 10], [17, 10], [40, 10], [33, 1023], [64, 2]];

describeEachBackend('sparseSoftmaxCrossEntropy', () => {
  it('equals −Σ q·logSoftmax(x) and has its gradient, with and without label smoothing', () => {
    for (const [N, C] of SHAPES) {
      for (const eps of [0, 0.2, 1]) {
        const x = sd.mul(sd.randn([N, C]), 3);
        const labels = randomLabels(N, C);
        const w = sd.randn([N]);
        const fused = (v: sd.Tensor) => sd.sparseSoftmaxCrossEntropy(v, labels, { labelSmoothing: eps });
        const unfused = (v: sd.Tensor) => reference(v, labels, eps);
        assertClose(fused(x), unfused(x), { atol: 1e-5, rtol: 1e-5 });
        assertClose(gradient(fused, x, w), gradient(unfused, x, w), { atol: 1e-6, rtol: 1e-5 });
      }
    }
  });

  it('stays finite for large logits, and matches a hand-computed value', () => {
    const x = sd.tensor([[1000, 0, -1000], [-1000, 1000, 999]]);
    const labels = sd.tensor([1, 2], undefined, 'int32');
    assertClose(sd.sparseSoftmaxCrossEntropy(x, labels), [1000, 1 + Math.log1p(Math.exp(-1))], { rtol: 1e-6 });
    // lse([2, 1, 0.1]) − 2 and lse([0.5, 2.5, 0.2]) − 2.5
    const y = sd.sparseSoftmaxCrossEntropy(sd.tensor([[2, 1, 0.1], [0.5, 2.5, 0.2]]), sd.tensor([0, 1], undefined, 'int32'));
    const lse = (v: number[]) => Math.log(v.reduce((s, u) => s + Math.exp(u), 0));
    assertClose(y, [lse([2, 1, 0.1]) - 2, lse([0.5, 2.5, 0.2]) - 2.5], { rtol: 1e-6 });
    assertClose(y, [0.4170, 0.2115], { atol: 1e-4 });
  });

  it('is what the losses compute for class indices, on both faces', () => {
    const x = sd.randn([20, 10]);
    const labels = randomLabels(20, 10);
    assertClose(sd.losses.crossEntropy(x, labels, { reduction: 'none' }), reference(x, labels, 0), { atol: 1e-5 });
    assertClose(sd.losses.keras.sparseCategoricalCrossentropy(labels, x, { fromLogits: true }), reference(x, labels, 0), { atol: 1e-5 });
  });
});

it('sparseSoftmaxCrossEntropy passes gradcheck, and has a second derivative with createGraph', () => {
  const labels = sd.tensor([2, 0, 1, 2], undefined, 'int32');
  for (const eps of [0, 0.3]) {
    checkGrad((x) => sd.sparseSoftmaxCrossEntropy(x, labels, { labelSmoothing: eps }), [sd.randn([4, 3], { dtype: 'float64' })]);
  }
  // second derivative: Σ(∂loss/∂x)² differentiated again, fused against unfused
  const x = sd.randn([4, 3], { dtype: 'float64' });
  const secondOrder = (loss: (v: sd.Tensor) => sd.Tensor): sd.Tensor => {
    const leaf = x.clone().requiresGrad_();
    sd.sum(loss(leaf)).backward(undefined, { createGraph: true });
    const g = leaf.grad!;
    assert.ok(g.requiresGrad, 'the gradient is differentiable with createGraph');
    leaf.grad = null;
    sd.sum(sd.mul(g, g)).backward();
    return leaf.grad!;
  };
  assertClose(
    secondOrder((v) => sd.sparseSoftmaxCrossEntropy(v, labels, { labelSmoothing: 0.3 })),
    secondOrder((v) => reference(v, labels, 0.3)),
    { atol: 1e-10, rtol: 1e-8 },
  );
});

it('sparseSoftmaxCrossEntropy rejects logits that are not [N,C], float or out-of-range labels, a bad smoothing', () => {
  const x = sd.randn([3, 4]);
  const labels = sd.tensor([0, 1, 3], undefined, 'int32');
  assertThrows(() => sd.sparseSoftmaxCrossEntropy(sd.randn([4]), labels), sd.ShapeError, /logits must be \[N,C\], got \[4\]/);
  assertThrows(() => sd.sparseSoftmaxCrossEntropy(x, sd.tensor([0, 1, 3])), sd.DTypeError, /labels must be int32 class indices, got float32/);
  assertThrows(() => sd.sparseSoftmaxCrossEntropy(x, sd.tensor([0, 1], undefined, 'int32')), sd.ShapeError, /labels must be \[3\].*got \[2\]/);
  assertThrows(() => sd.sparseSoftmaxCrossEntropy(x, sd.tensor([0, 4, 1], undefined, 'int32')), sd.ValueError, /class 4 at position 1, out of range for 4 classes/);
  assertThrows(() => sd.sparseSoftmaxCrossEntropy(x, sd.tensor([0, -1, 1], undefined, 'int32')), sd.ValueError, /class -1 at position 1/);
  assertThrows(() => sd.sparseSoftmaxCrossEntropy(x, labels, { labelSmoothing: 1.5 }), sd.ValueError, /labelSmoothing must be a number in \[0, 1\], got 1.5/);
  assertThrows(() => sd.sparseSoftmaxCrossEntropy(sd.ones([3, 4], 'int32'), labels), sd.DTypeError, /float32 or float64/);
});
