import { DTypeError } from '../errors.js';
import { isFloatDType, promoteTypes, type DType } from '../tensor/dtype.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastShapes } from '../tensor/shape.js';
import { cast } from './cast.js';

/**
 * Converts the operands of a binary op to tensors of one dtype and checks that they
 * broadcast. A JS number takes the other operand's dtype (PyTorch's scalar rule).
 */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const likeA = a instanceof Tensor ? a.dtype : undefined;
  const likeB = b instanceof Tensor ? b.dtype : undefined;
  let ta = toTensor(a, op, 'a', likeB);
  let tb = toTensor(b, op, 'b', likeA);
  broadcastShapes(op, ta.shape, tb.shape);
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  ta = cast(ta, dtype);
  tb = cast(tb, dtype);
  return [ta, tb];
}

/** Casts both operands to a float type (int and bool to float32), for true division and pow. */
export function floatOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const [ta, tb] = binaryOperands(op, a, b);
  const dtype: DType = isFloatDType(ta.dtype) ? ta.dtype : 'float32';
  return [cast(ta, dtype), cast(tb, dtype)];
}

/** Converts a unary op's argument and checks that it is a float tensor. */
export function floatOperand(op: string, x: TensorLike): Tensor {
  const t = toTensor(x, op, 'x');
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(`${op}: x must be float32 or float64, got ${t.dtype} (cast it with sd.cast(x, 'float32'))`);
  }
  return t;
}

/** Converts a unary op's argument and checks that it is numeric (not bool). */
export function numericOperand(op: string, x: TensorLike): Tensor {
  const t = toTensor(x, op, 'x');
  if (t.dtype === 'bool') throw new DTypeError(`${op}: x must be numeric, got bool (cast it first)`);
  return t;
}
