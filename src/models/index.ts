/**
 * Keras-style models, `sd.models` (and `sd.sequential`, `sd.model`, `sd.input`):
 * Sequential and functional models with compile / fit / evaluate / predict / summary,
 * their JSON architecture, and `modelFromJSON` to rebuild one.
 *
 * ```ts
 * const model = sd.sequential([
 *   sd.layers.flatten({ inputShape: [28, 28] }),
 *   sd.layers.dense({ units: 128, activation: 'relu' }),
 *   sd.layers.dropout({ rate: 0.2 }),
 *   sd.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 * await model.fit(xTrain, yTrain, { epochs: 5 });
 * model.evaluate(xTest, yTest);
 * model.save('mnist.safetensors');
 * ```
 */
import { LayersModel, type ModelArgs } from './model.js';
import { Sequential, type SequentialArgs } from './sequential.js';
import type { Layer } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic.js';

export { LayersModel, type ModelArgs, type CompileConfig } from './model.js';
export { Sequential, type SequentialArgs } from './sequential.js';
export { modelFromJSON } from './config.js';
export { History } from './history.js';
export { clearSession } from '../layers/names.js';
export { input, type InputArgs } from '../layers/input.js';
export type { CompileArgs, OptimizerIdentifier } from './compile.js';
export type { FitArgs } from './training.js';
export { registerFitTracker, type TrackOption, type FitTrackingOptions, type FitTracker, type PredictionSample } from './fit-tracking.js';
export type { EvaluateArgs, PredictArgs } from './evaluation.js';
export type { SummaryOptions } from './summary.js';
export type { ArrayData, ModelData } from './data.js';

/** A Sequential model from a list of layers (or `{ layers, name }`). */
export function sequential(args: SequentialArgs | (Layer | SymbolicTensor)[] = {}): Sequential {
  return new Sequential(args);
}

/** A functional model from symbolic inputs to outputs: `sd.model({ inputs, outputs })`. */
export function model(args: ModelArgs): LayersModel {
  return new LayersModel(args);
}
