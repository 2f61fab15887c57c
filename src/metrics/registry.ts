import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from '../nn/module.js';
import { canonicalLossName, type LossIdentifier } from '../losses/registry.js';
import * as keras from '../losses/keras.js';
import {
  Accuracy,
  AUC,
  BinaryAccuracy,
  CategoricalAccuracy,
  F1Score,
  MeanAbsoluteError,
  MeanMetricWrapper,
  MeanSquaredError,
  Metric,
  Precision,
  Recall,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './streaming.js';

/**
 * Metrics by Keras name, for `model.compile({ metrics: ['accuracy'] })`. Names match
 * ignoring case and underscores ('sparseCategoricalAccuracy' or
 * 'sparse_categorical_accuracy'); the metric is named as it was asked for, as Keras logs it.
 */

interface Entry {
  name: string;
  aliases: string[];
  make: (name: string) => Metric;
}

const ENTRIES: Entry[] = [
  { name: 'binaryAccuracy', aliases: [], make: (name) => new BinaryAccuracy({ name }) },
  { name: 'categoricalAccuracy', aliases: [], make: (name) => new CategoricalAccuracy({ name }) },
  { name: 'sparseCategoricalAccuracy', aliases: [], make: (name) => new SparseCategoricalAccuracy({ name }) },
  { name: 'topKCategoricalAccuracy', aliases: ['sparseTopKCategoricalAccuracy'], make: (name) => new TopKCategoricalAccuracy({ name }) },
  { name: 'precision', aliases: [], make: (name) => new Precision({ name }) },
  { name: 'recall', aliases: [], make: (name) => new Recall({ name }) },
  { name: 'f1Score', aliases: ['f1'], make: (name) => new F1Score({ name }) },
  { name: 'auc', aliases: [], make: (name) => new AUC({ name }) },
  { name: 'meanSquaredError', aliases: ['mse'], make: (name) => new MeanSquaredError({ name }) },
  { name: 'meanAbsoluteError', aliases: ['mae'], make: (name) => new MeanAbsoluteError({ name }) },
  { name: 'binaryCrossentropy', aliases: [], make: (name) => new MeanMetricWrapper(keras.binaryCrossentropy, name) },
  { name: 'categoricalCrossentropy', aliases: [], make: (name) => new MeanMetricWrapper(keras.categoricalCrossentropy, name) },
  { name: 'sparseCategoricalCrossentropy', aliases: [], make: (name) => new MeanMetricWrapper(keras.sparseCategoricalCrossentropy, name) },
];

const ACCURACY = ['accuracy', 'acc'];
const CROSSENTROPY = ['crossentropy', 'ce'];
const key = (name: string): string => name.toLowerCase().replace(/_/g, '');
const BY_KEY = new Map<string, Entry>(ENTRIES.flatMap((e) => [e.name, ...e.aliases].map((n) => [key(n), e] as const)));

/** The metric names getMetric knows, with aliases: `accuracy (acc)`, `meanSquaredError (mse)`, ... */
export function metricNames(): string[] {
  return ['accuracy (acc)', ...ENTRIES.map((e) => (e.aliases.length ? `${e.name} (${e.aliases.join(', ')})` : e.name)), 'crossentropy (ce)'];
}

/**
 * The accuracy Keras means by 'accuracy' for a loss: binary for binary cross-entropy
 * (threshold 0 when it takes logits), sparse for sparse categorical cross-entropy (and
 * PyTorch's CrossEntropyLoss/NLLLoss, which take class indices), categorical for
 * categorical cross-entropy; for any other loss, or none, an Accuracy that decides on the
 * first batch from the shapes, by Keras' rule. The metric is named `name` ('accuracy').
 *
 * ```ts
 * sd.metrics.resolveAccuracy('sparseCategoricalCrossentropy'); // SparseCategoricalAccuracy named 'accuracy'
 * ```
 */
export function resolveAccuracy(loss?: LossIdentifier, name = 'accuracy'): Metric {
  const { lossName, fromLogits } = lossKind(loss);
  switch (lossName) {
    case 'binaryCrossentropy':
    case 'BCELoss':
      return new BinaryAccuracy({ name, threshold: fromLogits ? 0 : 0.5 });
    case 'BCEWithLogitsLoss':
      return new BinaryAccuracy({ name, threshold: 0 });
    case 'sparseCategoricalCrossentropy':
    case 'CrossEntropyLoss':
    case 'NLLLoss':
      return new SparseCategoricalAccuracy({ name });
    case 'categoricalCrossentropy':
      return new CategoricalAccuracy({ name });
    default:
      return new Accuracy({ name });
  }
}

/**
 * The cross-entropy Keras means by 'crossentropy' (or 'ce') for a loss: binary, sparse
 * or categorical as for 'accuracy' (see resolveAccuracy), on logits when the loss takes
 * them; for any other loss, chosen on the first batch by the same rule from the shapes.
 * A streaming mean of the per-sample cross-entropy, named `name`.
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: { name: 'sparseCategoricalCrossentropy', labelSmoothing: 0.1 }, metrics: ['accuracy', 'crossentropy'] });
 * ```
 */
export function resolveCrossentropy(loss?: LossIdentifier, name = 'crossentropy'): Metric {
  const { lossName, fromLogits } = lossKind(loss);
  type PerSample = (yTrue: Tensor, yPred: Tensor, options: keras.FromLogitsOptions) => Tensor;
  const byLoss: Record<string, [PerSample, boolean]> = {
    binaryCrossentropy: [keras.binaryCrossentropy, fromLogits],
    BCELoss: [keras.binaryCrossentropy, false],
    BCEWithLogitsLoss: [keras.binaryCrossentropy, true],
    sparseCategoricalCrossentropy: [keras.sparseCategoricalCrossentropy, fromLogits],
    CrossEntropyLoss: [keras.sparseCategoricalCrossentropy, true],
    categoricalCrossentropy: [keras.categoricalCrossentropy, fromLogits],
  };
  const known = lossName !== undefined && Object.hasOwn(byLoss, lossName) ? byLoss[lossName] : undefined;
  let fn: PerSample | null = known?.[0] ?? null;
  const logits = known?.[1] ?? fromLogits;
  const byShapes = (t: Tensor, p: Tensor): PerSample => {
    const last = (x: Tensor): number => (x.rank === 0 ? 1 : x.shape[x.rank - 1]);
    if (p.rank <= 1 || last(p) === 1) return keras.binaryCrossentropy;
    if (t.rank < p.rank || (last(t) === 1 && last(p) > 1)) return keras.sparseCategoricalCrossentropy;
    return keras.categoricalCrossentropy;
  };
  return new MeanMetricWrapper((yTrue, yPred) => {
    fn ??= byShapes(yTrue, yPred);
    return fn(yTrue, yPred, { fromLogits: logits });
  }, name);
}

/** The canonical name of a compiled loss (Keras name, or the loss module's class) and whether it takes logits. */
function lossKind(loss?: LossIdentifier): { lossName: string | undefined; fromLogits: boolean } {
  if (typeof loss === 'string') return { lossName: canonicalLossName(loss), fromLogits: false };
  if (loss instanceof Module) return { lossName: loss.constructor.name, fromLogits: false };
  if (typeof loss === 'function') return { lossName: canonicalLossName(loss.name) ?? loss.name, fromLogits: false };
  if (loss && typeof loss === 'object') return { lossName: canonicalLossName(loss.name), fromLogits: loss.fromLogits ?? false };
  return { lossName: undefined, fromLogits: false };
}

/** What getMetric accepts: a name, a Metric, or a function (yTrue, yPred) → values. */
export type MetricIdentifier = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor | number);

/**
 * Resolves a metric for `compile`: a Keras name ('accuracy', 'sparseCategoricalAccuracy',
 * 'precision', 'auc', 'mse', ...), a Metric object (returned as is), or a function
 * (yTrue, yPred) → per-sample values, averaged over every batch. 'accuracy' (or 'acc')
 * becomes the accuracy that fits `options.loss` (see resolveAccuracy), 'crossentropy'
 * (or 'ce') the cross-entropy (see resolveCrossentropy). A fresh metric is
 * made on every call. An unknown name is a ValueError listing the valid ones.
 *
 * ```ts
 * const metrics = ['accuracy', 'auc'].map((m) => sd.metrics.getMetric(m, { loss: 'binaryCrossentropy' }));
 * ```
 */
export function getMetric(metric: MetricIdentifier, options: { loss?: LossIdentifier } = {}): Metric {
  if (metric instanceof Metric) return metric;
  if (typeof metric === 'function') return new MeanMetricWrapper(metric);
  if (typeof metric !== 'string') {
    throw new ValueError(`getMetric: expected a metric name, a Metric or a function, got ${String(metric)}`);
  }
  if (ACCURACY.includes(key(metric))) return resolveAccuracy(options.loss, metric);
  if (CROSSENTROPY.includes(key(metric))) return resolveCrossentropy(options.loss, metric);
  const entry = BY_KEY.get(key(metric));
  if (!entry) throw new ValueError(`getMetric: unknown metric '${metric}'; valid names: ${metricNames().join(', ')}`);
  return entry.make(metric);
}
