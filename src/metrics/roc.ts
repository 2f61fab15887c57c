import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';
import { asTensor, labelValues } from './labels.js';

/**
 * The ROC curve and the area under it, exactly as scikit-learn's `roc_curve` and
 * `roc_auc_score`: scores are sorted once, tied scores form one threshold (so a tie
 * between a positive and a negative counts one half), and the area is the trapezoidal
 * sum over the thresholds.
 */

export interface RocCurve {
  /** False positive rate at each threshold, from 0 up to 1. */
  fpr: number[];
  /** True positive rate at each threshold, from 0 up to 1. */
  tpr: number[];
  /** Scores at or above which a sample is called positive; the first is Infinity (nothing positive). */
  thresholds: number[];
}

/**
 * The ROC curve of binary labels against scores (scikit-learn `roc_curve` with
 * drop_intermediate=false): one point per distinct score, highest first.
 *
 * Labels: two distinct values (0/1, −1/1 or bool); the larger is the positive class.
 * Shapes: yTrue and yScore [N].
 *
 * ```ts
 * const { fpr, tpr } = sd.metrics.rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
 * ```
 */
export function rocCurve(yTrue: TensorLike, yScore: TensorLike): RocCurve {
  const [labels, scores] = binaryInputs('rocCurve', yTrue, yScore);
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  const { positives, negatives } = walk('rocCurve', labels, scores, (fps, tps, threshold) => {
    curve.fpr.push(fps);
    curve.tpr.push(tps);
    curve.thresholds.push(threshold);
  });
  curve.fpr = curve.fpr.map((v) => v / negatives);
  curve.tpr = curve.tpr.map((v) => v / positives);
  return curve;
}

export interface RocAucOptions {
  /**
   * How per-class areas combine for 2-D targets (multi-label indicators, or integer
   * labels against [N,C] scores, one class against the rest): 'macro' (default, the
   * unweighted mean), 'weighted' (by the number of positives), 'micro' (one curve over
   * every element).
   */
  average?: 'macro' | 'weighted' | 'micro';
}

/**
 * Area under the ROC curve (scikit-learn `roc_auc_score`): the probability that a random
 * positive scores above a random negative, ties counting one half. A target with a single
 * class is a ValueError, as the area is undefined.
 *
 * Shapes: binary yTrue and yScore [N]; multi-label yTrue and yScore [N,C] (0/1
 * indicators); or multi-class yTrue [N] (labels 0..C−1) with yScore [N,C], one class
 * against the rest.
 *
 * ```ts
 * sd.metrics.rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);      // 0.75
 * sd.metrics.rocAuc(labels, probabilities, { average: 'macro' }); // one-vs-rest
 * ```
 */
export function rocAuc(yTrue: TensorLike, yScore: TensorLike, options: RocAucOptions = {}): number {
  const op = 'rocAuc';
  const { average = 'macro' } = options;
  if (average !== 'macro' && average !== 'weighted' && average !== 'micro') {
    throw new ValueError(`${op}: average must be 'macro', 'weighted' or 'micro', got ${String(average)}`);
  }
  const t = asTensor(op, 'yTrue', yTrue);
  const s = asTensor(op, 'yScore', yScore);
  if (s.rank <= 1 && shapesEqual(t.shape, s.shape)) {
    const [labels, scores] = binaryInputs(op, t, s);
    return binaryAuc(op, labels, scores);
  }
  if (s.rank !== 2) throw shapeError(op, t, s);
  const [n, classes] = s.shape;
  let indicator: Int32Array;
  if (shapesEqual(t.shape, s.shape)) {
    indicator = labelValues(op, 'yTrue', t);
  } else if (t.rank === 1 && t.shape[0] === n) {
    const labels = labelValues(op, 'yTrue', t);
    indicator = new Int32Array(n * classes);
    labels.forEach((c, i) => {
      if (c < 0 || c >= classes) throw new ValueError(`${op}: yTrue holds label ${c} at position ${i}, out of range for ${classes} score columns`);
      indicator[i * classes + c] = 1;
    });
  } else {
    throw shapeError(op, t, s);
  }
  if (average === 'micro') return binaryAuc(op, indicator, s.values);
  let total = 0;
  let weights = 0;
  for (let c = 0; c < classes; c++) {
    const labels = new Int32Array(n);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = indicator[i * classes + c];
      scores[i] = s.values[i * classes + c];
    }
    const w = average === 'weighted' ? labels.reduce((a, b) => a + b, 0) : 1;
    total += w * binaryAuc(`${op} (class ${c})`, labels, scores);
    weights += w;
  }
  return total / weights;
}

/**
 * The area for 0/1 labels and scores; a single class is a ValueError naming `op`. The
 * streaming AUC metric uses it on everything it has seen.
 */
export function binaryAuc(op: string, labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  let area = 0;
  let lastFps = 0;
  let lastTps = 0;
  const { positives, negatives } = walk(op, labels, scores, (fps, tps) => {
    area += ((fps - lastFps) * (tps + lastTps)) / 2;
    lastFps = fps;
    lastTps = tps;
  });
  return area / (positives * negatives);
}

/**
 * Sorts by score, highest first, and calls `point` with the cumulative false and true
 * positives after each group of tied scores.
 */
function walk(
  op: string,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  point: (fps: number, tps: number, threshold: number) => void,
): { positives: number; negatives: number } {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new ValueError(`${op}: yScore holds NaN at position ${i}`);
    positives += labels[i];
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new ValueError(`${op}: only one class is present in yTrue; the ROC AUC is not defined then`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tps = 0;
  let fps = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i]) tps++;
    else fps++;
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) point(fps, tps, scores[i]);
  }
  return { positives, negatives };
}

/** Binary labels as 0/1 (the larger of two values is positive) and scores as numbers. */
function binaryInputs(op: string, yTrue: TensorLike, yScore: TensorLike): [Int32Array, ArrayLike<number>] {
  const t = asTensor(op, 'yTrue', yTrue);
  const s = asTensor(op, 'yScore', yScore);
  if (s.rank > 1 || !shapesEqual(t.shape, s.shape)) throw shapeError(op, t, s);
  const raw = labelValues(op, 'yTrue', t);
  const distinct = [...new Set(raw)].sort((a, b) => a - b);
  if (distinct.length > 2) {
    throw new ValueError(`${op}: yTrue must be binary, got labels ${distinct.join(', ')} (give [N,C] scores for multi-class)`);
  }
  const positive = distinct.length === 2 ? distinct[1] : 1;
  return [Int32Array.from(raw, (v) => (v === positive ? 1 : 0)), s.values];
}

function shapeError(op: string, t: Tensor, s: Tensor): ShapeError {
  return new ShapeError(
    `${op}: yTrue ${fmtShape(t.shape)} and yScore ${fmtShape(s.shape)} do not match: expected [N] and [N], [N,C] and [N,C], or [N] labels and [N,C] scores`,
  );
}
