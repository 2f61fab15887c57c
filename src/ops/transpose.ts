import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxis } from '../tensor/shape.js';
import { runOp } from './op.js';

/**
 * Reordering of axes: transpose (tfjs, NumPy), permute (PyTorch), swapAxes (NumPy
 * swapaxes, PyTorch's two-axis transpose) and t (2-D transpose).
 */

/**
 * Reorders the axes of `x`: output axis i is input axis `perm[i]`. Without `perm` the axes
 * are reversed (tfjs and NumPy). Negative entries count from the end.
 *
 * Shapes: x [d0, ..., dn-1] → [d_perm[0], ..., d_perm[n-1]].
 *
 * ```ts
 * sd.transpose(sd.zeros([2, 3, 4])).shape;            // [4,3,2]
 * sd.transpose(sd.zeros([2, 3, 4]), [0, 2, 1]).shape; // [2,4,3]
 * ```
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor(x, 'transpose', 'x');
  const p = perm === undefined ? t.shape.map((_, i) => t.rank - 1 - i) : checkPerm('transpose', perm, t.rank);
  return permuteAxes('transpose', t, p);
}

/**
 * PyTorch's permute: output axis i is input axis `axes[i]`; the axes may be given as a
 * list or as separate arguments.
 *
 * ```ts
 * sd.permute(images, 0, 2, 3, 1); // NCHW → NHWC
 * ```
 */
export function permute(x: TensorLike, ...axes: (number | readonly number[])[]): Tensor {
  const t = toTensor(x, 'permute', 'x');
  const list = axes.length === 1 && Array.isArray(axes[0]) ? (axes[0] as readonly number[]) : (axes as number[]);
  return permuteAxes('permute', t, checkPerm('permute', list, t.rank));
}

/**
 * Exchanges two axes (NumPy `swapaxes`; what `torch.transpose(x, a, b)` does).
 *
 * ```ts
 * sd.swapAxes(sd.zeros([2, 3, 4]), 0, -1).shape; // [4,3,2]
 * ```
 */
export function swapAxes(x: TensorLike, axis1: number, axis2: number): Tensor {
  const t = toTensor(x, 'swapAxes', 'x');
  const a = normalizeAxis('swapAxes', axis1, t.rank);
  const b = normalizeAxis('swapAxes', axis2, t.rank);
  if (a === b) return t;
  const perm = t.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permuteAxes('swapAxes', t, perm);
}

/**
 * Transposes a matrix; a 0-D or 1-D tensor is returned as it is (PyTorch `t`).
 *
 * ```ts
 * sd.t(sd.zeros([2, 3])).shape; // [3,2]
 * ```
 */
export function t(x: TensorLike): Tensor {
  const tx = toTensor(x, 't', 'x');
  if (tx.rank > 2) {
    throw new ShapeError(`t: x must have at most 2 dimensions, got shape ${fmtShape(tx.shape)} (use transpose or permute)`);
  }
  return tx.rank < 2 ? tx : permuteAxes('t', tx, [1, 0]);
}

/** Resolves negative axes and checks that `perm` is a permutation of 0..rank-1. */
function checkPerm(op: string, perm: readonly number[], rank: number): number[] {
  if (perm.length !== rank) {
    throw new ValueError(`${op}: perm [${perm.join(',')}] has ${perm.length} entries but x has rank ${rank}`);
  }
  const resolved = perm.map((a) => normalizeAxis(op, a, rank));
  if (new Set(resolved).size !== rank) {
    throw new ValueError(`${op}: perm [${perm.join(',')}] is not a permutation of the axes 0..${rank - 1} (an axis repeats)`);
  }
  return resolved;
}

function permuteAxes(op: string, x: Tensor, perm: number[]): Tensor {
  if (perm.every((p, i) => p === i)) return x;
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return runOp(op, 'Transpose', [x], { perm }, (dy) => [permuteAxes(op, dy, inverse)]);
}
