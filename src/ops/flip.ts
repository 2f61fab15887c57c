import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxes } from '../tensor/shape.js';
import { runOp } from './op.js';

/**
 * Reverses the order of elements along `axes` (all axes when omitted). PyTorch `flip`,
 * TensorFlow.js `reverse`. Its own gradient: dx = flip(dy, axes).
 *
 * ```ts
 * sd.flip(sd.tensor([[1, 2], [3, 4]]), 1); // [[2, 1], [4, 3]]
 * ```
 */
export function flip(x: TensorLike, axes?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'flip', 'x');
  const ax = normalizeAxes('flip', axes, t.rank).filter((a) => t.shape[a] > 1);
  if (ax.length === 0) return t;
  return runOp('flip', 'Flip', [t], { axes: ax }, (dy) => [flip(dy, ax)]);
}

/** TensorFlow.js' name for flip. */
export const reverse = flip;
