import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from '../nn/module.js';
import { canonicalLossName, type LossIdentifier } from '../losses/registry.js';
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
];

const ACCURACY = ['accuracy', 'acc'];
const key = (name: string): string => name.toLowerCase().replace(/_/g, '');
const BY_KEY = new Map<string, Entry>(ENTRIES.flatMap((e) => [e.name, ...e.aliases].map((n) => [key(n), e] as const)));

/** The metric names getMetric knows, with aliases: `accuracy (acc)`, `meanSquaredError (mse)`, ... */
export function metricNames(): string[] {
  return ['accuracy (acc)', ...ENTRIES.map((e) => (e.aliases.length ? `${e.name} (${e.aliases.join(', ')})` : e.name))];
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
  let lossName: string | undefined;
  let fromLogits = false;
  if (typeof loss === 'string') lossName = canonicalLossName(loss);
  else if (loss instanceof Module) lossName = loss.constructor.name;
  else if (typeof loss === 'function') lossName = canonicalLossName(loss.name) ?? loss.name;
  else if (loss && typeof loss === 'object') {
    lossName = canonicalLossName(loss.name);
    fromLogits = loss.fromLogits ?? false;
  }
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

/** What getMetric accepts: a name, a Metric, or a function (yTrue, yPred) → values. */
export type MetricIdentifier = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor | number);

/**
 * Resolves a metric for `compile`: a Keras name ('accuracy', 'sparseCategoricalAccuracy',
 * 'precision', 'auc', 'mse', ...), a Metric object (returned as is), or a function
 * (yTrue, yPred) → per-sample values, averaged over every batch. 'accuracy' (or 'acc')
 * becomes the accuracy that fits `options.loss` (see resolveAccuracy). A fresh metric is
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
  const entry = BY_KEY.get(key(metric));
  if (!entry) throw new ValueError(`getMetric: unknown metric '${metric}'; valid names: ${metricNames().join(', ')}`);
  return entry.make(metric);
}
