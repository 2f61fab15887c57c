import type { DType, TypedArray } from '../tensor/dtype.js';

/**
 * The element types of the safetensors format and how Shendu stores each. Files are
 * written in F64, F32, I32 or BOOL (our four dtypes); on read, the other common types are
 * converted: F16 and BF16 to float32 (exactly: every half is a float32), I64, U32 and
 * U64 to int32 when every value fits, U8, I8, U16 and I16 to int32.
 */
export interface SafetensorsDType {
  /** Bytes per element. */
  readonly width: number;
  /** The Shendu dtype the elements are read into. */
  readonly target: DType;
}

export const SAFETENSORS_DTYPES: Readonly<Record<string, SafetensorsDType>> = {
  F64: { width: 8, target: 'float64' },
  F32: { width: 4, target: 'float32' },
  F16: { width: 2, target: 'float32' },
  BF16: { width: 2, target: 'float32' },
  I64: { width: 8, target: 'int32' },
  U64: { width: 8, target: 'int32' },
  I32: { width: 4, target: 'int32' },
  U32: { width: 4, target: 'int32' },
  I16: { width: 2, target: 'int32' },
  U16: { width: 2, target: 'int32' },
  I8: { width: 1, target: 'int32' },
  U8: { width: 1, target: 'int32' },
  BOOL: { width: 1, target: 'bool' },
};

/** Types of the format we know but cannot hold (8-bit floats, complex, ...). */
const UNSUPPORTED = ['F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64'];

/** The safetensors name of each Shendu dtype, as written. */
export const WRITE_DTYPE: Readonly<Record<DType, string>> = {
  float64: 'F64',
  float32: 'F32',
  int32: 'I32',
  bool: 'BOOL',
};

/** Why `name` is not a dtype we can read, for an error message. */
export function describeBadDType(name: unknown): string {
  if (typeof name === 'string' && UNSUPPORTED.includes(name)) {
    return `dtype ${name} is not supported (supported: ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`;
  }
  return `unknown dtype ${JSON.stringify(name)} (expected one of ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`;
}

/** True on little-endian hosts (every common one); the format is little-endian. */
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the bytes of each `width`-byte element in place (big-endian hosts only). */
function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/** The bytes of `values` as the file stores them: a view on little-endian hosts, a copy otherwise. */
export function toLittleEndian(values: TypedArray): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (HOST_LE || values.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, values.BYTES_PER_ELEMENT);
  return copy;
}

/**
 * Decodes `bytes` (a copy, owned by the caller) holding elements of `dtype` into the
 * storage of `SAFETENSORS_DTYPES[dtype].target`. Returns an error message instead when an
 * integer does not fit in int32.
 */
export function decodeElements(bytes: Uint8Array, dtype: string): TypedArray | string {
  const { width } = SAFETENSORS_DTYPES[dtype];
  if (!HOST_LE && width > 1) swapBytes(bytes, width);
  const buffer = bytes.buffer;
  const n = bytes.length / width;
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer, 0, n);
    case 'F32':
      return new Float32Array(buffer, 0, n);
    case 'I32':
      return new Int32Array(buffer, 0, n);
    case 'BOOL':
      // any non-zero byte is true; store 1 so that masks compare as expected
      for (let i = 0; i < n; i++) if (bytes[i] !== 0) bytes[i] = 1;
      return bytes;
    case 'F16':
      return Float32Array.from(new Uint16Array(buffer, 0, n), halfToFloat);
    case 'BF16': {
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      const halves = new Uint16Array(buffer, 0, n);
      for (let i = 0; i < n; i++) bits[i] = halves[i] << 16;
      return out;
    }
    case 'I16':
      return Int32Array.from(new Int16Array(buffer, 0, n));
    case 'U16':
      return Int32Array.from(new Uint16Array(buffer, 0, n));
    case 'I8':
      return Int32Array.from(new Int8Array(buffer, 0, n));
    case 'U8':
      return Int32Array.from(bytes);
    case 'U32':
      return narrowToInt32(new Uint32Array(buffer, 0, n), dtype);
    case 'I64':
      return narrowToInt32(new BigInt64Array(buffer, 0, n), dtype);
    case 'U64':
      return narrowToInt32(new BigUint64Array(buffer, 0, n), dtype);
    default:
      throw new Error(`decodeElements: no decoder for ${dtype}`);
  }
}

/** Copies integers into int32 storage, or says which value does not fit. */
function narrowToInt32(values: ArrayLike<number | bigint>, dtype: string): Int32Array | string {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (v < -2147483648 || v > 2147483647) {
      return `${dtype} value ${String(values[i])} at element ${i} does not fit in int32`;
    }
    out[i] = v;
  }
  return out;
}

/** The value of an IEEE 754 half-precision number given by its 16 bits. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}
