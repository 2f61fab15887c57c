/**
 * Metrics, `sd.metrics`, in (yTrue, yPred) order as Keras and scikit-learn. The functions
 * take tensors (or arrays) and return numbers: accuracy, precision, F1, ROC AUC, errors,
 * and the confusion matrix as an int32 tensor. The classes are their streaming forms for
 * training (`update` per batch, `result`, `reset`); `getMetric(name)` resolves Keras names.
 */
export {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKAccuracy,
  type ThresholdOptions,
  type TopKOptions,
} from './accuracy.js';
export {
  confusionMatrix,
  precision,
  recall,
  f1Score,
  type Average,
  type ClassificationOptions,
} from './confusion.js';
export * from './roc.js';
export { meanSquaredError, meanAbsoluteError } from './regression.js';
export * from './streaming.js';
export { getMetric, resolveAccuracy, resolveCrossentropy, metricNames, type MetricIdentifier } from './registry.js';
