import { DTypeError } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { promoteTypes } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastShapes } from '../tensor/shape.js';
import { runOp } from './op.js';
import { unbroadcast } from './broadcast.js';
import { cast } from './cast.js';
import { zerosLike } from '../tensor/create.js';

function boolOperand(op: string, arg: string, x: TensorLike): Tensor {
  const t = toTensor(x, op, arg);
  if (t.dtype !== 'bool') {
    throw new DTypeError(`${op}: ${arg} must be bool, got ${t.dtype} (compare it first, e.g. sd.gt(x, 0))`);
  }
  return t;
}

function logical(op: string, kernel: 'LogicalAnd' | 'LogicalOr' | 'LogicalXor') {
  return (a: TensorLike, b: TensorLike): Tensor => {
    const ta = boolOperand(op, 'a', a);
    const tb = boolOperand(op, 'b', b);
    broadcastShapes(op, ta.shape, tb.shape);
    return runOp(op, kernel, [ta, tb], {});
  };
}

/**
 * Logical ops on bool tensors with broadcasting; other dtypes give a DTypeError (compare
 * them first, e.g. `sd.ne(x, 0)`).
 *
 * ```ts
 * sd.logicalAnd(sd.gt(x, 0), sd.lt(x, 1)); // 0 < x < 1
 * ```
 */

/** a AND b on bool tensors. */
export const logicalAnd = logical('logicalAnd', 'LogicalAnd');
/** a OR b on bool tensors. */
export const logicalOr = logical('logicalOr', 'LogicalOr');
/** a XOR b on bool tensors. */
export const logicalXor = logical('logicalXor', 'LogicalXor');

/** NOT x on a bool tensor. */
export function logicalNot(x: TensorLike): Tensor {
  return runOp('logicalNot', 'LogicalNot', [boolOperand('logicalNot', 'x', x)], {});
}

/**
 * Picks a where `condition` holds and b elsewhere, all three broadcast together. a and b
 * are promoted to a common dtype (a JS number takes the other's). The condition must be
 * bool. Differentiable in a and b: each receives dy where it was picked, summed over the
 * dimensions broadcasting added.
 *
 * ```ts
 * sd.where(sd.gt(x, 0), x, 0);        // relu
 * ```
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = boolOperand('where', 'condition', condition);
  const likeA = a instanceof Tensor ? a.dtype : undefined;
  const likeB = b instanceof Tensor ? b.dtype : undefined;
  let ta = toTensor(a, 'where', 'a', likeB);
  let tb = toTensor(b, 'where', 'b', likeA);
  broadcastShapes('where', broadcastShapes('where', c.shape, ta.shape), tb.shape);
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  ta = cast(ta, dtype);
  tb = cast(tb, dtype);
  return runOp('where', 'Where', [c, ta, tb], {}, (dy) => {
    const zero = zerosLike(dy);
    return [
      null,
      ta.requiresGrad ? unbroadcast(where(c, dy, zero), ta.shape) : null,
      tb.requiresGrad ? unbroadcast(where(c, zero, dy), tb.shape) : null,
    ];
  });
}
