import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/create.js';
import { normalizeAxis, shapesEqual } from '../tensor/shape.js';
import { runOp } from './op.js';
import { pad } from './pad.js';
import { checkIndexRange, indexOperand } from './indices.js';

/**
 * Element-wise indexing along one axis, with indices of the input's rank:
 * takeAlongAxis reads one element per index, scatterAdd adds one element per index.
 * Each is the other's gradient. Shapes follow PyTorch's gather/scatter_add: no
 * broadcasting, and indices may be smaller than the tensors they address. Indices are
 * int32 in 0..n-1; negative indices are rejected, as PyTorch does.
 */

/**
 * Picks, at every position of `indices`, the element of `x` found by replacing the `axis`
 * coordinate with the index (PyTorch `gather`, NumPy `take_along_axis` without
 * broadcasting).
 *
 * Rule (axis 1 of 3-D): out[i][j][k] = x[i][indices[i][j][k]][k].
 * Shapes: x S, indices I of the same rank with I[d] ≤ S[d] for d ≠ axis → I.
 *
 * ```ts
 * // the log-probability of each sample's label
 * sd.takeAlongAxis(logProbs, sd.reshape(labels, [-1, 1]), 1); // [N,1]
 * ```
 */
export function takeAlongAxis(x: TensorLike, indices: TensorLike, axis: number): Tensor {
  const t = toTensor(x, 'takeAlongAxis', 'x');
  const idx = indexOperand('takeAlongAxis', 'indices', indices);
  const a = checkAlong('takeAlongAxis', t, idx, axis);
  return takeChecked(t, idx, a);
}

/**
 * Adds `src` into a copy of `x` at positions given by `indices` along `axis`; repeated
 * positions accumulate (PyTorch `scatter_add`, out of place). Differentiable in x and src.
 *
 * Rule (axis 0 of 2-D): out = x; out[indices[i][j]][j] += src[i][j] for each (i, j) of indices.
 * Shapes: x S, indices I, src R, one rank, I[d] ≤ R[d] for all d and I[d] ≤ S[d] for
 * d ≠ axis → S.
 *
 * ```ts
 * // per-class sums: counts[c] += 1 for each label c
 * sd.scatterAdd(sd.zeros([10]), 0, labels, sd.onesLike(labels, 'float32'));
 * ```
 */
export function scatterAdd(x: TensorLike, axis: number, indices: TensorLike, src: TensorLike): Tensor {
  const t = toTensor(x, 'scatterAdd', 'x');
  const s = toTensor(src, 'scatterAdd', 'src', t.dtype);
  const idx = indexOperand('scatterAdd', 'indices', indices);
  if (t.dtype === 'bool') throw new DTypeError(`scatterAdd: x must be numeric, got bool (cast it first)`);
  if (s.dtype !== t.dtype) throw new DTypeError(`scatterAdd: src must have x's dtype ${t.dtype}, got ${s.dtype}`);
  if (s.rank !== idx.rank || idx.shape.some((d, k) => d > s.shape[k])) {
    throw new ShapeError(
      `scatterAdd: indices ${fmtShape(idx.shape)} must have src's rank and no dimension larger than src ${fmtShape(s.shape)}`,
    );
  }
  const a = checkAlong('scatterAdd', t, idx, axis);
  const srcShape = s.shape;
  return runOp('scatterAdd', 'ScatterAdd', [t, idx, s], { axis: a }, (dy) => {
    const taken = takeChecked(dy, idx, a);
    // src elements beyond the extent of indices were never added: their gradient is 0
    const dsrc = shapesEqual(taken.shape, srcShape)
      ? taken
      : pad(taken, srcShape.map((n, d): [number, number] => [0, n - taken.shape[d]]));
    return [dy, null, dsrc];
  });
}

/** takeAlongAxis after its checks, for the gradient of scatterAdd. */
function takeChecked(x: Tensor, indices: Tensor, axis: number): Tensor {
  const shape = x.shape;
  return runOp('takeAlongAxis', 'GatherAlong', [x, indices], { axis }, (dy) => [
    scatterAdd(zeros(shape, dy.dtype), axis, indices, dy),
    null,
  ]);
}

/** Checks rank, the extents of indices against x, and the index values; returns the axis. */
function checkAlong(op: string, x: Tensor, indices: Tensor, axis: number): number {
  if (x.rank === 0) throw new ShapeError(`${op}: x must have at least 1 dimension, got a scalar`);
  if (indices.rank !== x.rank) {
    throw new ShapeError(`${op}: indices ${fmtShape(indices.shape)} must have the rank of x ${fmtShape(x.shape)} (${x.rank})`);
  }
  const a = normalizeAxis(op, axis, x.rank);
  indices.shape.forEach((d, k) => {
    if (k !== a && d > x.shape[k]) {
      throw new ShapeError(
        `${op}: indices ${fmtShape(indices.shape)} is larger than x ${fmtShape(x.shape)} along axis ${k} (${d} > ${x.shape[k]})`,
      );
    }
  });
  checkIndexRange(op, 'indices', indices, x.shape[a], `axis ${a} of x ${fmtShape(x.shape)}`);
  return a;
}
