import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxes, sizeOf } from '../tensor/shape.js';
import { runOp } from './op.js';
import { cast } from './cast.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './broadcast.js';
import { div, mul } from './arithmetic.js';
import { eq } from './compare.js';
import { where } from './logical.js';

/**
 * Reductions over a set of axes: sum, mean, prod, max, min, all, any; the index
 * reductions argmax and argmin; and the running sum cumsum.
 *
 * Axes may be negative. Omitting them reduces over every axis; an empty list reduces over
 * none (as NumPy; PyTorch's `dim=[]` would reduce everything). With keepDims the reduced
 * axes stay as size 1, so the result broadcasts against the input.
 */

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
 * Checks the arguments shared by every reduction and resolves `axes` against `x` to
 * sorted, unique, non-negative axes.
 */
export function reductionAxes(op: string, x: Tensor, axes: Axes, keepDims: boolean): number[] {
  if (typeof keepDims !== 'boolean') {
    throw new ValueError(`${op}: keepDims must be true or false, got ${String(keepDims)}`);
  }
  if (axes !== undefined && typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new ValueError(`${op}: axes must be a number or an array of numbers, got ${String(axes)}`);
  }
  return normalizeAxes(op, axes, x.rank);
}

/** Throws when a reduced axis has no elements and the reduction has no identity (max, min). */
function assertNotEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  for (const a of axes) {
    if (x.shape[a] === 0) {
      throw new ValueError(
        `${op}: cannot reduce over axis ${a} of size 0 in shape ${fmtShape(x.shape)} (${op} of no elements is undefined)`,
      );
    }
  }
}

/**
 * Sum over `axes` (all when omitted). bool sums as int32, as in PyTorch. The sum of no
 * elements is 0.
 *
 * ```ts
 * sd.sum(x);                         // scalar
 * sd.sum(x, 1, true);                // [N,1]
 * ```
 */
export function sum(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  let t = toTensor(x, 'sum', 'x');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const ax = reductionAxes('sum', t, axes, keepDims);
  const shape = t.shape;
  return runOp('sum', 'Sum', [t], { axes: ax, keepDims }, (dy) => [expandReduced(dy, shape, ax)]);
}

/**
 * Arithmetic mean over `axes` (all when omitted); float inputs only. The mean of no
 * elements is NaN, as in PyTorch.
 *
 * ```ts
 * sd.mean(sd.tensor([[1, 2], [3, 4]]), 0); // [2, 3]
 * ```
 */
export function mean(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  const t = toTensor(x, 'mean', 'x');
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(`mean: x must be float32 or float64, got ${t.dtype} (cast it with sd.cast(x, 'float32'))`);
  }
  const ax = reductionAxes('mean', t, axes, keepDims);
  const count = sizeOf(ax.map((a) => t.shape[a]));
  return div(sum(t, ax, keepDims), count);
}

/**
 * Product over `axes` (all when omitted). bool multiplies as int32. The product of no
 * elements is 1.
 *
 * The gradient of element i is the product of the others: out / x_i when the reduced
 * slice has no zero; when it has exactly one zero, only that element gets a gradient (the
 * product of the rest); with two zeros or more every gradient is 0 (as PyTorch).
 *
 * ```ts
 * sd.prod(sd.tensor([[1, 2], [3, 4]]), 1); // [2, 12]
 * ```
 */
export function prod(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  let t = toTensor(x, 'prod', 'x');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const ax = reductionAxes('prod', t, axes, keepDims);
  return runOp('prod', 'Prod', [t], { axes: ax, keepDims }, (dy, [input]) => [prodGrad(dy, input, ax)]);
}

function prodGrad(dy: Tensor, x: Tensor, axes: number[]): Tensor {
  const isZero = eq(x, 0);
  const zeroCount = sum(isZero, axes, true);
  const nonZero = where(isZero, 1, x);
  // dy times the product of the slice's nonzero elements, in the kept shape
  const scaled = mul(reshape(dy, keptShape(x.shape, axes)), prod(nonZero, axes, true));
  const atZero = where(eq(zeroCount, 1), scaled, 0);
  const atNonZero = where(eq(zeroCount, 0), div(scaled, nonZero), 0);
  return where(isZero, atZero, atNonZero);
}

/**
 * Largest value over `axes` (all when omitted); PyTorch's `amax`. The gradient is split
 * evenly among the elements equal to the maximum. Reducing an axis of size 0 throws.
 *
 * ```ts
 * sd.max(sd.tensor([[1, 5], [7, 2]]), 1); // [5, 7]
 * ```
 */
export function max(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  return extremum('max', 'Max', x, axes, keepDims);
}

/**
 * Smallest value over `axes` (all when omitted); PyTorch's `amin`. The gradient is split
 * evenly among the elements equal to the minimum. Reducing an axis of size 0 throws.
 *
 * ```ts
 * sd.min(sd.tensor([[1, 5], [7, 2]]), 0); // [1, 2]
 * ```
 */
export function min(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  return extremum('min', 'Min', x, axes, keepDims);
}

function extremum(op: string, kernel: 'Max' | 'Min', x: TensorLike, axes: Axes, keepDims: boolean): Tensor {
  const t = toTensor(x, op, 'x');
  const ax = reductionAxes(op, t, axes, keepDims);
  assertNotEmpty(op, t, ax);
  return runOp(op, kernel, [t], { axes: ax, keepDims }, (dy, [input], out) => {
    const kept = keptShape(input.shape, ax);
    const isExtreme = eq(input, reshape(out, kept));
    const share = div(reshape(dy, kept), sum(isExtreme, ax, true));
    return [where(isExtreme, share, 0)];
  });
}

/**
 * Whether every element over `axes` is true (all when omitted): bool out. Numeric input
 * counts nonzero (and NaN) as true. all() of no elements is true.
 *
 * ```ts
 * sd.all(sd.gt(x, 0), 1); // per row: are all entries positive?
 * ```
 */
export function all(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  return logicalReduce('all', 'All', x, axes, keepDims);
}

/**
 * Whether any element over `axes` is true (all when omitted): bool out. Numeric input
 * counts nonzero (and NaN) as true. any() of no elements is false.
 *
 * ```ts
 * sd.any(sd.gt(x, 100)); // scalar bool: is any entry above 100?
 * ```
 */
export function any(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  return logicalReduce('any', 'Any', x, axes, keepDims);
}

function logicalReduce(op: string, kernel: 'All' | 'Any', x: TensorLike, axes: Axes, keepDims: boolean): Tensor {
  const t = toTensor(x, op, 'x');
  const ax = reductionAxes(op, t, axes, keepDims);
  return runOp(op, kernel, [cast(t, 'bool')], { axes: ax, keepDims });
}

/**
 * Index (int32) of the first largest element along `axis`; with no axis, the index into
 * the flattened tensor. NaN counts as the largest. No gradient.
 *
 * ```ts
 * sd.argmax(logits, -1); // [N] predicted classes
 * ```
 */
export function argmax(x: TensorLike, axis?: number, keepDims = false): Tensor {
  return argReduce('argmax', 'ArgMax', x, axis, keepDims);
}

/**
 * Index (int32) of the first smallest element along `axis`; with no axis, the index into
 * the flattened tensor. NaN counts as the smallest. No gradient.
 *
 * ```ts
 * sd.argmin(sd.tensor([3, 1, 2])); // 1
 * ```
 */
export function argmin(x: TensorLike, axis?: number, keepDims = false): Tensor {
  return argReduce('argmin', 'ArgMin', x, axis, keepDims);
}

function argReduce(op: string, kernel: 'ArgMax' | 'ArgMin', x: TensorLike, axis: number | undefined, keepDims: boolean): Tensor {
  const t = toTensor(x, op, 'x');
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ValueError(`${op}: axis must be a single number or omitted, got ${String(axis)}`);
  }
  const ax = reductionAxes(op, t, axis, keepDims);
  if (axis === undefined || t.rank === 0) {
    if (t.size === 0) throw new ValueError(`${op}: cannot take the ${op} of an empty tensor (shape ${fmtShape(t.shape)})`);
    const index = runOp(op, kernel, [reshape(t, [t.size])], { axis: 0, keepDims: false });
    return keepDims ? reshape(index, t.shape.map(() => 1)) : index;
  }
  assertNotEmpty(op, t, ax);
  return runOp(op, kernel, [t], { axis: ax[0], keepDims });
}

/** Options of cumsum. */
export interface CumsumOptions {
  /** Leave each element out of its own sum: out[i] = x[0] + ... + x[i-1]. */
  exclusive?: boolean;
  /** Sum from the end: out[i] = x[i] + ... + x[n-1]. */
  reverse?: boolean;
}

/**
 * Running sum along `axis`: out[i] = x[0] + ... + x[i]. bool sums as int32. The gradient is
 * the running sum of dy in the other direction.
 *
 * ```ts
 * sd.cumsum(sd.tensor([1, 2, 3]), 0);                      // [1, 3, 6]
 * sd.cumsum(sd.tensor([1, 2, 3]), 0, { exclusive: true }); // [0, 1, 3]
 * sd.cumsum(sd.tensor([1, 2, 3]), 0, { reverse: true });   // [6, 5, 3]
 * ```
 */
export function cumsum(x: TensorLike, axis: number, options: CumsumOptions = {}): Tensor {
  let t = toTensor(x, 'cumsum', 'x');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  if (typeof axis !== 'number') throw new ValueError(`cumsum: axis must be a number, got ${String(axis)}`);
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(`cumsum: options must be an object like { exclusive: true }, got ${String(options)}`);
  }
  const { exclusive = false, reverse = false } = options;
  if (typeof exclusive !== 'boolean' || typeof reverse !== 'boolean') {
    throw new ValueError(`cumsum: exclusive and reverse must be true or false, got ${String(exclusive)} and ${String(reverse)}`);
  }
  const [a] = normalizeAxes('cumsum', axis, t.rank);
  if (t.rank === 0) return reshape(cumsum(reshape(t, [1]), 0, options), []);
  return runOp('cumsum', 'Cumsum', [t], { axis: a, exclusive, reverse }, (dy) => [
    cumsum(dy, a, { exclusive, reverse: !reverse }),
  ]);
}
