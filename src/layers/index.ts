/**
 * The Keras-style layers, `sd.layers` (TensorFlow.js Layers names): factories that take
 * one options object, the layer classes, and what custom layers need (Layer, registerLayer,
 * registerActivation). Each layer wraps the `sd.nn` module that computes it.
 *
 * ```ts
 * const model = sd.sequential([
 *   sd.layers.flatten({ inputShape: [28, 28] }),
 *   sd.layers.dense({ units: 128, activation: 'relu' }),
 *   sd.layers.dropout({ rate: 0.2 }),
 *   sd.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
import type { Tensor } from '../tensor/tensor.js';
import { Dense, type DenseArgs } from './dense.js';
import { Conv1D, Conv2D, Conv2DTranspose, type ConvArgs, type Conv2DArgs } from './conv.js';
import {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  MaxPooling1D, MaxPooling2D, type GlobalPoolingArgs, type PoolingArgs,
} from './pooling.js';
import { Flatten, Reshape, type ReshapeArgs } from './reshaping.js';
import { Dropout, GaussianNoise, type DropoutArgs, type GaussianNoiseArgs } from './noise.js';
import { BatchNormalization, LayerNormalization, type BatchNormalizationArgs, type LayerNormalizationArgs } from './normalization.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { Activation, type ActivationArgs } from './activation.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs } from './merge.js';
import { InputLayer } from './input.js';
import type { Layer, LayerArgs } from './layer.js';
import { SymbolicTensor } from './symbolic.js';

export { Layer, type LayerArgs, type LayerConfig, type SerializedLayer, type InputSpec, type LayerCallArgs } from './layer.js';
export { SymbolicTensor, Node, formatShape, type Shape, type CallArgs } from './symbolic.js';
export { InputLayer, input, type InputArgs } from './input.js';
export { registerLayer, layerFromConfig, type LayerClass } from './registry.js';
export { registerActivation, getActivation, type ActivationName, type ActivationFn } from './activation-fns.js';
export { clearSession } from './names.js';
export {
  Dense, Conv1D, Conv2D, Conv2DTranspose, MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D,
  GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, Flatten, Reshape, Dropout,
  GaussianNoise, BatchNormalization, LayerNormalization, Embedding, Activation, Add, Subtract, Multiply, Average,
  Maximum, Minimum, Concatenate,
};
export type {
  DenseArgs, ConvArgs, Conv2DArgs, PoolingArgs, GlobalPoolingArgs, ReshapeArgs, DropoutArgs, GaussianNoiseArgs,
  BatchNormalizationArgs, LayerNormalizationArgs, EmbeddingArgs, ActivationArgs, ConcatenateArgs,
};

/** Fully connected layer: `dense({ units: 128, activation: 'relu' })`. */
export const dense = (args: DenseArgs): Dense => new Dense(args);
/** 1-D convolution over (batch, steps, channels). */
export const conv1d = (args: ConvArgs): Conv1D => new Conv1D(args);
/** 2-D convolution over (batch, height, width, channels). */
export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
/** Transposed 2-D convolution (upsampling). */
export const conv2dTranspose = (args: ConvArgs): Conv2DTranspose => new Conv2DTranspose(args);
export const maxPooling1d = (args: PoolingArgs = {}): MaxPooling1D => new MaxPooling1D(args);
export const maxPooling2d = (args: PoolingArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling1d = (args: PoolingArgs = {}): AveragePooling1D => new AveragePooling1D(args);
export const averagePooling2d = (args: PoolingArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const globalAveragePooling1d = (args: GlobalPoolingArgs = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
export const globalAveragePooling2d = (args: GlobalPoolingArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const globalMaxPooling1d = (args: GlobalPoolingArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
export const globalMaxPooling2d = (args: GlobalPoolingArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
/** TensorFlow.js aliases of the pooling factories. */
export { maxPooling1d as maxPool1d, maxPooling2d as maxPool2d, averagePooling1d as avgPool1d, averagePooling2d as avgPool2d };
export { globalAveragePooling2d as globalAvgPool2d, globalMaxPooling2d as globalMaxPool2d };
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args);
export const layerNormalization = (args: LayerNormalizationArgs = {}): LayerNormalization => new LayerNormalization(args);
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
/** An input layer (usually made by `sd.input`). */
export const inputLayer = (args: ConstructorParameters<typeof InputLayer>[0]): InputLayer => new InputLayer(args);

/**
 * A merge factory: with options (or nothing) it returns the layer; with a list of inputs
 * it makes the layer and applies it at once (Keras' `layers.add([a, b])`).
 */
interface MergeFactory<L extends Layer, A> {
  (args?: A): L;
  (inputs: SymbolicTensor[]): SymbolicTensor;
  (inputs: Tensor[]): Tensor;
}

function mergeFactory<L extends Layer, A>(make: (args: A) => L): MergeFactory<L, A> {
  return ((arg?: unknown) => {
    if (Array.isArray(arg)) return make({} as A).apply(arg as SymbolicTensor[]);
    return make((arg ?? {}) as A);
  }) as MergeFactory<L, A>;
}

/** Sum of the inputs: `add().apply([a, b])` or `add([a, b])`. */
export const add = mergeFactory((args: LayerArgs) => new Add(args));
export const subtract = mergeFactory((args: LayerArgs) => new Subtract(args));
export const multiply = mergeFactory((args: LayerArgs) => new Multiply(args));
export const average = mergeFactory((args: LayerArgs) => new Average(args));
export const maximum = mergeFactory((args: LayerArgs) => new Maximum(args));
export const minimum = mergeFactory((args: LayerArgs) => new Minimum(args));
/** Joins the inputs along `axis` (default -1): `concatenate({ axis: -1 }).apply([a, b])` or `concatenate([a, b])`. */
export const concatenate = mergeFactory((args: ConcatenateArgs) => new Concatenate(args));
