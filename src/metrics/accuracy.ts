import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import { shapesEqual } from '../tensor/shape.js';
import { asTensor, labelPairs, labelValues, mismatch, rowArgmax, sameShapeValues } from './labels.js';

/**
 * Accuracies, in (yTrue, yPred) order as Keras and scikit-learn. Each returns the
 * fraction of correct predictions, a number (NaN for no samples); the `...Counts`
 * forms return the counts, which the streaming metrics add up batch by batch.
 */

/** Correct predictions out of total. */
export interface Counts {
  correct: number;
  total: number;
}

const fraction = (c: Counts): number => c.correct / c.total;

/**
 * Fraction of labels predicted exactly (scikit-learn `accuracy_score`): yTrue and yPred
 * are labels of one shape, or yPred holds scores with one more axis and its argmax is the
 * prediction.
 *
 * ```ts
 * sd.metrics.accuracy([0, 1, 2, 2], [0, 2, 2, 2]); // 0.75
 * sd.metrics.accuracy(labels, logits);               // argmax over the last axis
 * ```
 */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): number {
  return fraction(accuracyCounts(yTrue, yPred));
}

export function accuracyCounts(yTrue: TensorLike, yPred: TensorLike): Counts {
  const [t, p] = labelPairs('accuracy', yTrue, yPred);
  return countEqual(t, p);
}

export interface ThresholdOptions {
  /** A prediction above it counts as 1; default 0.5 (use 0 for logits). */
  threshold?: number;
}

/**
 * Fraction of binary predictions that match (Keras `binary_accuracy`): yPred > threshold
 * is class 1, compared with 0/1 labels yTrue, elementwise. [N] against [N,1] is fine.
 *
 * ```ts
 * sd.metrics.binaryAccuracy([1, 0, 1], [0.9, 0.4, 0.2]); // 2/3
 * ```
 */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, options: ThresholdOptions = {}): number {
  return fraction(binaryAccuracyCounts(yTrue, yPred, options));
}

export function binaryAccuracyCounts(yTrue: TensorLike, yPred: TensorLike, options: ThresholdOptions = {}): Counts {
  const threshold = thresholdOption('binaryAccuracy', options.threshold);
  const [t, p] = sameShapeValues('binaryAccuracy', yTrue, yPred);
  const tv = t.values;
  const pv = p.values;
  let correct = 0;
  for (let i = 0; i < pv.length; i++) if (Number(tv[i]) === (pv[i] > threshold ? 1 : 0)) correct++;
  return { correct, total: pv.length };
}

/**
 * Fraction of samples whose predicted class (argmax of yPred) is the class of the one-hot
 * (or probability) target yTrue (Keras `categorical_accuracy`).
 *
 * Shapes: yTrue and yPred [..., C].
 */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): number {
  return fraction(categoricalAccuracyCounts(yTrue, yPred));
}

export function categoricalAccuracyCounts(yTrue: TensorLike, yPred: TensorLike): Counts {
  const op = 'categoricalAccuracy';
  const t = asTensor(op, 'yTrue', yTrue);
  const p = asTensor(op, 'yPred', yPred);
  if (p.rank === 0 || !shapesEqual(t.shape, p.shape)) {
    const hint = t.rank === p.rank - 1 ? ' (integer labels go with sparseCategoricalAccuracy)' : '';
    throw new ShapeError(`${op}: yTrue ${fmtShape(t.shape)} must be one-hot of yPred's shape ${fmtShape(p.shape)}${hint}`);
  }
  const width = p.shape[p.rank - 1];
  return countEqual(rowArgmax(t.values, width), rowArgmax(p.values, width));
}

/**
 * Fraction of samples whose predicted class (argmax of yPred) is the integer label yTrue
 * (Keras `sparse_categorical_accuracy`).
 *
 * Shapes: yTrue [N] or [N,1], yPred [N,C].
 *
 * ```ts
 * sd.metrics.sparseCategoricalAccuracy(labels, model.predict(x));
 * ```
 */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): number {
  return fraction(sparseCategoricalAccuracyCounts(yTrue, yPred));
}

export function sparseCategoricalAccuracyCounts(yTrue: TensorLike, yPred: TensorLike): Counts {
  const [labels, scores, width] = sparseInputs('sparseCategoricalAccuracy', yTrue, yPred);
  return countEqual(labels, rowArgmax(scores, width));
}

export interface TopKOptions {
  /** How many of the highest scores count as a hit; default 5. */
  k?: number;
}

/**
 * Fraction of samples whose true class is among the k highest scores (Keras
 * `top_k_categorical_accuracy`, TensorFlow's `in_top_k`): a class is in the top k when
 * fewer than k classes score strictly higher, so ties at the boundary count as hits.
 * yTrue holds integer labels [N] (or [N,1]) or one-hot rows of yPred's shape.
 *
 * ```ts
 * sd.metrics.topKAccuracy(labels, logits, { k: 3 });
 * ```
 */
export function topKAccuracy(yTrue: TensorLike, yPred: TensorLike, options: TopKOptions = {}): number {
  return fraction(topKAccuracyCounts(yTrue, yPred, options));
}

export function topKAccuracyCounts(yTrue: TensorLike, yPred: TensorLike, options: TopKOptions = {}): Counts {
  const op = 'topKAccuracy';
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`${op}: k must be a positive integer, got ${String(k)}`);
  const [labels, scores, width] = sparseInputs(op, yTrue, yPred);
  let correct = 0;
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (label < 0 || label >= width) continue;
    const target = scores[r * width + label];
    if (Number.isNaN(target)) continue;
    let higher = 0;
    for (let c = 0; c < width; c++) if (scores[r * width + c] > target) higher++;
    if (higher < k) correct++;
  }
  return { correct, total: labels.length };
}

/** Integer labels (from labels, [N,1], or one-hot rows) and the [N,C] scores with C. */
function sparseInputs(op: string, yTrue: TensorLike, yPred: TensorLike): [Int32Array, ArrayLike<number>, number] {
  const t = asTensor(op, 'yTrue', yTrue);
  const p = asTensor(op, 'yPred', yPred);
  if (p.rank === 0) throw new ShapeError(`${op}: yPred must hold class scores [N,C], got a scalar`);
  const width = p.shape[p.rank - 1];
  const batch = p.shape.slice(0, -1);
  if (shapesEqual(t.shape, p.shape) && width > 1) return [rowArgmax(t.values, width), p.values, width];
  const squeezed = t.rank === p.rank && t.shape[t.rank - 1] === 1 ? t.shape.slice(0, -1) : t.shape;
  if (!shapesEqual(squeezed, batch)) throw mismatch(op, t, p);
  return [labelValues(op, 'yTrue', t), p.values, width];
}

function countEqual(a: ArrayLike<number>, b: ArrayLike<number>): Counts {
  let correct = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) correct++;
  return { correct, total: a.length };
}

export function thresholdOption(op: string, threshold: unknown): number {
  if (threshold === undefined) return 0.5;
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new ValueError(`${op}: threshold must be a number, got ${String(threshold)}`);
  }
  return threshold;
}
