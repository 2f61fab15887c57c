import { DTypeError } from '../errors.js';

/**
 * Element types. float32 is the compute type; float64 exists so that gradient checks by
 * finite differences are exact enough; int32 holds indices and labels; bool holds masks
 * (one byte per element).
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Allocates zeroed storage for `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The dtype whose storage class `values` is. */
export function dtypeOfArray(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * The result type of combining two dtypes, as in NumPy/PyTorch type promotion restricted
 * to our four types: bool < int32 < float32 < float64.
 */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** Throws a DTypeError unless `dtype` is a float type. */
export function assertFloat(op: string, arg: string, dtype: DType): void {
  if (!isFloatDType(dtype)) {
    throw new DTypeError(`${op}: ${arg} must be float32 or float64, got ${dtype}`);
  }
}

/** Throws a DTypeError unless `dtype` is int32 (indices and labels). */
export function assertInt(op: string, arg: string, dtype: DType): void {
  if (dtype !== 'int32') {
    throw new DTypeError(`${op}: ${arg} must be int32 (indices), got ${dtype}`);
  }
}

/** Throws a DTypeError if `dtype` is bool: arithmetic is undefined on masks. */
export function assertNotBool(op: string, arg: string, dtype: DType): void {
  if (dtype === 'bool') {
    throw new DTypeError(`${op}: ${arg} must be a numeric dtype, got bool (cast it first)`);
  }
}
