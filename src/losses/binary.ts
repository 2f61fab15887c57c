import { ValueError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/mode.js';
import { record } from '../ops/op.js';
import { add, div, maximum, mul, neg, sub } from '../ops/arithmetic.js';
import { clip, log } from '../ops/unary.js';
import { softplus } from '../ops/activations.js';
import { unbroadcast } from '../ops/broadcast.js';
import {
  broadcastWeight,
  checkReduction,
  floatInput,
  optionsOf,
  realTarget,
  reduce,
  type ReductionOptions,
} from './reduction.js';

/** Binary cross-entropy on probabilities and on logits (PyTorch argument order). */

export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** Rescales each element's loss; broadcasts to the input's shape. */
  weight?: TensorLike;
}

/** PyTorch clamps each log at −100, so a probability of exactly 0 or 1 gives a finite loss. */
const LOG_FLOOR = -100;
/** PyTorch's floor on x·(1 − x) in the gradient, so it stays finite at 0 and 1. */
const GRAD_EPSILON = 1e-12;

/**
 * Binary cross-entropy between probabilities `input` and targets in [0, 1] (PyTorch
 * `binary_cross_entropy`): −w·(t·log x + (1 − t)·log(1 − x)), each log clamped to
 * ≥ −100, reduced. Inputs must lie in [0, 1] (ValueError otherwise); for logits use
 * binaryCrossEntropyWithLogits, which is also more accurate.
 *
 * Gradient (as PyTorch): ∂/∂x = w·(x − t) / max(x·(1 − x), 1e-12).
 * Shapes: input and target S (equal), weight broadcasting to S → scalar, or S with 'none'.
 *
 * ```ts
 * const p = sd.sigmoid(logits);
 * sd.losses.binaryCrossEntropy(p, labels); // labels of 0 and 1, float or int32
 * ```
 */
export function binaryCrossEntropy(input: TensorLike, target: TensorLike, options?: BinaryCrossEntropyOptions): Tensor {
  const op = 'binaryCrossEntropy';
  const { reduction = 'mean', weight } = optionsOf(op, options);
  const r = checkReduction(op, reduction);
  const x = floatInput(op, 'input', input);
  const t = realTarget(op, x, target);
  const w = broadcastWeight(op, 'weight', x, weight);
  checkProbabilities(op, x);
  const [unweighted, loss] = noGrad(() => {
    const logX = clip(log(x), LOG_FLOOR);
    const log1mX = clip(log(sub(1, x)), LOG_FLOOR);
    const l = neg(add(mul(t, logX), mul(sub(1, t), log1mX)));
    return [l, w ? mul(l, w) : l];
  });
  // an explicit gradient: the composite's would be 0·∞ = NaN at x = 0 or 1
  const inputs = w ? [x, t, w] : [x, t];
  const recorded = record(op, loss, inputs, (dy, [xi, ti, wi]) => {
    const scaled = wi ? mul(dy, wi) : dy;
    const dx = xi.requiresGrad ? mul(scaled, div(sub(xi, ti), maximum(mul(xi, sub(1, xi)), GRAD_EPSILON))) : null;
    // ∂/∂t = −logit(x), as PyTorch
    const dt = ti.requiresGrad ? mul(scaled, sub(log(sub(1, xi)), log(xi))) : null;
    const dw = wi?.requiresGrad ? unbroadcast(mul(dy, unweighted), wi.shape) : null;
    return [dx, dt, dw];
  });
  return reduce(recorded, r);
}

export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /**
   * Weight of the positive term, per class (broadcasts along the last axis): > 1 raises
   * recall, < 1 precision. PyTorch's `pos_weight`.
   */
  posWeight?: TensorLike;
}

/**
 * Binary cross-entropy on logits (PyTorch `binary_cross_entropy_with_logits`): the
 * loss of sigmoid(input) against the target, computed stably as
 * (1 − t)·x + (1 + (p − 1)·t)·softplus(−x), with p the positive weight (1 by default);
 * times weight, reduced. Exact for logits of any size, where sigmoid then log would
 * round to 0.
 *
 * Shapes: input and target S (equal), weight broadcasting to S, posWeight broadcasting to
 * S (usually [C]) → scalar, or S with 'none'.
 *
 * ```ts
 * sd.losses.binaryCrossEntropyWithLogits(logits, labels, { posWeight: sd.tensor([3]) });
 * ```
 */
export function binaryCrossEntropyWithLogits(
  input: TensorLike,
  target: TensorLike,
  options?: BinaryCrossEntropyWithLogitsOptions,
): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const { reduction = 'mean', weight, posWeight } = optionsOf(op, options);
  const r = checkReduction(op, reduction);
  const x = floatInput(op, 'input', input);
  const t = realTarget(op, x, target);
  const w = broadcastWeight(op, 'weight', x, weight);
  const pw = broadcastWeight(op, 'posWeight', x, posWeight);
  const logWeight = pw ? add(mul(sub(pw, 1), t), 1) : null;
  const softplusNeg = softplus(neg(x));
  let loss = add(mul(sub(1, t), x), logWeight ? mul(logWeight, softplusNeg) : softplusNeg);
  if (w) loss = mul(loss, w);
  return reduce(loss, r);
}

/** PyTorch rejects probabilities outside [0, 1]; so do we, naming the first one. */
function checkProbabilities(op: string, x: Tensor): void {
  const v = x.values;
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] >= 0 && v[i] <= 1)) {
      throw new ValueError(
        `${op}: input must hold probabilities in [0, 1], got ${v[i]} at position ${i} (for logits use binaryCrossEntropyWithLogits)`,
      );
    }
  }
}
