import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { div, mul } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { cast } from '../ops/cast.js';
import { Module } from '../nn/module.js';
import * as keras from './keras.js';

/**
 * Losses by Keras name, for `model.compile({ loss: 'sparseCategoricalCrossentropy' })`.
 * Names are matched ignoring case and underscores, so TensorFlow.js spellings
 * ('meanSquaredError') and Python ones ('mean_squared_error') both work.
 */

/**
 * A compiled loss: (yTrue, yPred) in Keras order → a scalar, the per-sample losses
 * averaged over the batch (Keras' SUM_OVER_BATCH_SIZE): Σ loss_i·w_i / count, with
 * `sampleWeight` w of shape [N] (class weights of fit turn into these) or 1.
 */
export type LossFunction = (yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor) => Tensor;

/**
 * A name with options, for the cross-entropies: on logits, `{ name:
 * 'sparseCategoricalCrossentropy', fromLogits: true }`, or with softened targets, `{ name:
 * 'categoricalCrossentropy', labelSmoothing: 0.1 }`.
 */
export interface LossConfig {
  name: string;
  fromLogits?: boolean;
  labelSmoothing?: number;
}

/**
 * What getLoss accepts: a Keras name, a config, a function (yTrue, yPred) → per-sample
 * or scalar loss, or a PyTorch-style loss module (called as module(yPred, yTrue)).
 */
export type LossIdentifier = string | LossConfig | ((yTrue: Tensor, yPred: Tensor) => Tensor) | Module;

interface Entry {
  name: string;
  aliases: string[];
  fn: (yTrue: TensorLike, yPred: TensorLike, options?: keras.CrossentropyOptions) => Tensor;
  /** A cross-entropy: takes fromLogits and labelSmoothing. */
  takesLogits?: boolean;
}

const ENTRIES: Entry[] = [
  { name: 'meanSquaredError', aliases: ['mse'], fn: keras.meanSquaredError },
  { name: 'meanAbsoluteError', aliases: ['mae'], fn: keras.meanAbsoluteError },
  { name: 'meanAbsolutePercentageError', aliases: ['mape'], fn: keras.meanAbsolutePercentageError },
  { name: 'meanSquaredLogarithmicError', aliases: ['msle'], fn: keras.meanSquaredLogarithmicError },
  { name: 'huber', aliases: ['huberLoss'], fn: keras.huber },
  { name: 'logCosh', aliases: [], fn: keras.logCosh },
  { name: 'poisson', aliases: [], fn: keras.poisson },
  { name: 'binaryCrossentropy', aliases: [], fn: keras.binaryCrossentropy, takesLogits: true },
  { name: 'categoricalCrossentropy', aliases: [], fn: keras.categoricalCrossentropy, takesLogits: true },
  { name: 'sparseCategoricalCrossentropy', aliases: [], fn: keras.sparseCategoricalCrossentropy, takesLogits: true },
  { name: 'kullbackLeiblerDivergence', aliases: ['kld', 'klDivergence'], fn: keras.kullbackLeiblerDivergence },
  { name: 'hinge', aliases: [], fn: keras.hinge },
  { name: 'squaredHinge', aliases: [], fn: keras.squaredHinge },
  { name: 'categoricalHinge', aliases: [], fn: keras.categoricalHinge },
];

const key = (name: string): string => name.toLowerCase().replace(/_/g, '');
const BY_KEY = new Map<string, Entry>(ENTRIES.flatMap((e) => [e.name, ...e.aliases].map((n) => [key(n), e] as const)));

/** The Keras loss names getLoss knows, with their aliases: `meanSquaredError (mse)`. */
export function lossNames(): string[] {
  return ENTRIES.map((e) => (e.aliases.length ? `${e.name} (${e.aliases.join(', ')})` : e.name));
}

/**
 * The canonical name of a Keras loss name or alias ('mse' → 'meanSquaredError'), or
 * undefined for a name that is not one.
 */
export function canonicalLossName(name: string): string | undefined {
  return typeof name === 'string' ? BY_KEY.get(key(name))?.name : undefined;
}

/**
 * Resolves a loss for `compile`: a Keras name ('sparseCategoricalCrossentropy', 'mse',
 * 'binary_crossentropy', ...), a config with fromLogits, a function (yTrue, yPred) giving
 * per-sample or scalar losses, or a PyTorch-style loss module such as
 * `new sd.nn.CrossEntropyLoss()` (which takes (input, target): getLoss swaps the
 * arguments). The result is a LossFunction returning the batch-mean loss; its `name` is
 * the canonical name. An unknown name is a ValueError listing the valid ones.
 *
 * ```ts
 * const loss = sd.losses.getLoss('sparseCategoricalCrossentropy');
 * loss(labels, probabilities);                   // scalar
 * sd.losses.getLoss({ name: 'categoricalCrossentropy', fromLogits: true });
 * ```
 */
export function getLoss(loss: LossIdentifier): LossFunction {
  if (loss instanceof Module) {
    const module = loss;
    return named(module.constructor.name, (yTrue, yPred) => module.call(yPred, yTrue) as Tensor);
  }
  if (typeof loss === 'function') return named(loss.name || 'loss', loss);
  const config: LossConfig | undefined = typeof loss === 'string' ? { name: loss } : isConfig(loss) ? loss : undefined;
  if (!config) {
    throw new ValueError(`getLoss: expected a loss name, a { name, fromLogits } config, a function or a loss module, got ${String(loss)}`);
  }
  const entry = BY_KEY.get(key(config.name));
  if (!entry) {
    throw new ValueError(`getLoss: unknown loss '${config.name}'; valid names: ${lossNames().join(', ')}`);
  }
  const fromLogits = config.fromLogits ?? false;
  if (typeof fromLogits !== 'boolean') throw new ValueError(`getLoss: fromLogits must be true or false, got ${String(fromLogits)}`);
  if (fromLogits && !entry.takesLogits) {
    throw new ValueError(`getLoss: '${entry.name}' has no fromLogits option (only the cross-entropies do)`);
  }
  const labelSmoothing = config.labelSmoothing ?? 0;
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new ValueError(`getLoss: labelSmoothing must be a number in [0, 1], got ${String(config.labelSmoothing)}`);
  }
  if (labelSmoothing !== 0 && !entry.takesLogits) {
    throw new ValueError(`getLoss: '${entry.name}' has no labelSmoothing option (only the cross-entropies do)`);
  }
  for (const k of Object.keys(config)) {
    if (!['name', 'fromLogits', 'labelSmoothing'].includes(k)) throw new ValueError(`getLoss: unknown option '${k}' in the config of '${entry.name}' (valid: fromLogits, labelSmoothing)`);
  }
  return named(entry.name, (yTrue, yPred) => entry.fn(yTrue, yPred, { fromLogits, labelSmoothing }));
}

function isConfig(value: unknown): value is LossConfig {
  return typeof value === 'object' && value !== null && typeof (value as LossConfig).name === 'string';
}

/** Wraps per-sample losses into the batch mean, weighted by sampleWeight, named `name`. */
function named(name: string, perSample: (yTrue: Tensor, yPred: Tensor) => Tensor): LossFunction {
  const fn = (yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor => {
    const losses = perSample(yTrue, yPred);
    if (!(losses instanceof Tensor)) {
      throw new ValueError(`loss '${name}' must return a Tensor, got ${typeof losses}`);
    }
    if (sampleWeight === undefined) return losses.rank === 0 ? losses : mean(losses);
    return weightedMean(name, losses, sampleWeight);
  };
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** Σ loss·w / count, with w [N] broadcast over the trailing axes of the losses. */
function weightedMean(name: string, losses: Tensor, sampleWeight: TensorLike): Tensor {
  let w = toTensor(sampleWeight, name, 'sampleWeight', losses.dtype);
  if (w.dtype !== losses.dtype) w = cast(w, losses.dtype);
  if (losses.rank === 0) {
    throw new ShapeError(`${name}: sampleWeight needs one loss per sample, but the loss returned a scalar`);
  }
  const n = losses.shape[0];
  if (w.size !== n || (w.rank > 1 && !(w.rank === 2 && w.shape[1] === 1))) {
    throw new ShapeError(`${name}: sampleWeight must hold one weight per sample, shape [${n}], got ${fmtShape(w.shape)}`);
  }
  const expanded = reshape(w, [n, ...losses.shape.slice(1).map(() => 1)]);
  return div(sum(mul(losses, expanded)), losses.size);
}
