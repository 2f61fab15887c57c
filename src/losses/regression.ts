import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from '../ops/arithmetic.js';
import { abs, square } from '../ops/unary.js';
import { lt } from '../ops/compare.js';
import { where } from '../ops/logical.js';
import {
  checkReduction,
  floatInput,
  numberOption,
  optionsOf,
  realTarget,
  reduce,
  type ReductionOptions,
} from './reduction.js';

/**
 * Regression losses on a prediction `input` and a `target` of the same shape (PyTorch
 * argument order). Each is elementwise, then reduced: mean by default, 'sum' or 'none'.
 */

/** The difference input − target after the checks shared by the regression losses. */
function difference(op: string, input: TensorLike, target: TensorLike): Tensor {
  const x = floatInput(op, 'input', input);
  return sub(x, realTarget(op, x, target));
}

/**
 * Mean squared error (PyTorch `mse_loss`): (input − target)², reduced.
 *
 * Shapes: input and target S (equal) → scalar, or S with reduction 'none'.
 *
 * ```ts
 * sd.losses.mseLoss(sd.tensor([1, 2]), sd.tensor([1, 4])); // 2
 * ```
 */
export function mseLoss(input: TensorLike, target: TensorLike, options?: ReductionOptions): Tensor {
  const { reduction = 'mean' } = optionsOf('mseLoss', options);
  const r = checkReduction('mseLoss', reduction);
  return reduce(square(difference('mseLoss', input, target)), r);
}

/**
 * Mean absolute error (PyTorch `l1_loss`): |input − target|, reduced. The gradient at
 * input = target is 0.
 *
 * Shapes: input and target S (equal) → scalar, or S with reduction 'none'.
 *
 * ```ts
 * sd.losses.l1Loss(sd.tensor([1, 2]), sd.tensor([1, 4])); // 1
 * ```
 */
export function l1Loss(input: TensorLike, target: TensorLike, options?: ReductionOptions): Tensor {
  const { reduction = 'mean' } = optionsOf('l1Loss', options);
  const r = checkReduction('l1Loss', reduction);
  return reduce(abs(difference('l1Loss', input, target)), r);
}

export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; default 1, must be > 0. */
  delta?: number;
}

/**
 * Huber loss (PyTorch `huber_loss`, Keras `huber`): with d = input − target,
 * ½·d² where |d| < delta, delta·(|d| − ½·delta) elsewhere; reduced.
 *
 * Shapes: input and target S (equal) → scalar, or S with reduction 'none'.
 *
 * ```ts
 * sd.losses.huberLoss(sd.tensor([0.5, 3]), sd.tensor([0, 0])); // (0.125 + 2.5) / 2
 * ```
 */
export function huberLoss(input: TensorLike, target: TensorLike, options?: HuberOptions): Tensor {
  const { reduction = 'mean', delta = 1 } = optionsOf('huberLoss', options);
  const r = checkReduction('huberLoss', reduction);
  const dl = numberOption('huberLoss', 'delta', delta, { value: 0, inclusive: false });
  return reduce(piecewise(difference('huberLoss', input, target), dl, 0.5, dl), r);
}

export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; default 1, must be >= 0 (0 is l1Loss). */
  beta?: number;
}

/**
 * Smooth L1 loss (PyTorch `smooth_l1_loss`): with d = input − target, ½·d²/beta where
 * |d| < beta, |d| − ½·beta elsewhere; reduced. Huber loss divided by beta; beta 0 is the
 * L1 loss.
 *
 * Shapes: input and target S (equal) → scalar, or S with reduction 'none'.
 *
 * ```ts
 * sd.losses.smoothL1Loss(pred, target, { beta: 0.5 });
 * ```
 */
export function smoothL1Loss(input: TensorLike, target: TensorLike, options?: SmoothL1Options): Tensor {
  const { reduction = 'mean', beta = 1 } = optionsOf('smoothL1Loss', options);
  const r = checkReduction('smoothL1Loss', reduction);
  const b = numberOption('smoothL1Loss', 'beta', beta, { value: 0, inclusive: true });
  const d = difference('smoothL1Loss', input, target);
  return reduce(b === 0 ? abs(d) : piecewise(d, b, 0.5 / b, 1), r);
}

/**
 * quadScale·d² where |d| < bound, linScale·(|d| − ½·bound) elsewhere: Huber (quadScale ½,
 * linScale delta) and smooth L1 (quadScale ½/beta, linScale 1) in one.
 */
function piecewise(d: Tensor, bound: number, quadScale: number, linScale: number): Tensor {
  const a = abs(d);
  return where(lt(a, bound), mul(square(d), quadScale), mul(sub(a, 0.5 * bound), linScale));
}
