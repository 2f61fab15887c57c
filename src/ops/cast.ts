import { DTypeError } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isDType, isFloatDType, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';

/**
 * Converts `x` to `dtype`. Float to int32 truncates toward zero (NaN becomes 0); any dtype
 * to bool is `x != 0` (NaN is true). Casting to the same dtype returns `x` itself.
 * Differentiable between float types, where the gradient is cast back; an int32 or bool
 * result has no gradient.
 *
 * ```ts
 * sd.cast(sd.tensor([-1.7, 0, 2.5]), 'int32'); // [-1, 0, 2]
 * sd.cast(sd.tensor([0, 3]), 'bool');          // [false, true]
 * ```
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  if (!isDType(dtype)) {
    throw new DTypeError(`cast: unknown dtype '${String(dtype)}' (expected float32, float64, int32 or bool)`);
  }
  const t = toTensor(x, 'cast', 'x');
  if (t.dtype === dtype) return t;
  const from = t.dtype;
  return runOp('cast', 'Cast', [t], { dtype }, isFloatDType(from) ? (dy) => [cast(dy, from)] : undefined);
}
