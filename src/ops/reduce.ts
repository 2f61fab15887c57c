import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxes, sizeOf } from '../tensor/shape.js';
import { runOp } from './op.js';
import { cast } from './cast.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './broadcast.js';
import { div } from './arithmetic.js';

/** Axes to reduce over: one, several, or all when omitted. */
export type Axes = number | readonly number[] | undefined;

/** The shape `x` has after reducing `axes` with keepDims, for broadcasting gradients back. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Broadcasts a reduced gradient (or value) back over the reduced axes of `shape`. */
export function expandReduced(dy: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  return broadcastTo(reshape(dy, keptShape(shape, axes)), shape);
}

/**
 * Sum over `axes` (all when omitted). bool sums as int32, as in PyTorch.
 *
 * ```ts
 * sd.sum(x);                         // scalar
 * sd.sum(x, 1, true);                // [N,1]
 * ```
 */
export function sum(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  let t = toTensor(x, 'sum', 'x');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const ax = normalizeAxes('sum', axes, t.rank);
  const shape = t.shape;
  return runOp('sum', 'Sum', [t], { axes: ax, keepDims }, (dy) => [expandReduced(dy, shape, ax)]);
}

/** Arithmetic mean over `axes` (all when omitted); float inputs only. */
export function mean(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  const t = toTensor(x, 'mean', 'x');
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(`mean: x must be float32 or float64, got ${t.dtype} (cast it with sd.cast(x, 'float32'))`);
  }
  const ax = normalizeAxes('mean', axes, t.rank);
  const count = sizeOf(ax.map((a) => t.shape[a]));
  if (count === 0) throw new ValueError(`mean: cannot average over zero elements (shape ${fmtShape(t.shape)})`);
  return div(sum(t, ax, keepDims), count);
}
