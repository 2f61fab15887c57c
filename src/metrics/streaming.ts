import { ValueError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import {
  binaryAccuracyCounts,
  categoricalAccuracyCounts,
  sparseCategoricalAccuracyCounts,
  thresholdOption,
  topKAccuracyCounts,
  type Counts,
} from './accuracy.js';
import { addCounts, scoreFromCounts, type ClassCounts } from './confusion.js';
import { asTensor, rowArgmax, sameShapeValues, labelValues } from './labels.js';
import { errorSums } from './regression.js';
import { binaryAuc } from './roc.js';

/**
 * Streaming metrics for training loops and `fit`: `update(yTrue, yPred)` once per batch,
 * `result()` for the value over every batch since the last `reset()`. Names and defaults
 * follow Keras (`name` is what the progress line and the History show).
 *
 * ```ts
 * const acc = new sd.metrics.SparseCategoricalAccuracy();
 * for (const [x, y] of loader) acc.update(y, model.call(x));
 * console.log(acc.name, acc.result());
 * acc.reset();
 * ```
 */
export abstract class Metric {
  constructor(public name: string) {}

  /** Adds one batch. */
  abstract update(yTrue: TensorLike, yPred: TensorLike): void;

  /** The value over every batch since the last reset (0 before any, as Keras). */
  abstract result(): number;

  /** Forgets every batch. */
  abstract reset(): void;
}

/** A metric that is the fraction correct over all batches. */
abstract class CountingMetric extends Metric {
  #correct = 0;
  #total = 0;

  protected abstract count(yTrue: TensorLike, yPred: TensorLike): Counts;

  update(yTrue: TensorLike, yPred: TensorLike): void {
    const c = this.count(yTrue, yPred);
    this.#correct += c.correct;
    this.#total += c.total;
  }

  result(): number {
    return this.#total === 0 ? 0 : this.#correct / this.#total;
  }

  reset(): void {
    this.#correct = 0;
    this.#total = 0;
  }
}

/** Keras `BinaryAccuracy`: yPred > threshold (default 0.5) against 0/1 labels. */
export class BinaryAccuracy extends CountingMetric {
  readonly threshold: number;

  constructor(options: { name?: string; threshold?: number } = {}) {
    super(options.name ?? 'binary_accuracy');
    this.threshold = thresholdOption('BinaryAccuracy', options.threshold);
  }

  protected count(yTrue: TensorLike, yPred: TensorLike): Counts {
    return binaryAccuracyCounts(yTrue, yPred, { threshold: this.threshold });
  }
}

/** Keras `CategoricalAccuracy`: argmax of yPred against one-hot yTrue. */
export class CategoricalAccuracy extends CountingMetric {
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'categorical_accuracy');
  }

  protected count(yTrue: TensorLike, yPred: TensorLike): Counts {
    return categoricalAccuracyCounts(yTrue, yPred);
  }
}

/** Keras `SparseCategoricalAccuracy`: argmax of yPred [N,C] against integer labels [N]. */
export class SparseCategoricalAccuracy extends CountingMetric {
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'sparse_categorical_accuracy');
  }

  protected count(yTrue: TensorLike, yPred: TensorLike): Counts {
    return sparseCategoricalAccuracyCounts(yTrue, yPred);
  }
}

/** Keras `TopKCategoricalAccuracy` (one-hot yTrue) and `SparseTopKCategoricalAccuracy` (labels): both accepted. */
export class TopKCategoricalAccuracy extends CountingMetric {
  readonly k: number;

  constructor(options: { name?: string; k?: number } = {}) {
    super(options.name ?? 'top_k_categorical_accuracy');
    this.k = options.k ?? 5;
    if (!Number.isInteger(this.k) || this.k < 1) throw new ValueError(`TopKCategoricalAccuracy: k must be a positive integer, got ${String(this.k)}`);
  }

  protected count(yTrue: TensorLike, yPred: TensorLike): Counts {
    return topKAccuracyCounts(yTrue, yPred, { k: this.k });
  }
}

/**
 * Keras' 'accuracy' when the loss does not say which: decided on the first batch by
 * Keras' rule — yPred with a last axis of 1 (or 1-D) is binary; yTrue with fewer axes
 * than yPred, or a last axis of 1 against several classes, is sparse; else categorical.
 */
export class Accuracy extends Metric {
  #inner: Metric | null = null;

  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'accuracy');
  }

  update(yTrue: TensorLike, yPred: TensorLike): void {
    this.#inner ??= accuracyFor(asTensor('accuracy', 'yTrue', yTrue), asTensor('accuracy', 'yPred', yPred));
    this.#inner.update(yTrue, yPred);
  }

  result(): number {
    return this.#inner?.result() ?? 0;
  }

  reset(): void {
    this.#inner?.reset();
  }
}

function accuracyFor(t: Tensor, p: Tensor): Metric {
  const last = (x: Tensor): number => (x.rank === 0 ? 1 : x.shape[x.rank - 1]);
  if (p.rank <= 1 || last(p) === 1) return new BinaryAccuracy();
  if (t.rank < p.rank || (last(t) === 1 && last(p) > 1)) return new SparseCategoricalAccuracy();
  return new CategoricalAccuracy();
}

/** A running mean of one elementwise error over every element seen. */
abstract class MeanErrorMetric extends Metric {
  #sum = 0;
  #count = 0;

  constructor(
    name: string,
    private readonly op: string,
    private readonly which: 'squared' | 'absolute',
  ) {
    super(name);
  }

  update(yTrue: TensorLike, yPred: TensorLike): void {
    const s = errorSums(this.op, yTrue, yPred);
    this.#sum += s[this.which];
    this.#count += s.count;
  }

  result(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  reset(): void {
    this.#sum = 0;
    this.#count = 0;
  }
}

/** Keras `MeanSquaredError` metric: the mean of (yPred − yTrue)² over every element seen. */
export class MeanSquaredError extends MeanErrorMetric {
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'mean_squared_error', 'MeanSquaredError', 'squared');
  }
}

/** Keras `MeanAbsoluteError` metric: the mean of |yPred − yTrue| over every element seen. */
export class MeanAbsoluteError extends MeanErrorMetric {
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'mean_absolute_error', 'MeanAbsoluteError', 'absolute');
  }
}

/** Per-class counts collected batch by batch, scored with scikit-learn's rules. */
abstract class ClassCountMetric extends Metric {
  protected counts = new Map<number, ClassCounts>();

  reset(): void {
    this.counts.clear();
  }
}

/**
 * Keras `Precision` (and `Recall`, below): every element is a binary decision,
 * yPred > threshold (default 0.5) against yTrue ≠ 0; tp / (tp + fp), 0 when nothing
 * was predicted positive.
 */
export class Precision extends ClassCountMetric {
  readonly threshold: number;

  constructor(options: { name?: string; threshold?: number } = {}) {
    super(options.name ?? 'precision');
    this.threshold = thresholdOption('Precision', options.threshold);
  }

  update(yTrue: TensorLike, yPred: TensorLike): void {
    addBinary('Precision', this.counts, yTrue, yPred, this.threshold);
  }

  result(): number {
    return scoreFromCounts('Precision', 'precision', this.counts, { average: 'binary' }) as number;
  }
}

/** Keras `Recall`: tp / (tp + fn) over elements thresholded at `threshold` (default 0.5). */
export class Recall extends ClassCountMetric {
  readonly threshold: number;

  constructor(options: { name?: string; threshold?: number } = {}) {
    super(options.name ?? 'recall');
    this.threshold = thresholdOption('Recall', options.threshold);
  }

  update(yTrue: TensorLike, yPred: TensorLike): void {
    addBinary('Recall', this.counts, yTrue, yPred, this.threshold);
  }

  result(): number {
    return scoreFromCounts('Recall', 'recall', this.counts, { average: 'binary' }) as number;
  }
}

/**
 * F1 score over every batch. With [N,C] scores the prediction is the argmax and yTrue
 * holds labels or one-hot rows, scored 'macro' by default ('micro', 'weighted'); with
 * one score per sample it is binary: yPred > threshold against 0/1 labels.
 */
export class F1Score extends ClassCountMetric {
  readonly average: 'binary' | 'micro' | 'macro' | 'weighted' | undefined;
  readonly threshold: number;

  constructor(options: { name?: string; average?: 'binary' | 'micro' | 'macro' | 'weighted'; threshold?: number } = {}) {
    super(options.name ?? 'f1_score');
    this.average = options.average;
    if (!['binary', 'micro', 'macro', 'weighted', undefined].includes(this.average)) {
      throw new ValueError(`F1Score: average must be 'binary', 'micro', 'macro' or 'weighted', got ${String(this.average)}`);
    }
    this.threshold = thresholdOption('F1Score', options.threshold);
  }

  #multiClass = false;

  update(yTrue: TensorLike, yPred: TensorLike): void {
    const p = asTensor('F1Score', 'yPred', yPred);
    const width = p.rank === 0 ? 1 : p.shape[p.rank - 1];
    if (width <= 1) {
      addBinary('F1Score', this.counts, yTrue, p, this.threshold);
      return;
    }
    this.#multiClass = true;
    const t = asTensor('F1Score', 'yTrue', yTrue);
    const labels = t.size === p.size ? rowArgmax(t.values, width) : labelValues('F1Score', 'yTrue', t);
    const predicted = rowArgmax(p.values, width);
    if (labels.length !== predicted.length) {
      throw new ValueError(`F1Score: yTrue has ${labels.length} labels for ${predicted.length} rows of scores`);
    }
    addCounts(this.counts, labels, predicted);
  }

  result(): number {
    if (this.counts.size === 0) return 0;
    const average = this.average ?? (this.#multiClass ? 'macro' : 'binary');
    return scoreFromCounts('F1Score', 'f1', this.counts, { average }) as number;
  }

  override reset(): void {
    super.reset();
    this.#multiClass = false;
  }
}

/**
 * Keras `AUC` (ROC), computed exactly rather than on 200 thresholds: it keeps every
 * (label, score) pair of the epoch and sorts them in result(), as scikit-learn's
 * roc_auc_score. [N,C] scores count as N·C binary decisions against one-hot (or integer)
 * yTrue, as Keras does. 0 while only one class has been seen.
 */
export class AUC extends Metric {
  #labels: number[] = [];
  #scores: number[] = [];

  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'auc');
  }

  update(yTrue: TensorLike, yPred: TensorLike): void {
    let t = asTensor('AUC', 'yTrue', yTrue);
    const p = asTensor('AUC', 'yPred', yPred);
    if (p.rank >= 2 && t.rank === p.rank - 1 && p.shape[p.rank - 1] > 1) {
      const width = p.shape[p.rank - 1];
      const onehot = new Int32Array(p.size);
      labelValues('AUC', 'yTrue', t).forEach((c, i) => {
        if (c >= 0 && c < width) onehot[i * width + c] = 1;
      });
      t = new Tensor(onehot, p.shape, 'int32');
    }
    const [tt, pp] = sameShapeValues('AUC', t, p);
    for (let i = 0; i < pp.size; i++) {
      this.#labels.push(Number(tt.values[i]) > 0 ? 1 : 0);
      this.#scores.push(Number(pp.values[i]));
    }
  }

  result(): number {
    const positives = this.#labels.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === this.#labels.length) return 0;
    return binaryAuc('AUC', this.#labels, this.#scores);
  }

  reset(): void {
    this.#labels = [];
    this.#scores = [];
  }
}

/**
 * Wraps a function (yTrue, yPred) → per-sample values (a Tensor) or a batch value (a
 * number) into a streaming mean, as Keras' `MeanMetricWrapper` does for custom metrics.
 */
export class MeanMetricWrapper extends Metric {
  #sum = 0;
  #count = 0;

  constructor(
    readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor | number,
    name: string = fn.name || 'metric',
  ) {
    super(name);
  }

  update(yTrue: TensorLike, yPred: TensorLike): void {
    const v = this.fn(asTensor(this.name, 'yTrue', yTrue), asTensor(this.name, 'yPred', yPred));
    if (typeof v === 'number') {
      this.#sum += v;
      this.#count += 1;
    } else if (v instanceof Tensor) {
      for (let i = 0; i < v.size; i++) this.#sum += Number(v.values[i]);
      this.#count += v.size;
    } else {
      throw new ValueError(`metric '${this.name}' must return a Tensor or a number, got ${typeof v}`);
    }
  }

  result(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  reset(): void {
    this.#sum = 0;
    this.#count = 0;
  }
}

/** Thresholded binary decisions of one batch, as class 1 (positive) or 0. */
function addBinary(op: string, counts: Map<number, ClassCounts>, yTrue: TensorLike, yPred: TensorLike, threshold: number): void {
  const [t, p] = sameShapeValues(op, yTrue, yPred);
  const truth = Int32Array.from(t.values, (v) => (Number(v) !== 0 ? 1 : 0));
  const predicted = Int32Array.from(p.values, (v) => (Number(v) > threshold ? 1 : 0));
  addCounts(counts, truth, predicted);
}
