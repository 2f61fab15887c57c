import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import { normalizeAxis, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/mode.js';
import { floatOperand } from './operands.js';
import { add, mul, sub } from './arithmetic.js';
import { mean } from './reduce.js';
import { reshape } from './reshape.js';
import { rsqrt, square } from './unary.js';

/**
 * Batch and layer normalization as composite ops: their gradients come from the ops they
 * are made of (mean, subtraction, rsqrt), so they hold on every backend. A fused kernel
 * can replace them later without changing the signatures.
 */

/** Options of batchNorm, as PyTorch's `F.batch_norm` arguments. */
export interface BatchNormOptions {
  /**
   * Running mean [C]. Read when not training; when training it is updated in place:
   * running = (1 − momentum)·running + momentum·batchMean.
   */
  runningMean?: Tensor | null;
  /** Running variance [C], updated in place with the unbiased batch variance n/(n − 1)·var. */
  runningVar?: Tensor | null;
  /** Per-channel scale γ [C]; none means 1. */
  weight?: TensorLike | null;
  /** Per-channel shift β [C]; none means 0. */
  bias?: TensorLike | null;
  /** Normalize with the batch statistics (and update the running ones). Default false. */
  training?: boolean;
  /** Weight of the new batch in the running statistics. Default 0.1. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /** The channel axis: 1 for PyTorch's [N,C,...] (default), −1 for channels-last. */
  axis?: number;
}

/**
 * Batch normalization (Ioffe & Szegedy), PyTorch's `F.batch_norm`: each channel is
 * normalized by statistics over every other axis, then scaled and shifted.
 *
 * Rule: y = (x − μ)/√(σ² + eps)·γ + β, where μ and σ² (biased) are the batch statistics of
 * the channel when training, else the running statistics.
 * Shapes: x [N, C, ...] (channel at `axis`), runningMean/runningVar/weight/bias [C] → x's shape.
 *
 * ```ts
 * const rm = sd.zeros([3]), rv = sd.ones([3]);
 * const y = sd.batchNorm(sd.randn([8, 3, 5, 5]), { runningMean: rm, runningVar: rv, training: true });
 * // y has zero mean and unit variance per channel; rm and rv moved 10% toward the batch
 * sd.batchNorm(x, { runningMean: rm, runningVar: rv });   // inference: uses rm and rv
 * ```
 */
export function batchNorm(x: TensorLike, options: BatchNormOptions = {}): Tensor {
  const op = 'batchNorm';
  const t = floatOperand(op, x);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object like { training: true }, got ${JSON.stringify(options)}`);
  }
  const { runningMean = null, runningVar = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (t.rank < 2) throw new ShapeError(`${op}: x must have at least 2 dimensions [N, C, ...], got ${fmtShape(t.shape)}`);
  const axis = normalizeAxis(op, options.axis ?? 1, t.rank);
  const channels = t.shape[axis];
  checkNumber(op, 'eps', eps, eps >= 0);
  checkNumber(op, 'momentum', momentum, momentum >= 0 && momentum <= 1);
  if (typeof training !== 'boolean') throw new ValueError(`${op}: training must be a boolean, got ${String(training)}`);
  const vectorArg = (name: string, value: TensorLike | null | undefined): Tensor | null =>
    value === null || value === undefined ? null : channelVector(op, name, value, channels, t);
  const rm = vectorArg('runningMean', runningMean);
  const rv = vectorArg('runningVar', runningVar);
  const gamma = vectorArg('weight', options.weight);
  const beta = vectorArg('bias', options.bias);
  if ((rm === null) !== (rv === null)) {
    throw new ValueError(`${op}: pass both runningMean and runningVar or neither`);
  }
  for (const [name, r] of [['runningMean', runningMean], ['runningVar', runningVar]] as const) {
    if (r !== null && !(r instanceof Tensor)) throw new ValueError(`${op}: ${name} must be a Tensor (it is updated in place)`);
  }
  const reduced = [...t.shape.keys()].filter((a) => a !== axis);
  const perChannel = t.shape.map((d, a) => (a === axis ? d : 1));
  const broadcastable = (v: Tensor): Tensor => reshape(v, perChannel);

  let normalized: Tensor;
  if (training) {
    const n = t.size / Math.max(channels, 1);
    if (n <= 1) {
      throw new ValueError(`${op}: expected more than 1 value per channel when training, got x of shape ${fmtShape(t.shape)}`);
    }
    const centered = sub(t, mean(t, reduced, true));
    const batchVar = mean(square(centered), reduced, true);
    normalized = mul(centered, rsqrt(add(batchVar, eps)));
    if (rm && rv) {
      const batchMean = reshape(mean(t, reduced), [channels]);
      const unbiased = mul(reshape(batchVar, [channels]), n / (n - 1));
      updateInPlace(rm, batchMean, momentum);
      updateInPlace(rv, unbiased, momentum);
    }
  } else {
    if (!rm || !rv) {
      throw new ValueError(`${op}: runningMean and runningVar are required when not training (pass training: true to use batch statistics)`);
    }
    normalized = mul(sub(t, broadcastable(rm)), broadcastable(rsqrt(add(rv, eps))));
  }
  if (gamma) normalized = mul(normalized, broadcastable(gamma));
  if (beta) normalized = add(normalized, broadcastable(beta));
  return normalized;
}

/** running ← (1 − momentum)·running + momentum·batch, written into running's storage. */
function updateInPlace(running: Tensor, batch: Tensor, momentum: number): void {
  noGrad(() => {
    const next = add(mul(running, 1 - momentum), mul(batch.detach(), momentum));
    running.values.set(next.values);
  });
}

/** Options of layerNorm, as PyTorch's `F.layer_norm` arguments. */
export interface LayerNormOptions {
  /** Elementwise scale γ of shape normalizedShape; none means 1. */
  weight?: TensorLike | null;
  /** Elementwise shift β of shape normalizedShape; none means 0. */
  bias?: TensorLike | null;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
}

/**
 * Layer normalization (Ba et al.), PyTorch's `F.layer_norm`: every sample is normalized
 * over its last `normalizedShape.length` axes, which must equal `normalizedShape`.
 *
 * Rule: y = (x − μ)/√(σ² + eps)·γ + β, with μ and the biased σ² over the normalized axes.
 * Shapes: x [..., *normalizedShape], weight/bias normalizedShape → x's shape.
 *
 * ```ts
 * const x = sd.randn([4, 10, 32]);
 * sd.layerNorm(x, [32]);                                  // each of the 40 vectors: mean 0, variance 1
 * sd.layerNorm(x, 32, { weight: sd.ones([32]), bias: sd.zeros([32]), eps: 1e-6 });
 * ```
 */
export function layerNorm(x: TensorLike, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  const op = 'layerNorm';
  const t = floatOperand(op, x);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object like { eps: 1e-5 }, got ${JSON.stringify(options)}`);
  }
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...(normalizedShape ?? [])];
  if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${op}: normalizedShape must be a positive integer or a non-empty list of them, got ${String(normalizedShape)}`);
  }
  const k = shape.length;
  if (t.rank < k || !shapesEqual(t.shape.slice(t.rank - k), shape)) {
    throw new ShapeError(`${op}: normalizedShape ${fmtShape(shape)} must match the last ${k} dimension(s) of x, got x of shape ${fmtShape(t.shape)}`);
  }
  const { eps = 1e-5 } = options;
  checkNumber(op, 'eps', eps, eps >= 0);
  const axes = Array.from({ length: k }, (_, i) => t.rank - k + i);
  const centered = sub(t, mean(t, axes, true));
  let y = mul(centered, rsqrt(add(mean(square(centered), axes, true), eps)));
  for (const name of ['weight', 'bias'] as const) {
    const value = options[name];
    if (value === null || value === undefined) continue;
    const v = affineArg(op, name, value, t);
    if (!shapesEqual(v.shape, shape)) {
      throw new ShapeError(`${op}: ${name} must have the normalized shape ${fmtShape(shape)}, got ${fmtShape(v.shape)}`);
    }
    y = name === 'weight' ? mul(y, v) : add(y, v);
  }
  return y;
}

function checkNumber(op: string, name: string, value: number, inRange: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange) {
    const range = name === 'momentum' ? 'a number in [0, 1]' : 'a finite number >= 0';
    throw new ValueError(`${op}: ${name} must be ${range}, got ${String(value)}`);
  }
}

function affineArg(op: string, name: string, value: TensorLike, x: Tensor): Tensor {
  const v = toTensor(value, op, name, x.dtype);
  if (!isFloatDType(v.dtype)) throw new DTypeError(`${op}: ${name} must be float32 or float64, got ${v.dtype}`);
  return v;
}

/** A per-channel argument: a float vector with one value per channel of x. */
function channelVector(op: string, name: string, value: TensorLike, channels: number, x: Tensor): Tensor {
  const v = affineArg(op, name, value, x);
  if (v.rank !== 1 || v.shape[0] !== channels) {
    throw new ShapeError(`${op}: ${name} must have shape [${channels}] (one value per channel of x ${fmtShape(x.shape)}), got ${fmtShape(v.shape)}`);
  }
  return v;
}
