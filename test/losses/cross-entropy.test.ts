import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';
import { casesStartingWith, checkLossFixture } from './fixture.js';

const labels = (...v: number[]): sd.Tensor => sd.tensor(new Int32Array(v));

describeEachBackend('crossEntropy and nllLoss', () => {
  it('match PyTorch: class indices, probabilities, weights, ignoreIndex, label smoothing, K-dim, every reduction', () => {
    const names = [...casesStartingWith('ce_'), ...casesStartingWith('nll_')];
    assert.ok(names.length >= 25);
    for (const name of names) checkLossFixture(name);
  });

  it('accepts plain JS integer labels as class indices', () => {
    const x = sd.tensor([[2, 1, 0], [0, 3, 1]]);
    assertClose(sd.losses.crossEntropy(x, [0, 1]), sd.losses.crossEntropy(x, labels(0, 1)));
  });

  it('gives the same gradient as log-softmax then nllLoss', () => {
    const x = sd.randn([8, 6]).requiresGrad_();
    const y = sd.randint(0, 6, [8]);
    const weight = sd.rand([6]);
    sd.losses.crossEntropy(x, y, { weight }).backward();
    const fused = x.grad!;
    x.grad = null;
    sd.losses.nllLoss(sd.logSoftmax(x, 1), y, { weight }).backward();
    assertClose(fused, x.grad!);
  });

  it('rejects a float target of the index shape with a DTypeError saying to cast', () => {
    assertThrows(
      () => sd.losses.crossEntropy(sd.zeros([2, 3]), sd.tensor([0.5, 1])),
      sd.DTypeError,
      /crossEntropy: target holds class indices but has dtype float32; they must be int32 \(sd.cast\(target, 'int32'\)\), or give float class probabilities of the input's shape \[2,3\]/,
    );
    assertThrows(() => sd.losses.nllLoss(sd.zeros([2, 3]), sd.zeros([2, 3])), sd.DTypeError, /nllLoss: target holds class indices but has dtype float32/);
    assertThrows(() => sd.losses.crossEntropy(sd.zeros([2, 3]), sd.tensor([true, false])), sd.DTypeError, /crossEntropy: target must be int32 class indices or float probabilities, got bool/);
  });

  it('rejects a class index out of range, naming it and the number of classes', () => {
    assertThrows(
      () => sd.losses.crossEntropy(sd.zeros([3, 10]), labels(1, 10, 2)),
      sd.ValueError,
      /crossEntropy: target holds class 10 at position 1, out of range for 10 classes \(valid: 0..9, or ignoreIndex -100\)/,
    );
    assertThrows(() => sd.losses.nllLoss(sd.zeros([2, 4]), labels(-1, 0)), sd.ValueError, /nllLoss: target holds class -1 at position 0/);
  });

  it('rejects mismatched shapes, naming both', () => {
    assertThrows(
      () => sd.losses.crossEntropy(sd.zeros([4, 10]), labels(1, 2, 3)),
      sd.ShapeError,
      /crossEntropy: target must hold class indices of shape \[4\] \(int32\) for input \[4,10\], got target \[3\]/,
    );
    assertThrows(
      () => sd.losses.crossEntropy(sd.zeros([4, 10]), sd.zeros([4, 9])),
      sd.ShapeError,
      /crossEntropy: target must hold class indices of shape \[4\] \(int32\) or class probabilities of the input's shape, got input \[4,10\] and target \[4,9\]/,
    );
    assertThrows(() => sd.losses.crossEntropy(sd.scalar(1), labels(0)), sd.ShapeError, /crossEntropy: input must have a class axis/);
    assertThrows(() => sd.losses.crossEntropy(sd.zeros([2, 3]), labels(0, 1), { weight: [1, 2] }), sd.ShapeError, /crossEntropy: weight must have one value per class, shape \[3\], got \[2\]/);
  });

  it('rejects bad options', () => {
    assertThrows(() => sd.losses.crossEntropy(sd.zeros([1, 2]), labels(0), { labelSmoothing: 1.5 }), sd.ValueError, /labelSmoothing must lie in \[0, 1\], got 1.5/);
    assertThrows(() => sd.losses.crossEntropy(sd.zeros([1, 2]), labels(0), { ignoreIndex: 0.5 }), sd.ValueError, /ignoreIndex must be an integer, got 0.5/);
    assertThrows(() => sd.losses.nllLoss(sd.zeros([1, 2]), labels(0), { reduction: 'batchmean' as 'mean' }), sd.ValueError, /nllLoss: reduction must be 'mean', 'sum', 'none', got 'batchmean'/);
  });
});

it('crossEntropy and nllLoss pass gradcheck', () => {
  const y = sd.tensor(new Int32Array([0, 2, -100, 1, 2]));
  checkGrad((x) => sd.losses.crossEntropy(x, y), [sd.randn([5, 3])]);
  checkGrad((x) => sd.losses.crossEntropy(x, y, { weight: [0.5, 2, 1], labelSmoothing: 0.25, reduction: 'sum' }), [sd.randn([5, 3])]);
  checkGrad((x) => sd.losses.crossEntropy(x, y, { weight: [0.5, 2, 1], labelSmoothing: 0.1, reduction: 'none' }), [sd.randn([5, 3])]);
  checkGrad((x, p) => sd.losses.crossEntropy(x, p, { labelSmoothing: 0.1, weight: [1, 2, 3] }), [sd.randn([4, 3]), sd.softmax(sd.randn([4, 3]), 1)]);
  const spatial = sd.randint(0, 3, [2, 4]);
  checkGrad((x) => sd.losses.crossEntropy(x, spatial), [sd.randn([2, 3, 4])]);
  checkGrad((x) => sd.losses.nllLoss(x, y, { weight: [0.5, 2, 1] }), [sd.randn([5, 3])]);
});

it('crossEntropy has a second derivative (createGraph recomputes the softmax)', () => {
  const previous = sd.getBackend();
  sd.setBackend('js');
  try {
    const x = sd.tensor([[0.5, -1, 2]], undefined, 'float64').requiresGrad_();
    const y = sd.tensor(new Int32Array([1]));
    const loss = sd.losses.crossEntropy(x, y);
    loss.backward(undefined, { createGraph: true });
    const gx = x.grad!;
    x.grad = null;
    // d/dx of Σ g·v for v = [1,0,0]: the first row of the softmax Jacobian, p0·(e0 − p)
    sd.sum(sd.mul(gx, sd.tensor([[1, 0, 0]], undefined, 'float64'))).backward();
    const p = sd.softmax(sd.tensor([[0.5, -1, 2]], undefined, 'float64'), 1).values;
    assertClose(x.grad!, [[p[0] * (1 - p[0]), -p[0] * p[1], -p[0] * p[2]]], { atol: 1e-9 });
  } finally {
    sd.setBackend(previous);
  }
});
