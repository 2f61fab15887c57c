import { ShapeError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';

/**
 * Repeats `x` along its size-1 dimensions (and new leading ones) to `shape`, as NumPy
 * broadcasting would. PyTorch calls it `expand`.
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'broadcastTo', 'x');
  if (shapesEqual(t.shape, shape)) return t;
  if (shape.length < t.rank) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(t.shape)} to fewer dimensions ${fmtShape(shape)}`);
  }
  for (let i = 0; i < t.rank; i++) {
    const d = t.shape[i];
    const target = shape[shape.length - t.rank + i];
    if (d !== target && d !== 1) {
      throw new ShapeError(
        `broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)} (dimension ${i} is ${d}, expected 1 or ${target})`,
      );
    }
  }
  const inputShape = t.shape;
  return runOp('broadcastTo', 'BroadcastTo', [t], { shape: [...shape] }, (dy) => [unbroadcast(dy, inputShape)]);
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
