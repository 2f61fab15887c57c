/**
 * Losses, `sd.losses`. The functions take PyTorch's argument order, (input, target):
 * `sd.losses.crossEntropy(logits, labels)`. The same losses as modules are in `sd.nn`
 * (`new sd.nn.CrossEntropyLoss()`). The Keras losses, in Keras' order (yTrue, yPred), are
 * `sd.losses.keras.*` per sample, and `sd.losses.getLoss(name)` for `compile`.
 */
export * from './regression.js';
export * from './binary.js';
export * from './cross-entropy.js';
export * from './divergence.js';
export * from './hinge.js';
export type { Reduction, ReductionOptions } from './reduction.js';
export * from './modules.js';
export * as keras from './keras.js';
export { getLoss, lossNames, canonicalLossName, type LossFunction, type LossConfig, type LossIdentifier } from './registry.js';
