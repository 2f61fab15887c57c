import { ValueError } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';

/**
 * Repeats `x` `reps[d]` times along each axis d (NumPy and PyTorch `tile`). When `reps` is
 * shorter than x's rank it is padded with leading 1s; when longer, x gains leading axes
 * of size 1.
 *
 * Shapes: [d0, ..., dn-1] → [r0·d0, ..., rn-1·dn-1].
 * Gradient: dy viewed as [r0, d0, r1, d1, ...], summed over the repeat axes.
 *
 * ```ts
 * sd.tile(sd.tensor([1, 2]), [2, 2]); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 * ```
 */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor(x, 'tile', 'x');
  if (!Array.isArray(reps) || !reps.every((r) => Number.isInteger(r) && r >= 0)) {
    throw new ValueError(`tile: reps must be a list of non-negative integers, got ${JSON.stringify(reps)}`);
  }
  const rank = Math.max(t.rank, reps.length);
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  const shape = [...new Array<number>(rank - t.rank).fill(1), ...t.shape];
  // x with leading 1s: its own reshape node carries the gradient back to x's shape
  const lifted = reshape(t, shape);
  if (r.every((v) => v === 1)) return lifted;
  return runOp('tile', 'Tile', [lifted], { reps: r }, (dy) => {
    const split = shape.flatMap((s, d) => [r[d], s]);
    const repeatAxes = shape.map((_, d) => 2 * d);
    return [reshape(sum(reshape(dy, split), repeatAxes), shape)];
  });
}
