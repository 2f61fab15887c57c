import { DTypeError } from '../errors.js';
import { isDType, isFloatDType, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';

/**
 * Converts `x` to `dtype`. Float to int truncates toward zero; any to bool is `x != 0`.
 * Differentiable between float types; the gradient is cast back.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!isDType(dtype)) {
    throw new DTypeError(`cast: unknown dtype '${String(dtype)}' (expected float32, float64, int32 or bool)`);
  }
  if (x.dtype === dtype) return x;
  const from = x.dtype;
  return runOp('cast', 'Cast', [x], { dtype }, isFloatDType(from) ? (dy) => [cast(dy, from)] : undefined);
}
