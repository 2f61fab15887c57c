/**
 * What the server knows of a model: its signature (named inputs and outputs with shapes
 * and dtypes) and one function, `predict`. Every kind of model file becomes a
 * `LoadedModel` through an adapter (adapters.ts), so the rest of the server never sees
 * layers or modules.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** One named input or output: the shape has -1 for the batch axis and any other unknown size. */
export interface TensorSpec {
  name: string;
  shape: number[];
  dtype: DType;
}

/** The named inputs and outputs of a model, as TF Serving's `signature_def`. */
export interface Signature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Class names, in the order of the classifier's output scores (for `:classify`). */
  classLabels?: string[];
}

/**
 * A model ready to serve. `predict` takes one tensor per input name, all with the batch
 * axis first, and returns one tensor per output name with the same batch size.
 */
export interface LoadedModel {
  signature: Signature;
  predict(inputs: Record<string, Tensor>): Record<string, Tensor>;
}

/**
 * How a worker builds a model: from a model file, or by calling an exported factory of a
 * module (for models that are code, and for tests). Plain data, so it can be posted to
 * worker threads, each of which builds its own copy.
 */
export type ModelSource =
  | { kind: 'file'; path: string }
  | {
      kind: 'factory';
      /** A module URL or absolute path. */
      module: string;
      /** The exported function, called with `options`, returning a LoadedModel (or a promise of one). */
      export: string;
      options?: unknown;
    };

/** A tensor as it travels between threads: a flat typed array and its shape. */
export interface WireTensor {
  data: TypedArray;
  shape: number[];
  dtype: DType;
}

export type WireTensors = Record<string, WireTensor>;

/** An error with the HTTP status the server answers it with; the message goes out as `{"error": ...}`. */
export class ServeError extends Error {
  override name = 'ServeError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** TF Serving's names of the dtypes, as in its metadata. */
export const TF_DTYPES: Record<DType, string> = {
  float32: 'DT_FLOAT',
  float64: 'DT_DOUBLE',
  int32: 'DT_INT32',
  bool: 'DT_BOOL',
};

/** `[-1,784]` */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
