import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { promoteTypes } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxis, normalizeNewAxis, shapesEqual } from '../tensor/shape.js';
import { runOp } from './op.js';
import { cast } from './cast.js';
import { reshape, unsqueeze } from './reshape.js';
import { slice } from './slice.js';

/**
 * Joining and splitting along an axis: concat and stack join; split, chunk and unstack
 * cut (they are slices, so they need no kernel or gradient of their own).
 */

/**
 * Joins tensors along an existing `axis`; all other dimensions must agree. Dtypes are
 * promoted to a common one (bool < int32 < float32 < float64), as torch.cat does.
 *
 * Shapes: [..., n_i, ...] for each i → [..., Σ n_i, ...].
 *
 * ```ts
 * sd.concat([sd.zeros([2, 3]), sd.ones([2, 1])], 1).shape; // [2,4]
 * ```
 */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  const ts = joinOperands('concat', tensors);
  const first = ts[0];
  if (first.rank === 0) {
    throw new ShapeError(`concat: cannot concatenate scalars (tensor 0 has shape []); use stack to add an axis`);
  }
  const a = normalizeAxis('concat', axis, first.rank);
  ts.forEach((t, i) => {
    const fits = t.rank === first.rank && t.shape.every((d, k) => k === a || d === first.shape[k]);
    if (!fits) {
      throw new ShapeError(
        `concat: tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has shape ${fmtShape(first.shape)}; ` +
          `they must agree except along axis ${a}`,
      );
    }
  });
  if (ts.length === 1) return first;
  const sizes = ts.map((t) => t.shape[a]);
  return runOp('concat', 'Concat', ts, { axis: a }, (dy) => split(dy, sizes, a));
}

/**
 * Joins tensors of one shape along a new `axis` (unsqueeze each, then concat).
 *
 * Shapes: k tensors of [d0, ..., dn-1] → [..., k, ...] with k at `axis`.
 *
 * ```ts
 * sd.stack([sd.zeros([2, 3]), sd.ones([2, 3])], 1).shape; // [2,2,3]
 * ```
 */
export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  const ts = joinOperands('stack', tensors);
  const first = ts[0];
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(`stack: tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has shape ${fmtShape(first.shape)}; all must be equal`);
    }
  });
  const a = normalizeNewAxis('stack', axis, first.rank);
  return concat(ts.map((t) => unsqueeze(t, a)), a);
}

/**
 * Cuts `x` along `axis` into pieces, with PyTorch's semantics for the second argument:
 * - a number is the size of each piece; the last one may be smaller;
 * - a list gives every piece's size, and must sum to the axis size.
 *
 * Unlike TensorFlow.js, a number is a piece size, not a piece count (use chunk for that).
 *
 * ```ts
 * sd.split(sd.arange(5), 2);       // sizes 2, 2, 1
 * sd.split(sd.arange(5), [1, 4]);  // sizes 1, 4
 * ```
 */
export function split(x: TensorLike, sizesOrSections: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor(x, 'split', 'x');
  const a = axisOf('split', t, axis);
  const n = t.shape[a];
  let sizes: number[];
  if (typeof sizesOrSections === 'number') {
    const piece = sizesOrSections;
    if (!Number.isInteger(piece) || piece < 0 || (piece === 0 && n > 0)) {
      throw new ValueError(`split: the piece size must be a positive integer, got ${piece}`);
    }
    sizes = [];
    for (let at = 0; at < n; at += piece) sizes.push(Math.min(piece, n - at));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...sizesOrSections];
    const total = sizes.reduce((s, v) => s + v, 0);
    if (sizes.some((v) => !Number.isInteger(v) || v < 0) || total !== n) {
      throw new ValueError(
        `split: sizes [${sizes.join(',')}] must be non-negative integers summing to ${n}, the size of axis ${a} of x ${fmtShape(t.shape)}`,
      );
    }
  }
  return cut(t, a, sizes);
}

/**
 * Cuts `x` into `chunks` pieces along `axis`, each of size ceil(n / chunks) but the last
 * (PyTorch `chunk`; like it, fewer pieces come back when n does not allow `chunks`, and an
 * empty axis gives `chunks` empty pieces).
 *
 * ```ts
 * sd.chunk(sd.arange(6), 4); // sizes 2, 2, 2
 * ```
 */
export function chunk(x: TensorLike, chunks: number, axis = 0): Tensor[] {
  const t = toTensor(x, 'chunk', 'x');
  if (!Number.isInteger(chunks) || chunks <= 0) {
    throw new ValueError(`chunk: chunks must be a positive integer, got ${chunks}`);
  }
  const a = axisOf('chunk', t, axis);
  const n = t.shape[a];
  if (n === 0) return cut(t, a, new Array<number>(chunks).fill(0)); // PyTorch gives `chunks` empty pieces
  return split(t, Math.ceil(n / chunks), a);
}

/**
 * Removes `axis`, returning its slices (tfjs `unstack`, PyTorch `unbind`).
 *
 * ```ts
 * sd.unstack(sd.zeros([3, 2])).length; // 3 tensors of shape [2]
 * ```
 */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor(x, 'unstack', 'x');
  const a = axisOf('unstack', t, axis);
  const shape = t.shape.filter((_, d) => d !== a);
  return cut(t, a, new Array<number>(t.shape[a]).fill(1)).map((piece) => reshape(piece, shape));
}

function cut(t: Tensor, axis: number, sizes: readonly number[]): Tensor[] {
  const begin = new Array<number>(t.rank).fill(0);
  const size = [...t.shape];
  return sizes.map((s) => {
    size[axis] = s;
    const piece = slice(t, begin, size);
    begin[axis] += s;
    return piece;
  });
}

function joinOperands(op: string, tensors: readonly TensorLike[]): Tensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ValueError(`${op}: expected a non-empty list of tensors, got ${Array.isArray(tensors) ? 'an empty list' : typeof tensors}`);
  }
  const ts = tensors.map((x, i) => toTensor(x, op, `tensors[${i}]`));
  const dtype = ts.map((t) => t.dtype).reduce(promoteTypes);
  return ts.map((t) => cast(t, dtype));
}

function axisOf(op: string, t: Tensor, axis: number): number {
  if (t.rank === 0) throw new ShapeError(`${op}: x must have at least 1 dimension, got a scalar`);
  return normalizeAxis(op, axis, t.rank);
}
