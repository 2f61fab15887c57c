import { ValueError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, sub } from '../ops/arithmetic.js';
import { exp, log } from '../ops/unary.js';
import { gt } from '../ops/compare.js';
import { where } from '../ops/logical.js';
import { sum } from '../ops/reduce.js';
import { checkReduction, floatInput, optionsOf, realTarget, reduce, type Reduction } from './reduction.js';

export interface KLDivOptions {
  /**
   * 'mean' (default, as PyTorch: the mean over every element, which is not the KL
   * divergence), 'batchmean' (the sum divided by the batch size input.shape[0]: the true
   * KL divergence per sample), 'sum' or 'none'.
   */
  reduction?: Reduction | 'batchmean';
  /** The target holds log-probabilities too; default false (probabilities). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence KL(target ‖ exp(input)) (PyTorch `kl_div`). The input holds
 * log-probabilities, the target probabilities (or log-probabilities with `logTarget`):
 * pointwise t·(log t − input), 0 where t = 0; with logTarget e^t·(t − input). Reduced
 * with 'batchmean' for the divergence per sample.
 *
 * Shapes: input and target S (equal) → scalar, or S with reduction 'none'.
 *
 * ```ts
 * sd.losses.klDiv(sd.logSoftmax(studentLogits, 1), sd.softmax(teacherLogits, 1), { reduction: 'batchmean' });
 * ```
 */
export function klDiv(input: TensorLike, target: TensorLike, options?: KLDivOptions): Tensor {
  const op = 'klDiv';
  const { reduction = 'mean', logTarget = false } = optionsOf(op, options);
  const r = checkReduction<Reduction | 'batchmean'>(op, reduction, ['batchmean']);
  if (typeof logTarget !== 'boolean') throw new ValueError(`${op}: logTarget must be true or false, got ${String(logTarget)}`);
  const x = floatInput(op, 'input', input);
  const t = realTarget(op, x, target);
  let pointwise: Tensor;
  if (logTarget) {
    pointwise = mul(exp(t), sub(t, x));
  } else {
    // log of 1 where t = 0, so that neither the value nor the gradient becomes 0·∞
    const positive = gt(t, 0);
    pointwise = where(positive, mul(t, sub(log(where(positive, t, 1)), x)), mul(t, sub(0, x)));
  }
  if (r !== 'batchmean') return reduce(pointwise, r);
  const batch = x.rank === 0 ? 1 : x.shape[0];
  return div(sum(pointwise), batch);
}
