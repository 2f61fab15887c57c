import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';

/**
 * Repeats `x` along its size-1 dimensions (and new leading ones) to `shape`, as NumPy
 * broadcasting would. PyTorch calls it `expand`; as there, -1 keeps x's size along an
 * existing dimension.
 *
 * Shapes: x [d0, ..., dn-1] → `shape`, aligned from the right; each di is 1 or equal.
 *
 * ```ts
 * sd.broadcastTo(sd.tensor([[1], [2]]), [3, 2, 4]).shape; // [3,2,4]
 * sd.expand(sd.zeros([2, 1]), [-1, 5]).shape;             // [2,5]
 * ```
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'broadcastTo', 'x');
  if (shape.length < t.rank) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(t.shape)} to fewer dimensions ${fmtShape(shape)}`);
  }
  const lead = shape.length - t.rank;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? t.shape[i - lead] : d));
  if (target.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(
      `broadcastTo: shape ${fmtShape(shape)} must hold non-negative integers (or -1 to keep a dimension of x ${fmtShape(t.shape)})`,
    );
  }
  if (shapesEqual(t.shape, target)) return t;
  for (let i = 0; i < t.rank; i++) {
    const d = t.shape[i];
    const want = target[lead + i];
    if (d !== want && d !== 1) {
      throw new ShapeError(
        `broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)} (dimension ${i} is ${d}, expected 1 or ${want})`,
      );
    }
  }
  const inputShape = t.shape;
  return runOp('broadcastTo', 'BroadcastTo', [t], { shape: target }, (dy) => [unbroadcast(dy, inputShape)]);
}

/** PyTorch's name for broadcastTo. */
export const expand = broadcastTo;

/**
 * Sums a gradient over the dimensions that broadcasting added or stretched, so that it
 * has `shape` again: the backward of every broadcasting op.
 */
export function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(grad, axes, true), shape);
}
