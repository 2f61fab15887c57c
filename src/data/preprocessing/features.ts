import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { toTensor, type TensorLike } from '../../tensor/convert.js';
import { allocArray, isFloatDType } from '../../tensor/dtype.js';
import { normalizeAxis, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * Per-feature loops shared by the scalers and the imputer. A tensor is seen as
 * [outer, features, inner] around its feature axis: [N, F] with axis -1 gives F features of
 * N values each; images [N, C, H, W] with axis 1 give C channels of N·H·W values each.
 */

export interface FeatureLayout {
  outer: number;
  features: number;
  inner: number;
}

export function featureLayout(op: string, t: Tensor, axis: number): FeatureLayout {
  if (t.rank === 0) throw new ShapeError(`${op}: expected at least a 1-D tensor of features, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  return { outer: sizeOf(t.shape.slice(0, a)), features: t.shape[a], inner: sizeOf(t.shape.slice(a + 1)) };
}

/** The values of feature `j`, copied into a Float64Array (NaN included). */
export function featureValues(t: Tensor, l: FeatureLayout, j: number): Float64Array {
  const out = new Float64Array(l.outer * l.inner);
  let k = 0;
  for (let o = 0; o < l.outer; o++) {
    const base = (o * l.features + j) * l.inner;
    for (let i = 0; i < l.inner; i++) out[k++] = t.values[base + i];
  }
  return out;
}

/** A float copy of `t` (same dtype when float, float32 otherwise) with `fn(value, feature)` applied. */
export function mapFeatures(t: Tensor, l: FeatureLayout, fn: (v: number, j: number) => number): Tensor {
  const dtype = isFloatDType(t.dtype) ? t.dtype : 'float32';
  const out = allocArray(dtype, t.size);
  for (let o = 0; o < l.outer; o++) {
    for (let j = 0; j < l.features; j++) {
      const base = (o * l.features + j) * l.inner;
      for (let i = 0; i < l.inner; i++) out[base + i] = fn(t.values[base + i], j);
    }
  }
  return new Tensor(out, t.shape, dtype);
}

/** The operand of fit/transform as a tensor, with its layout and a check of the feature count. */
export function featureOperand(op: string, x: TensorLike, axis: number, expected?: number): { t: Tensor; l: FeatureLayout } {
  const t = toTensor(x, op, 'x');
  const l = featureLayout(op, t, axis);
  if (expected !== undefined && l.features !== expected) {
    throw new ShapeError(
      `${op}: x has ${l.features} features along axis ${axis} (shape ${fmtShape(t.shape)}) but the fit saw ${expected}`,
    );
  }
  return { t, l };
}

/** Throws unless the object was fitted. */
export function assertFitted<T>(op: string, value: T | undefined): T {
  if (value === undefined) throw new ValueError(`${op}: not fitted yet; call fit() (on the training split) first`);
  return value;
}

/** Checks that a JSON object was written by `kind`'s toJSON. */
export function checkJSON(kind: string, json: unknown): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || (json as { kind?: unknown }).kind !== kind) {
    throw new ValueError(`${kind}.fromJSON: expected an object with kind '${kind}', got ${JSON.stringify(json)?.slice(0, 80)}`);
  }
  return json as Record<string, unknown>;
}
