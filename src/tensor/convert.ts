import { DTypeError, ValueError, ShapeError } from '../errors.js';
import { allocArray, dtypeOfArray, isDType, type DType, type TypedArray } from './dtype.js';
import { Tensor, type NestedArray } from './tensor.js';
import { assertValidShape, sizeOf } from './shape.js';

/** Anything an op accepts where it takes a tensor. */
export type TensorLike = Tensor | number | boolean | NestedArray | TypedArray;

export function isTypedArray(value: unknown): value is TypedArray {
  return (
    value instanceof Float32Array ||
    value instanceof Float64Array ||
    value instanceof Int32Array ||
    value instanceof Uint8Array
  );
}

/** Typed arrays of other element types that tensor() copies into int32 or float32. */
type OtherTypedArray = Int8Array | Int16Array | Uint16Array | Uint32Array | Uint8ClampedArray;

function isOtherTypedArray(value: unknown): value is OtherTypedArray {
  return (
    value instanceof Int8Array ||
    value instanceof Int16Array ||
    value instanceof Uint16Array ||
    value instanceof Uint32Array ||
    value instanceof Uint8ClampedArray
  );
}

/**
 * Makes a tensor from nested arrays or a typed array, optionally reshaped to `shape` and
 * converted to `dtype`.
 *
 * The dtype is inferred unless given: booleans give bool, numbers give float32 (as in
 * TensorFlow.js), a typed array gives its own type (Uint8Array is bool; Int8Array,
 * Int16Array, Uint16Array, Uint32Array and Uint8ClampedArray are copied to int32). A
 * Float32Array, Float64Array, Int32Array or Uint8Array of the target dtype becomes the
 * tensor's storage without a copy; nested arrays and tensors are copied. Nested arrays
 * must be rectangular (ShapeError otherwise).
 *
 * ```ts
 * sd.tensor([[1, 2], [3, 4]]);                 // float32 [2,2]
 * sd.tensor(new Int32Array([1, 2, 3]));         // int32 [3]
 * sd.tensor([1, 2, 3, 4, 5, 6], [2, 3]);        // reshaped
 * sd.tensor([1, 0, 2], undefined, 'bool');      // [true, false, true]
 * ```
 */
export function tensor(data: TensorLike | OtherTypedArray, shape?: readonly number[], dtype?: DType): Tensor {
  if (dtype !== undefined && !isDType(dtype)) {
    throw new DTypeError(`tensor: unknown dtype '${String(dtype)}' (expected float32, float64, int32 or bool)`);
  }
  let values: TypedArray;
  let inferredShape: readonly number[];
  if (data instanceof Tensor) {
    values = dtype && dtype !== data.dtype ? castArray(data.values, dtype) : data.values.slice();
    inferredShape = data.shape;
  } else if (isTypedArray(data)) {
    const own = dtypeOfArray(data);
    values = dtype && dtype !== own ? castArray(data, dtype) : data;
    inferredShape = [data.length];
  } else if (isOtherTypedArray(data)) {
    values = castArray(Int32Array.from(data), dtype ?? 'int32');
    inferredShape = [data.length];
  } else {
    const flat: (number | boolean)[] = [];
    const nestedShape = inferShape(data);
    flatten(data, nestedShape, 0, flat);
    inferredShape = nestedShape;
    const target = dtype ?? (flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? 'bool' : 'float32');
    values = allocArray(target, flat.length);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      const num = typeof v === 'boolean' ? Number(v) : v;
      values[i] = target === 'bool' ? (num !== 0 ? 1 : 0) : num;
    }
  }
  if (shape !== undefined) {
    assertValidShape('tensor', shape);
    if (sizeOf(shape) !== values.length) {
      throw new ShapeError(`tensor: ${values.length} values cannot fill shape [${shape.join(',')}] (${sizeOf(shape)} elements)`);
    }
  }
  return new Tensor(values, shape ?? inferredShape, dtype ?? dtypeOfArray(values));
}

/** Converts values to another dtype's storage (bool is `v != 0`, int truncates). */
export function castArray(values: TypedArray, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  else out.set(values);
  return out;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flatten(data: NestedArray, shape: number[], dim: number, out: (number | boolean)[]): void {
  if (dim === shape.length) {
    if (Array.isArray(data)) {
      throw new ShapeError(`tensor: ragged nested array: expected a number at depth ${dim}, got ${describe(data)}`);
    }
    if (typeof data !== 'number' && typeof data !== 'boolean') {
      throw new ValueError(`tensor: expected a number or boolean at depth ${dim}, got ${describe(data)}`);
    }
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[dim]) {
    throw new ShapeError(
      `tensor: ragged nested array: expected ${shape[dim]} elements at depth ${dim}, got ${describe(data)}`,
    );
  }
  for (const item of data) flatten(item, shape, dim + 1, out);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} (typed arrays are accepted only at the top level)`;
  return value === null ? 'null' : typeof value;
}

/**
 * Converts an op argument to a tensor. A JS number becomes a scalar whose dtype fits
 * `like` (the other operand), so `x.mul(2)` keeps x's dtype as in PyTorch.
 */
export function toTensor(value: TensorLike, op: string, arg: string, like?: DType): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') {
    let dtype: DType = 'float32';
    if (like === 'float64') dtype = 'float64';
    else if ((like === 'int32' || like === 'bool') && Number.isInteger(value)) dtype = 'int32';
    return new Tensor(allocScalar(dtype, value), [], dtype);
  }
  if (typeof value === 'boolean') return new Tensor(new Uint8Array([value ? 1 : 0]), [], 'bool');
  if (Array.isArray(value) || isTypedArray(value) || isOtherTypedArray(value)) return tensor(value);
  throw new ValueError(`${op}: ${arg} must be a tensor, number, boolean or array, got ${typeof value}`);
}

function allocScalar(dtype: DType, value: number): TypedArray {
  const a = allocArray(dtype, 1);
  a[0] = value;
  return a;
}
