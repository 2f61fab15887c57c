import { ValueError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { asTensor, labelPairs } from './labels.js';
import { thresholdOption } from './accuracy.js';

/**
 * The confusion matrix, and precision, recall and F1 from per-class counts, as
 * scikit-learn computes them (`confusion_matrix`, `precision_score`, `recall_score`,
 * `f1_score`), in (yTrue, yPred) order.
 */

/**
 * Counts of (true class, predicted class) pairs: an int32 tensor [C,C] whose row i,
 * column j is the number of samples of class i predicted as j (rows are the truth, as
 * scikit-learn). yPred holds labels, or scores with one more axis (argmax). Without
 * numClasses, C is the largest label + 1. A label outside 0..C−1 is a ValueError.
 *
 * ```ts
 * sd.metrics.confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1], 3);
 * // [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
 * ```
 */
export function confusionMatrix(yTrue: TensorLike, yPred: TensorLike, numClasses?: number): Tensor {
  const [t, p] = labelPairs('confusionMatrix', yTrue, yPred);
  let c = numClasses;
  if (c === undefined) {
    c = 0;
    for (let i = 0; i < t.length; i++) c = Math.max(c, t[i] + 1, p[i] + 1);
  } else if (!Number.isInteger(c) || c < 1) {
    throw new ValueError(`confusionMatrix: numClasses must be a positive integer, got ${String(c)}`);
  }
  const out = new Int32Array(c * c);
  for (let i = 0; i < t.length; i++) {
    for (const [arg, v] of [['yTrue', t[i]], ['yPred', p[i]]] as const) {
      if (v < 0 || v >= c) {
        throw new ValueError(`confusionMatrix: ${arg} holds label ${v} at position ${i}, out of range for ${c} classes (valid: 0..${c - 1})`);
      }
    }
    out[t[i] * c + p[i]]++;
  }
  return new Tensor(out, [c, c], 'int32');
}

/** How per-class scores combine: scikit-learn's `average` (with 'none' for its None). */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'none';

export interface ClassificationOptions {
  /**
   * 'binary' (default: the score of class posLabel, for two classes), 'micro' (from the
   * summed counts; equals accuracy for single-label multi-class), 'macro' (unweighted mean
   * over classes), 'weighted' (mean weighted by support), or 'none' (one score per class).
   */
  average?: Average;
  /** The positive class of 'binary'; default 1. */
  posLabel?: number;
  /** The classes to score, in order; default every label present in yTrue or yPred. */
  labels?: number[];
  /** Turns probabilities into 0/1 predictions (p > threshold) for binary problems. */
  threshold?: number;
}

/** Per-class counts: true positives, false positives, false negatives, and support. */
export interface ClassCounts {
  tp: number;
  fp: number;
  fn: number;
  support: number;
}

/** Adds one batch of (true, predicted) labels into `counts` by class. */
export function addCounts(counts: Map<number, ClassCounts>, t: ArrayLike<number>, p: ArrayLike<number>): void {
  const get = (c: number): ClassCounts => {
    let e = counts.get(c);
    if (!e) counts.set(c, (e = { tp: 0, fp: 0, fn: 0, support: 0 }));
    return e;
  };
  for (let i = 0; i < t.length; i++) {
    const truth = get(t[i]);
    truth.support++;
    if (t[i] === p[i]) truth.tp++;
    else {
      truth.fn++;
      get(p[i]).fp++;
    }
  }
}

type Score = 'precision' | 'recall' | 'f1';

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function scoreOf(kind: Score, c: ClassCounts): number {
  if (kind === 'precision') return ratio(c.tp, c.tp + c.fp);
  if (kind === 'recall') return ratio(c.tp, c.tp + c.fn);
  return ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
}

/**
 * Combines per-class counts into one score (or one per class with 'none'), with
 * scikit-learn's rules; a ratio with a zero denominator is 0 (its zero_division=0).
 */
export function scoreFromCounts(op: string, kind: Score, counts: Map<number, ClassCounts>, options: ClassificationOptions = {}): number | number[] {
  const { average = 'binary', posLabel = 1 } = options;
  const present = [...counts.keys()].sort((a, b) => a - b);
  const labels = options.labels ?? present;
  const zero: ClassCounts = { tp: 0, fp: 0, fn: 0, support: 0 };
  const of = (c: number): ClassCounts => counts.get(c) ?? zero;
  switch (average) {
    case 'binary': {
      if (present.length > 2) {
        throw new ValueError(
          `${op}: the labels are multi-class (${present.join(', ')}) but average is 'binary'; choose 'micro', 'macro', 'weighted' or 'none'`,
        );
      }
      if (present.length === 2 && !present.includes(posLabel)) {
        throw new ValueError(`${op}: posLabel ${posLabel} is not one of the labels (${present.join(', ')})`);
      }
      return scoreOf(kind, of(posLabel));
    }
    case 'micro': {
      const sum = labels.reduce((s, c) => ({ tp: s.tp + of(c).tp, fp: s.fp + of(c).fp, fn: s.fn + of(c).fn, support: 0 }), zero);
      return scoreOf(kind, sum);
    }
    case 'macro':
      return labels.length === 0 ? 0 : labels.reduce((s, c) => s + scoreOf(kind, of(c)), 0) / labels.length;
    case 'weighted': {
      const total = labels.reduce((s, c) => s + of(c).support, 0);
      return ratio(labels.reduce((s, c) => s + of(c).support * scoreOf(kind, of(c)), 0), total);
    }
    case 'none':
      return labels.map((c) => scoreOf(kind, of(c)));
    default:
      throw new ValueError(`${op}: average must be 'binary', 'micro', 'macro', 'weighted' or 'none', got ${String(average)}`);
  }
}

/** Counts of one batch for the functional scores, thresholding probabilities when asked. */
function countsOf(op: string, yTrue: TensorLike, yPred: TensorLike, options: ClassificationOptions): Map<number, ClassCounts> {
  let pred: TensorLike = yPred;
  if (options.threshold !== undefined) {
    const threshold = thresholdOption(op, options.threshold);
    const p = asTensor(op, 'yPred', yPred);
    pred = new Tensor(Int32Array.from(p.values, (v) => (Number(v) > threshold ? 1 : 0)), p.shape, 'int32');
  }
  const [t, p] = labelPairs(op, yTrue, pred);
  const counts = new Map<number, ClassCounts>();
  addCounts(counts, t, p);
  return counts;
}

/**
 * Precision tp / (tp + fp): of the samples predicted as a class, the fraction that are
 * (scikit-learn `precision_score`). Binary by default; see ClassificationOptions.
 *
 * ```ts
 * sd.metrics.precision([0, 1, 1, 0], [0, 1, 0, 1]);                 // 0.5
 * sd.metrics.precision(labels, logits, { average: 'macro' });        // argmax of logits
 * sd.metrics.precision([1, 0], [0.8, 0.3], { threshold: 0.5 });      // from probabilities
 * ```
 */
export function precision(yTrue: TensorLike, yPred: TensorLike, options: ClassificationOptions & { average: 'none' }): number[];
export function precision(yTrue: TensorLike, yPred: TensorLike, options?: ClassificationOptions): number;
export function precision(yTrue: TensorLike, yPred: TensorLike, options: ClassificationOptions = {}): number | number[] {
  return scoreFromCounts('precision', 'precision', countsOf('precision', yTrue, yPred, options), options);
}

/**
 * Recall tp / (tp + fn): of the samples of a class, the fraction predicted as it
 * (scikit-learn `recall_score`). Binary by default; see ClassificationOptions.
 */
export function recall(yTrue: TensorLike, yPred: TensorLike, options: ClassificationOptions & { average: 'none' }): number[];
export function recall(yTrue: TensorLike, yPred: TensorLike, options?: ClassificationOptions): number;
export function recall(yTrue: TensorLike, yPred: TensorLike, options: ClassificationOptions = {}): number | number[] {
  return scoreFromCounts('recall', 'recall', countsOf('recall', yTrue, yPred, options), options);
}

/**
 * F1 = 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall (scikit-learn
 * `f1_score`; 'macro' averages the per-class F1, not F1 of the averages). Binary by
 * default; see ClassificationOptions.
 *
 * ```ts
 * sd.metrics.f1Score(labels, predicted, { average: 'macro' });
 * ```
 */
export function f1Score(yTrue: TensorLike, yPred: TensorLike, options: ClassificationOptions & { average: 'none' }): number[];
export function f1Score(yTrue: TensorLike, yPred: TensorLike, options?: ClassificationOptions): number;
export function f1Score(yTrue: TensorLike, yPred: TensorLike, options: ClassificationOptions = {}): number | number[] {
  return scoreFromCounts('f1Score', 'f1', countsOf('f1Score', yTrue, yPred, options), options);
}
