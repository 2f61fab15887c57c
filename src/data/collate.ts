import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isTypedArray } from '../tensor/convert.js';
import { allocArray, dtypeOfArray, type DType, type TypedArray } from '../tensor/dtype.js';
import { shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Batching by copying typed-array ranges: `takeRows` gathers rows of a tensor, `collate`
 * stacks a list of samples (tensors, numbers, tuples, records) along a new axis 0.
 * Neither goes through per-element tensor ops, so a batch costs one copy of its bytes.
 */

/**
 * What `collate` makes of a sample type: tensors, numbers, booleans and typed arrays
 * become one batched Tensor; strings become string[]; tuples and records are collated
 * field by field.
 */
export type Collated<T> = T extends Tensor | number | boolean | TypedArray
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

/** Rows of at least this many elements are copied with TypedArray.set. */
const LONG_ROW = 64;

/** Elements per row of a tensor: the product of every dimension but the first. */
export function rowSize(t: Tensor): number {
  return sizeOf(t.shape.slice(1));
}

/**
 * The rows `indices` of `t` (along axis 0), copied into a new tensor
 * [indices.length, ...t.shape[1:]] of the same dtype (into `into` when given: an array of
 * t's dtype and that many elements).
 */
export function takeRows(t: Tensor, indices: ArrayLike<number>, into?: TypedArray): Tensor {
  if (t.rank === 0) throw new ShapeError(`takeRows: a scalar has no rows`);
  const row = rowSize(t);
  const out = into ?? allocArray(t.dtype, indices.length * row);
  const src = t.values;
  const n = t.shape[0];
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!(r >= 0 && r < n)) throw new ValueError(`takeRows: row ${r} is out of range for ${n} rows`);
    if (row === 1) {
      out[i] = src[r];
      continue;
    }
    const from = r * row;
    // a long row is one memcpy through a view (3x faster than a loop for MNIST's 784
    // pixels; the view dies young); a short one costs less copied element by element
    if (row >= LONG_ROW) out.set(src.subarray(from, from + row), i * row);
    else for (let k = 0, to = i * row; k < row; k++) out[to + k] = src[from + k];
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}

/** Rows [start, end) of `t` as a tensor sharing its storage (no copy). */
export function rowRange(t: Tensor, start: number, end: number): Tensor {
  const row = rowSize(t);
  return new Tensor(t.values.subarray(start * row, end * row), [end - start, ...t.shape.slice(1)], t.dtype);
}

/** Row `i` of `t` as a tensor of shape t.shape[1:], sharing its storage (no copy). */
export function rowView(t: Tensor, i: number): Tensor {
  const row = rowSize(t);
  return new Tensor(t.values.subarray(i * row, (i + 1) * row), t.shape.slice(1), t.dtype);
}

/**
 * Stacks samples into a batch, as PyTorch's default_collate: tensors of one shape give
 * [B, ...shape] of their dtype; numbers give [B] (int32 when every number of the batch is
 * an integer, float32 otherwise); booleans give bool [B]; typed arrays of one length give
 * [B, length]; strings give string[]; tuples and records are collated position by position
 * (key by key).
 *
 * ```ts
 * const [x, y] = sd.data.collate([[sd.zeros([3]), 1], [sd.ones([3]), 0]]); // [2,3], int32 [2]
 * ```
 */
export function collate<T>(samples: readonly T[]): Collated<T> {
  return collateAt(samples, 'sample') as Collated<T>;
}

function collateAt(samples: readonly unknown[], where: string): unknown {
  if (samples.length === 0) throw new ValueError(`collate: cannot collate an empty batch`);
  const first = samples[0];
  if (first instanceof Tensor) return stackTensors(samples, where);
  if (isTypedArray(first)) {
    return stackTensors(
      samples.map((s, i) => {
        if (!isTypedArray(s)) throw mixed(where, i, 'a typed array', s);
        return new Tensor(s, [s.length], dtypeOfArray(s));
      }),
      where,
    );
  }
  if (typeof first === 'number' || typeof first === 'boolean') return stackScalars(samples, where);
  if (typeof first === 'string') {
    samples.forEach((s, i) => {
      if (typeof s !== 'string') throw mixed(where, i, 'a string', s);
    });
    return [...(samples as string[])];
  }
  if (Array.isArray(first)) {
    return first.map((_, k) =>
      collateAt(
        samples.map((s, i) => {
          if (!Array.isArray(s) || s.length !== first.length) {
            throw new ShapeError(`collate: ${where} ${i} is not an array of ${first.length} fields like ${where} 0`);
          }
          return s[k];
        }),
        `${where}[${k}]`,
      ),
    );
  }
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateAt(
        samples.map((s, i) => {
          if (s === null || typeof s !== 'object' || !(key in s)) {
            throw new ValueError(`collate: ${where} ${i} has no field '${key}' (${where} 0 has it)`);
          }
          return (s as Record<string, unknown>)[key];
        }),
        `${where}.${key}`,
      );
    }
    return out;
  }
  throw new DTypeError(`collate: cannot batch ${where} values of type ${describe(first)}`);
}

/** Copies tensors of one shape and dtype into [B, ...shape]. */
function stackTensors(samples: readonly unknown[], where: string): Tensor {
  const first = samples[0] as Tensor;
  const size = first.size;
  const out = allocArray(first.dtype, samples.length * size);
  samples.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw mixed(where, i, 'a Tensor', s);
    if (!shapesEqual(s.shape, first.shape)) {
      throw new ShapeError(
        `collate: ${where} ${i} has shape ${fmtShape(s.shape)} but ${where} 0 has ${fmtShape(first.shape)}; ` +
          `samples of one batch must have one shape`,
      );
    }
    if (s.dtype !== first.dtype) {
      throw new DTypeError(`collate: ${where} ${i} is ${s.dtype} but ${where} 0 is ${first.dtype}`);
    }
    out.set(s.values, i * size);
  });
  return new Tensor(out, [samples.length, ...first.shape], first.dtype);
}

function stackScalars(samples: readonly unknown[], where: string): Tensor {
  const bool = typeof samples[0] === 'boolean';
  let allIntegers = true;
  samples.forEach((s, i) => {
    if (bool ? typeof s !== 'boolean' : typeof s !== 'number') throw mixed(where, i, `a ${typeof samples[0]}`, s);
    if (!bool && !Number.isInteger(s)) allIntegers = false;
  });
  const dtype: DType = bool ? 'bool' : allIntegers ? 'int32' : 'float32';
  const out = allocArray(dtype, samples.length);
  samples.forEach((s, i) => (out[i] = Number(s)));
  return new Tensor(out, [samples.length], dtype);
}

function mixed(where: string, i: number, expected: string, got: unknown): Error {
  return new DTypeError(`collate: ${where} ${i} is ${describe(got)} but ${where} 0 is ${expected}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `a Tensor ${fmtShape(v.shape)}`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : `a ${typeof v}`;
}
