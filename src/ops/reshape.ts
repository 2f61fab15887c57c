import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { normalizeAxes, normalizeAxis, normalizeNewAxis, sizeOf } from '../tensor/shape.js';
import { record } from './op.js';

/**
 * Ops that only change the shape. Tensors are contiguous, so these share storage with
 * their input and run no kernel.
 */

function view(op: string, x: Tensor, shape: number[]): Tensor {
  const out = new Tensor(x.values, shape, x.dtype);
  return record(op, out, [x], (dy) => [reshape(dy, x.shape)]);
}

/**
 * Gives `x` a new shape with the same number of elements; one dimension may be -1 and is
 * then inferred.
 *
 * ```ts
 * sd.reshape(sd.arange(6), [2, -1]); // shape [2,3]
 * ```
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'reshape', 'x');
  const resolved = resolveShape(t, shape);
  return view('reshape', t, resolved);
}

function resolveShape(t: Tensor, shape: readonly number[]): number[] {
  // plain loops: reshape runs several times in every training step, where the iterators
  // and arrays of filter/for-of were a good part of all the garbage a step made
  let inferred = 0;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1) inferred++;
    else if (!Number.isInteger(d) || d < -1) {
      throw new ValueError(`reshape: dimensions must be non-negative integers or -1, got ${fmtShape(shape)}`);
    } else known *= d;
  }
  if (inferred > 1) throw new ValueError(`reshape: only one dimension can be -1, got ${fmtShape(shape)}`);
  if (inferred === 1) {
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)}`);
    }
    return shape.map((d) => (d === -1 ? t.size / known : d));
  }
  if (known !== t.size) {
    throw new ShapeError(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)} (${known} elements)`);
  }
  return [...shape];
}

/** Merges dimensions `startAxis`..`endAxis` (inclusive) into one; by default all of them. */
export function flatten(x: TensorLike, startAxis = 0, endAxis = -1): Tensor {
  const t = toTensor(x, 'flatten', 'x');
  if (t.rank === 0) return view('flatten', t, [1]);
  const start = normalizeAxis('flatten', startAxis, t.rank);
  const end = normalizeAxis('flatten', endAxis, t.rank);
  if (start > end) throw new ValueError(`flatten: startAxis (${startAxis}) must not come after endAxis (${endAxis})`);
  const shape = [...t.shape.slice(0, start), sizeOf(t.shape.slice(start, end + 1)), ...t.shape.slice(end + 1)];
  return view('flatten', t, shape);
}

/** Removes dimensions of size 1: the given ones, or all when none is given. */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'squeeze', 'x');
  let drop: Set<number>;
  if (axis === undefined) {
    drop = new Set(t.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    // a scalar has no axis to drop but accepts axis 0 or -1, as PyTorch does
    drop = new Set(normalizeAxes('squeeze', axis, t.rank));
    for (const a of drop) {
      if (t.shape[a] !== 1) {
        throw new ShapeError(`squeeze: axis ${a} has size ${t.shape[a]}, not 1, in shape ${fmtShape(t.shape)}`);
      }
    }
  }
  return view('squeeze', t, t.shape.filter((_, i) => !drop.has(i)));
}

/** Inserts a dimension of size 1 at `axis` (negative counts from the end of the result). */
export function unsqueeze(x: TensorLike, axis: number): Tensor {
  const t = toTensor(x, 'unsqueeze', 'x');
  const a = normalizeNewAxis('unsqueeze', axis, t.rank);
  const shape = [...t.shape];
  shape.splice(a, 0, 1);
  return view('unsqueeze', t, shape);
}

/** tfjs' name for unsqueeze. */
export const expandDims = unsqueeze;
