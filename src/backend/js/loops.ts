import type { TensorData } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../../tensor/dtype.js';
import { sizeOf, stridesOf } from '../../tensor/shape.js';

/**
 * Loop helpers that keep every js kernel to a few lines: elementwise maps with NumPy
 * broadcasting, and reductions over a set of axes.
 */

export function output(shape: readonly number[], dtype: DType, values?: TypedArray): TensorData {
  return { shape: [...shape], dtype, values: values ?? allocArray(dtype, sizeOf(shape)) };
}

/** A unary kernel from a scalar function. */
export function unary(fn: (x: number) => number, outDType?: DType) {
  return (inputs: TensorData[]): TensorData => {
    const x = inputs[0];
    const out = output(x.shape, outDType ?? x.dtype);
    const xv = x.values;
    const ov = out.values;
    for (let i = 0; i < xv.length; i++) ov[i] = fn(xv[i]);
    return out;
  };
}

/** Strides of `shape` aligned to an output of rank `rank`, 0 along broadcast dimensions. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const own = stridesOf(shape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const j = rank - shape.length + i;
    out[j] = shape[i] === 1 && outShape[j] !== 1 ? 0 : own[i];
  }
  return out;
}

/** The broadcast shape of several shapes (already validated at op entry). */
export function broadcastAll(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      if (s[i] !== 1) out[j] = s[i];
    }
  }
  return out;
}

/**
 * Calls `visit(outIndex, offsets)` for every element of the broadcast of `shapes`, with the
 * flat offset into each input. The innermost dimension runs in a tight loop.
 */
export function forEachBroadcast(
  shapes: readonly (readonly number[])[],
  visit: (outIndex: number, offsets: Int32Array) => void,
): number[] {
  const outShape = broadcastAll(shapes);
  const rank = outShape.length;
  const size = sizeOf(outShape);
  const strides = shapes.map((s) => broadcastStrides(s, outShape));
  const offsets = new Int32Array(shapes.length);
  const counter = new Array<number>(rank).fill(0);
  for (let i = 0; i < size; i++) {
    visit(i, offsets);
    // advance the odometer and the input offsets together
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < strides.length; k++) offsets[k] += strides[k][d];
      if (counter[d] < outShape[d]) break;
      for (let k = 0; k < strides.length; k++) offsets[k] -= strides[k][d] * outShape[d];
      counter[d] = 0;
    }
  }
  return outShape;
}

/** A binary kernel with broadcasting from a scalar function. */
export function binary(fn: (a: number, b: number) => number, outDType?: DType) {
  return (inputs: TensorData[]): TensorData => {
    const [a, b] = inputs;
    const dtype = outDType ?? a.dtype;
    const av = a.values;
    const bv = b.values;
    // Fast paths: equal shapes, and a scalar on either side (bias adds, scaling).
    if (av.length === bv.length && sameShape(a.shape, b.shape)) {
      const out = output(a.shape, dtype);
      const ov = out.values;
      for (let i = 0; i < av.length; i++) ov[i] = fn(av[i], bv[i]);
      return out;
    }
    if (bv.length === 1 && b.shape.length <= a.shape.length) {
      const out = output(a.shape, dtype);
      const ov = out.values;
      const s = bv[0];
      for (let i = 0; i < av.length; i++) ov[i] = fn(av[i], s);
      return out;
    }
    if (av.length === 1 && a.shape.length <= b.shape.length) {
      const out = output(b.shape, dtype);
      const ov = out.values;
      const s = av[0];
      for (let i = 0; i < bv.length; i++) ov[i] = fn(s, bv[i]);
      return out;
    }
    const outShape = broadcastAll([a.shape, b.shape]);
    const out = output(outShape, dtype);
    const ov = out.values;
    forEachBroadcast([a.shape, b.shape], (i, o) => {
      ov[i] = fn(av[o[0]], bv[o[1]]);
    });
    return out;
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Splits `shape` around the reduced `axes` so a reduction can visit each output element's
 * inputs. Returns the output shape (with or without kept dims) and, for every input
 * element, the output element it reduces into.
 */
export function reductionPlan(shape: readonly number[], axes: readonly number[], keepDims: boolean) {
  const reduced = new Set(axes);
  const keptShape = shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const outShape = keepDims ? keptShape : shape.filter((_, i) => !reduced.has(i));
  const outSize = sizeOf(keptShape);
  return { outShape, outSize, keptShape };
}

/**
 * A reduction kernel: `init` is the identity, `step` folds one value in, `finish` maps the
 * accumulator (and the count of reduced elements) to the output.
 */
export function reduce(
  init: number,
  step: (acc: number, x: number) => number,
  outDType?: DType,
) {
  return (inputs: TensorData[], attrs: { axes: number[]; keepDims: boolean }): TensorData => {
    const x = inputs[0];
    const { outShape, outSize, keptShape } = reductionPlan(x.shape, attrs.axes, attrs.keepDims);
    const out = output(outShape, outDType ?? x.dtype);
    const acc = new Float64Array(outSize).fill(init);
    const xv = x.values;
    if (x.values.length > 0) {
      // Fast path: reducing a trailing block of axes, the common case (sum over the last axis).
      const inner = trailingBlock(x.shape, attrs.axes);
      if (inner > 0) {
        for (let o = 0; o < outSize; o++) {
          let a = init;
          const base = o * inner;
          for (let j = 0; j < inner; j++) a = step(a, xv[base + j]);
          acc[o] = a;
        }
      } else {
        forEachBroadcast([x.shape, keptShape], (i, off) => {
          acc[off[1]] = step(acc[off[1]], xv[off[0]]);
        });
      }
    }
    out.values.set(acc);
    return out;
  };
}

/** Size of the reduced block when `axes` are exactly the trailing axes; 0 otherwise. */
function trailingBlock(shape: readonly number[], axes: readonly number[]): number {
  const rank = shape.length;
  if (axes.length === 0) return 0;
  for (let k = 0; k < axes.length; k++) if (axes[axes.length - 1 - k] !== rank - 1 - k) return 0;
  let n = 1;
  for (const a of axes) n *= shape[a];
  return n;
}
