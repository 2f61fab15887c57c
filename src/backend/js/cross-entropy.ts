import type { KernelTable, TensorData } from '../backend.js';
import { output } from './loops.js';

/**
 * Softmax cross-entropy against class indices, fused: the loss of each row straight from
 * its logits, and the gradient dy·(softmax − q) in one pass, where the unfused graph runs
 * log-softmax, a gather, a negation and, backwards, a scatter and the log-softmax gradient.
 * The target q of row i is (1 − ε)·onehot(label_i) + ε/C (label smoothing ε). A label
 * outside 0..C−1 gives a NaN row (the ops check labels before they get here).
 */

/** The log of Σ exp over one row, shifted by its maximum so that nothing overflows. */
function logSumExp(x: ArrayLike<number>, start: number, C: number): number {
  let max = -Infinity;
  for (let c = 0; c < C; c++) if (x[start + c] > max) max = x[start + c];
  // as softmax: an infinite maximum is not special-cased, the row becomes NaN
  let total = 0;
  for (let c = 0; c < C; c++) total += Math.exp(x[start + c] - max);
  return max + Math.log(total);
}

const validLabel = (label: number, C: number): boolean => label >= 0 && label < C;

function lossKernel(inputs: TensorData[], { labelSmoothing: eps }: { labelSmoothing: number }): TensorData {
  const [x, labels] = inputs;
  const [N, C] = x.shape;
  const out = output([N], x.dtype);
  const xv = x.values;
  const lv = labels.values;
  for (let i = 0; i < N; i++) {
    const start = i * C;
    const label = lv[i];
    if (!validLabel(label, C)) {
      out.values[i] = NaN;
      continue;
    }
    const lse = logSumExp(xv, start, C);
    // −Σ q_c·(x_c − lse) = lse − (1 − ε)·x_label − (ε/C)·Σ x_c
    let spread = 0;
    if (eps !== 0) for (let c = 0; c < C; c++) spread += xv[start + c];
    out.values[i] = lse - (1 - eps) * xv[start + label] - (eps / C) * spread;
  }
  return out;
}

function gradKernel(inputs: TensorData[], { labelSmoothing: eps }: { labelSmoothing: number }): TensorData {
  const [x, labels, dy] = inputs;
  const [N, C] = x.shape;
  const out = output([N, C], x.dtype);
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < N; i++) {
    const start = i * C;
    const label = labels.values[i];
    if (!validLabel(label, C)) {
      ov.fill(NaN, start, start + C);
      continue;
    }
    const lse = logSumExp(xv, start, C);
    const g = dy.values[i];
    for (let c = 0; c < C; c++) ov[start + c] = g * (Math.exp(xv[start + c] - lse) - eps / C);
    ov[start + label] -= g * (1 - eps);
  }
  return out;
}

export const crossEntropyKernels: KernelTable = {
  SparseSoftmaxCrossEntropy: lossKernel,
  SparseSoftmaxCrossEntropyGrad: gradKernel,
};
