import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxis } from '../tensor/shape.js';
import { runOp, type GradFn } from './op.js';
import { floatOperand } from './operands.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';
import { mul, sub } from './arithmetic.js';
import { exp } from './unary.js';

/**
 * Softmax along `axis` (the last by default): exp(x − max) / Σ exp(x − max). The maximum
 * is subtracted first, so large logits do not overflow.
 *
 * Gradient: dx = y·(dy − Σ dy·y), the sum along `axis`.
 * Shapes: any → the same shape.
 *
 * ```ts
 * sd.softmax(sd.tensor([[1, 2, 3]]));    // [[0.090, 0.245, 0.665]]
 * sd.softmax(sd.randn([4, 10, 7]), 1);  // sums to 1 along axis 1
 * ```
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return alongAxis('softmax', 'Softmax', x, axis, (dy, _inputs, y, a) => [mul(y, sub(dy, sum(mul(dy, y), a, true)))]);
}

/**
 * Log of the softmax along `axis`: x − max − log Σ exp(x − max), accurate where softmax
 * underflows to 0 (the input of cross-entropy).
 *
 * Gradient: dx = dy − exp(y)·Σ dy, the sum along `axis`.
 * Shapes: any → the same shape.
 *
 * ```ts
 * sd.logSoftmax(sd.tensor([1000, 0])); // [0, -1000], no overflow
 * ```
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return alongAxis('logSoftmax', 'LogSoftmax', x, axis, (dy, _inputs, y, a) => [sub(dy, mul(exp(y), sum(dy, a, true)))]);
}

/** Shared entry of the two: checks, the scalar case (a line of one), and the kernel call. */
function alongAxis(
  op: string,
  kernel: 'Softmax' | 'LogSoftmax',
  x: TensorLike,
  axis: number,
  grad: (dy: Tensor, inputs: readonly Tensor[], y: Tensor, axis: number) => (Tensor | null)[],
): Tensor {
  const t = floatOperand(op, x);
  if (t.rank === 0) {
    // As PyTorch: a scalar is a line of one element (axis 0 or -1).
    normalizeAxis(op, axis, 1);
    return reshape(alongAxis(op, kernel, reshape(t, [1]), 0, grad), []);
  }
  const a = normalizeAxis(op, axis, t.rank);
  const g: GradFn = (dy, inputs, y) => grad(dy, inputs, y, a);
  return runOp(op, kernel, [t], { axis: a }, g);
}
