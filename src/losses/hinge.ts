import { ShapeError, fmtShape } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { relu } from '../ops/activations.js';
import { square } from '../ops/unary.js';
import { max, sum } from '../ops/reduce.js';
import { checkReduction, floatInput, optionsOf, realTarget, reduce, type ReductionOptions } from './reduction.js';

/**
 * Hinge losses for maximum-margin classifiers, with Keras' semantics (the argument order
 * is PyTorch's: prediction first). Binary labels may be −1/1 or 0/1: when every label is
 * 0 or 1 they are mapped to −1/1, as Keras does.
 */

/**
 * Hinge loss: max(1 − t·input, 0) per element, reduced; labels t in {−1, 1} or {0, 1}.
 *
 * Shapes: input and target S (equal) → scalar, or S with reduction 'none'.
 *
 * ```ts
 * sd.losses.hingeLoss(scores, sd.tensor([1, -1, 1])); // scores are raw margins, not probabilities
 * ```
 */
export function hingeLoss(input: TensorLike, target: TensorLike, options?: ReductionOptions): Tensor {
  const { reduction = 'mean' } = optionsOf('hingeLoss', options);
  const r = checkReduction('hingeLoss', reduction);
  return reduce(margins('hingeLoss', input, target), r);
}

/**
 * Squared hinge loss: max(1 − t·input, 0)² per element, reduced; labels in {−1, 1} or {0, 1}.
 *
 * Shapes: input and target S (equal) → scalar, or S with reduction 'none'.
 */
export function squaredHingeLoss(input: TensorLike, target: TensorLike, options?: ReductionOptions): Tensor {
  const { reduction = 'mean' } = optionsOf('squaredHingeLoss', options);
  const r = checkReduction('squaredHingeLoss', reduction);
  return reduce(square(margins('squaredHingeLoss', input, target)), r);
}

/**
 * Categorical hinge loss (Keras `categorical_hinge`) for one-hot targets along the last
 * axis: max(0, 1 + max_c((1 − t_c)·x_c) − Σ_c t_c·x_c) per sample, reduced over samples.
 *
 * Shapes: input and target [..., C] (equal) → scalar, or [...] with reduction 'none'.
 *
 * ```ts
 * sd.losses.categoricalHingeLoss(scores, sd.oneHot(labels, 10));
 * ```
 */
export function categoricalHingeLoss(input: TensorLike, target: TensorLike, options?: ReductionOptions): Tensor {
  const op = 'categoricalHingeLoss';
  const { reduction = 'mean' } = optionsOf(op, options);
  const r = checkReduction(op, reduction);
  const x = floatInput(op, 'input', input);
  const t = realTarget(op, x, target);
  if (x.rank === 0) throw new ShapeError(`${op}: input must have a class axis (the last), got shape ${fmtShape(x.shape)}`);
  const positive = sum(mul(t, x), -1);
  const negative = max(mul(sub(1, t), x), -1);
  return reduce(relu(add(sub(negative, positive), 1)), r);
}

/** max(1 − t·x, 0) with 0/1 labels mapped to −1/1. */
function margins(op: string, input: TensorLike, target: TensorLike): Tensor {
  const x = floatInput(op, 'input', input);
  let t = realTarget(op, x, target);
  if (t.values.every((v) => v === 0 || v === 1)) t = sub(mul(t, 2), 1);
  return relu(sub(1, mul(t, x)));
}
