import { DTypeError, ValueError } from '../errors.js';
import { tensor, toTensor, type TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Argument checks shared by the indexing ops (gather, scatter, oneHot).
 *
 * Indices are int32. A plain JS array of integers is accepted and converted; a tensor of
 * another dtype is a DTypeError (cast it explicitly). Negative indices are rejected, as
 * torch.gather and torch.index_select do: every index must lie in 0..n-1.
 */

/** Converts `value` to an int32 index tensor, or throws a DTypeError naming op and argument. */
export function indexOperand(op: string, arg: string, value: TensorLike): Tensor {
  if (Array.isArray(value) || typeof value === 'number') {
    // plain JS integers are unambiguous indices; read them in float64 so none is rounded
    const t = tensor(value, undefined, 'float64');
    if (t.values.every((v) => Number.isInteger(v))) return new Tensor(Int32Array.from(t.values), t.shape, 'int32');
  }
  const t = toTensor(value, op, arg);
  if (t.dtype !== 'int32') {
    throw new DTypeError(`${op}: ${arg} must be int32 (indices), got ${t.dtype} (cast it with sd.cast(${arg}, 'int32'))`);
  }
  return t;
}

/** Throws a ValueError naming the first index outside 0..n-1, with its position. */
export function checkIndexRange(op: string, arg: string, indices: Tensor, n: number, what: string): void {
  const v = indices.values;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= n) {
      const range = n > 0 ? `0..${n - 1}` : 'none: the axis is empty';
      throw new ValueError(`${op}: ${arg} holds ${v[i]} at position ${i}, out of range for ${what} (valid: ${range})`);
    }
  }
}
