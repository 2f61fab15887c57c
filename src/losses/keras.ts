import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';
import { add, div, maximum, mul, neg, sub } from '../ops/arithmetic.js';
import { abs, clip, log, log1p, square } from '../ops/unary.js';
import { softplus } from '../ops/activations.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { cast } from '../ops/cast.js';
import { logSoftmax } from '../ops/softmax.js';
import { labelSmoothingOption, sparseSoftmaxCrossEntropy } from '../ops/softmax-cross-entropy.js';
import { takeAlongAxis } from '../ops/scatter.js';
import { checkIndexRange } from '../ops/indices.js';
import { floatInput, realTarget } from './reduction.js';
import { huberLoss } from './regression.js';
import { binaryCrossEntropyWithLogits } from './binary.js';
import { categoricalHingeLoss, hingeLoss, squaredHingeLoss } from './hinge.js';
import { logitsBehind } from './logits.js';

/**
 * The Keras losses, per sample, in Keras' argument order (yTrue, yPred) — the reverse of
 * the PyTorch-style functions of `sd.losses`. Each returns one loss per sample: the mean
 * over the last axis of the elementwise loss ([N,K] → [N]; a 1-D prediction is one value
 * per sample), or the per-sample cross-entropy. `sd.losses.getLoss(name)` turns them into
 * the scalar losses `model.compile` uses.
 *
 * As in Keras, a target with one axis less than a prediction whose last axis is 1 (labels
 * [N] against sigmoid outputs [N,1]) is expanded to match.
 */

/** Keras' fuzz factor: probabilities are clipped to [ε, 1 − ε] before their log. */
export const EPSILON = 1e-7;

export interface FromLogitsOptions {
  /** yPred holds logits rather than probabilities; default false, as Keras. */
  fromLogits?: boolean;
}

/** Options of the cross-entropies. */
export interface CrossentropyOptions extends FromLogitsOptions {
  /**
   * ε in [0, 1]: the targets are softened towards uniform, t·(1 − ε) + ε/C over C classes
   * (C = 2 for the binary cross-entropy, as Keras). Default 0.
   */
  labelSmoothing?: number;
}

/** A Keras per-sample loss. */
export type KerasLossFn = (yTrue: TensorLike, yPred: TensorLike) => Tensor;

/** mean((yPred − yTrue)², −1). */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('meanSquaredError', yTrue, yPred);
  return lastAxisMean(square(sub(p, t)));
}

/** mean(|yPred − yTrue|, −1). */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('meanAbsoluteError', yTrue, yPred);
  return lastAxisMean(abs(sub(p, t)));
}

/** 100·mean(|yTrue − yPred| / max(|yTrue|, ε), −1). */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('meanAbsolutePercentageError', yTrue, yPred);
  return mul(lastAxisMean(div(abs(sub(t, p)), maximum(abs(t), EPSILON))), 100);
}

/** mean((log(max(yPred, ε) + 1) − log(max(yTrue, ε) + 1))², −1). */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('meanSquaredLogarithmicError', yTrue, yPred);
  return lastAxisMean(square(sub(log1p(maximum(p, EPSILON)), log1p(maximum(t, EPSILON)))));
}

/** Huber loss with delta 1 (Keras `huber`), mean over the last axis. */
export function huber(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('huber', yTrue, yPred);
  return lastAxisMean(huberLoss(p, t, { reduction: 'none' }));
}

/** mean(log(cosh(yPred − yTrue)), −1), computed as d + softplus(−2d) − log 2. */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('logCosh', yTrue, yPred);
  const d = sub(p, t);
  return lastAxisMean(sub(add(d, softplus(mul(d, -2))), Math.LN2));
}

/** mean(yPred − yTrue·log(yPred + ε), −1). */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('poisson', yTrue, yPred);
  return lastAxisMean(sub(p, mul(t, log(add(p, EPSILON)))));
}

/**
 * Binary cross-entropy, mean over the last axis. Probabilities are clipped to
 * [ε, 1 − ε] (Keras); with fromLogits, or for the output of a Keras sigmoid activation
 * (whose logits it remembers, see logits.ts), the stable logits form is used;
 * labelSmoothing ε turns the targets into t·(1 − ε) + ε/2.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const [target, p] = aligned('binaryCrossentropy', yTrue, yPred);
  const t = smoothed('binaryCrossentropy', target, options.labelSmoothing, 2);
  if (options.fromLogits) return lastAxisMean(binaryCrossEntropyWithLogits(p, t, { reduction: 'none' }));
  const logits = logitsBehind(p, 'sigmoid');
  if (logits) return lastAxisMean(binaryCrossEntropyWithLogits(logits, t, { reduction: 'none' }));
  const q = clip(p, EPSILON, 1 - EPSILON);
  return lastAxisMean(neg(add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q))))));
}

/**
 * Cross-entropy against one-hot (or soft) targets along the last axis. Probabilities are
 * renormalised to sum to 1 and clipped to [ε, 1 − ε] (Keras); fromLogits, or the output
 * of a Keras softmax activation (through the logits it remembers), uses the log-softmax;
 * labelSmoothing ε turns the targets into t·(1 − ε) + ε/C.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const op = 'categoricalCrossentropy';
  const [target, p] = aligned(op, yTrue, yPred);
  if (p.rank === 0) throw new ShapeError(`${op}: yPred must have a class axis (the last), got a scalar`);
  const t = smoothed(op, target, options.labelSmoothing, p.shape[p.rank - 1]);
  return neg(sum(mul(t, logProbabilities(p, options.fromLogits ?? false)), -1));
}

/**
 * Cross-entropy against integer class labels: yTrue [N] (or [N,1]) of class indices,
 * yPred [N,C] of probabilities (the output of a softmax, Keras' default) or logits with
 * fromLogits; the output of a Keras softmax activation is read through its logits, as
 * Keras does. Labels are int32, or floats holding integers (as Keras and TensorFlow.js
 * accept); a label outside 0..C−1 is a ValueError. labelSmoothing ε gives the loss of the
 * smoothed one-hot targets, (1 − ε)·(−log p_label) + ε·mean_c(−log p_c), as PyTorch's
 * cross_entropy.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const op = 'sparseCategoricalCrossentropy';
  const p = floatInput(op, 'yPred', yPred);
  if (p.rank === 0) throw new ShapeError(`${op}: yPred must have a class axis (the last), got a scalar`);
  const labels = sparseLabels(op, yTrue, p);
  const classes = p.shape[p.rank - 1];
  const batchShape = p.shape.slice(0, -1);
  const smoothing = labelSmoothingOption(op, options.labelSmoothing);
  const logits = options.fromLogits ? p : logitsBehind(p, 'softmax');
  if (logits) {
    const rowsOfLogits = reshape(logits, [labels.size, classes]);
    const labelRow = reshape(labels, [labels.size]);
    return reshape(sparseSoftmaxCrossEntropy(rowsOfLogits, labelRow, { labelSmoothing: smoothing }), batchShape);
  }
  const rows = reshape(logProbabilities(p, false), [labels.size, classes]);
  const picked = neg(reshape(takeAlongAxis(rows, reshape(labels, [labels.size, 1]), 1), batchShape));
  if (smoothing === 0) return picked;
  const uniform = neg(reshape(mean(rows, -1), batchShape));
  return add(mul(picked, 1 - smoothing), mul(uniform, smoothing));
}

/** Keras' KL divergence: Σ t·log(t / p) over the last axis, both clipped to [ε, 1]. */
export function kullbackLeiblerDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('kullbackLeiblerDivergence', yTrue, yPred);
  const tc = clip(t, EPSILON, 1);
  const pc = clip(p, EPSILON, 1);
  return lastAxisSum(mul(tc, log(div(tc, pc))));
}

/** mean(max(1 − t·yPred, 0), −1), labels in {−1, 1} or {0, 1}. */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('hinge', yTrue, yPred);
  return lastAxisMean(hingeLoss(p, t, { reduction: 'none' }));
}

/** mean(max(1 − t·yPred, 0)², −1), labels in {−1, 1} or {0, 1}. */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('squaredHinge', yTrue, yPred);
  return lastAxisMean(squaredHingeLoss(p, t, { reduction: 'none' }));
}

/** max(0, 1 + max((1 − t)·yPred) − Σ t·yPred) per sample, one-hot targets. */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = aligned('categoricalHinge', yTrue, yPred);
  return categoricalHingeLoss(p, t, { reduction: 'none' });
}

/** Targets softened towards uniform over `classes`: t·(1 − ε) + ε/classes. */
function smoothed(op: string, t: Tensor, labelSmoothing: unknown, classes: number): Tensor {
  const e = labelSmoothingOption(op, labelSmoothing);
  return e === 0 ? t : add(mul(t, 1 - e), e / classes);
}

/**
 * Log-probabilities along the last axis from logits or from (unnormalised) probabilities;
 * the output of a Keras softmax activation is read through the logits it remembers.
 */
function logProbabilities(p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return logSoftmax(p, -1);
  const logits = logitsBehind(p, 'softmax');
  if (logits) return logSoftmax(logits, -1);
  return log(clip(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON));
}

/**
 * yPred as a float tensor and yTrue in its dtype and shape: a target with one axis less
 * than a prediction ending in 1 is expanded (and one with an extra trailing 1 squeezed).
 */
function aligned(op: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p = floatInput(op, 'yPred', yPred);
  let t = toTensor(yTrue, op, 'yTrue', p.dtype);
  const last = (s: readonly number[]): number => s[s.length - 1];
  if (t.rank === p.rank - 1 && last(p.shape) === 1) t = reshape(t, [...t.shape, 1]);
  else if (t.rank === p.rank + 1 && last(t.shape) === 1) t = reshape(t, t.shape.slice(0, -1));
  if (!shapesEqual(t.shape, p.shape)) {
    throw new ShapeError(`${op}: yTrue and yPred must have the same shape, got yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p.shape)}`);
  }
  return [realTarget(op, p, t, 'yTrue'), p];
}

/** Integer class labels of yPred's batch shape ([N] or [N,1] for [N,C]) as int32. */
function sparseLabels(op: string, yTrue: TensorLike, p: Tensor): Tensor {
  let t = toTensor(yTrue, op, 'yTrue');
  const batchShape = p.shape.slice(0, -1);
  if (t.rank === batchShape.length + 1 && t.shape[t.rank - 1] === 1) t = reshape(t, t.shape.slice(0, -1));
  if (!shapesEqual(t.shape, batchShape)) {
    throw new ShapeError(
      `${op}: yTrue must hold one class index per sample, shape ${fmtShape(batchShape)} for yPred ${fmtShape(p.shape)}, got ${fmtShape(t.shape)}` +
        (shapesEqual(t.shape, p.shape) ? ' (one-hot targets go with categoricalCrossentropy)' : ''),
    );
  }
  if (t.dtype === 'bool') throw new DTypeError(`${op}: yTrue must hold class indices (int32), got bool`);
  if (t.dtype !== 'int32') {
    const v = t.values;
    for (let i = 0; i < v.length; i++) {
      if (!Number.isInteger(v[i])) {
        throw new DTypeError(`${op}: yTrue must hold class indices (int32), got ${t.dtype} value ${v[i]} at position ${i}`);
      }
    }
    t = cast(t, 'int32');
  }
  const classes = p.shape[p.rank - 1];
  checkIndexRange(op, 'yTrue', t, classes, `${classes} classes`);
  return t;
}

/** Mean over the last axis; a 1-D or scalar loss is already one value per sample. */
function lastAxisMean(x: Tensor): Tensor {
  return x.rank <= 1 ? x : mean(x, -1);
}

/** Sum over the last axis: a 1-D input is one distribution. */
function lastAxisSum(x: Tensor): Tensor {
  return x.rank === 0 ? x : sum(x, -1);
}
