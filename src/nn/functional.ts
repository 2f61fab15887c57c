/**
 * `sd.nn.functional`, PyTorch's `torch.nn.functional` (imported as F): the layers' ops as
 * functions of tensors, with PyTorch's names in camelCase and its argument order and
 * defaults where they differ from the top-level ops (`F.leakyRelu` slope 0.01,
 * `F.embedding(input, weight)`, `F.dropout(input, p, training)`).
 *
 * ```ts
 * const F = sd.nn.functional;
 * const h = F.relu(F.linear(x, w1, b1));
 * const y = F.logSoftmax(F.dropout(h, 0.2, model.training), 1);
 * ```
 */
import { ValueError } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';

export { linear } from '../ops/linear.js';
export { conv1d, conv2d } from '../ops/conv.js';
export { conv1dTranspose as convTranspose1d, conv2dTranspose as convTranspose2d } from '../ops/conv-transpose.js';
export { maxPool1d, maxPool2d, avgPool1d, avgPool2d } from '../ops/pool.js';
export { adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool2d } from '../ops/adaptive-pool.js';
export { relu, elu, selu, gelu, sigmoid, silu, softplus } from '../ops/activations.js';
export { tanh } from '../ops/unary.js';
export { softmax, logSoftmax } from '../ops/softmax.js';
export { oneHot } from '../ops/onehot.js';

/** x for x > 0, negativeSlope·x otherwise; PyTorch's default slope 0.01 (sd.leakyRelu's is tfjs' 0.2). */
export function leakyRelu(input: TensorLike, negativeSlope = 0.01): Tensor {
  return ops.leakyRelu(input, negativeSlope);
}

/** Inverted dropout with probability p when `training` (PyTorch's `F.dropout(input, p, training)`). */
export function dropout(input: TensorLike, p = 0.5, training = true): Tensor {
  return ops.dropout(input, p, { training });
}

/** Rows of `weight` [V, D] at the int32 indices `input`, PyTorch's argument order: [...I] → [...I, D]. */
export function embedding(input: TensorLike, weight: TensorLike, paddingIdx?: number | null): Tensor {
  return ops.embedding(weight, input, paddingIdx === null || paddingIdx === undefined ? {} : { paddingIdx });
}

/**
 * Layer normalization over the trailing `normalizedShape` axes, PyTorch's `F.layer_norm`:
 * (x − μ)/√(σ² + eps)·weight + bias.
 */
export function layerNorm(
  input: TensorLike,
  normalizedShape: number | readonly number[],
  weight?: TensorLike | null,
  bias?: TensorLike | null,
  eps = 1e-5,
): Tensor {
  return ops.layerNorm(input, normalizedShape, { weight, bias, eps });
}

/**
 * Batch normalization over axis 1, PyTorch's `F.batch_norm`: batch statistics when
 * `training` (updating runningMean and runningVar in place when given), the running ones
 * otherwise.
 */
export function batchNorm(
  input: TensorLike,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: TensorLike | null,
  bias?: TensorLike | null,
  training = false,
  momentum = 0.1,
  eps = 1e-5,
): Tensor {
  return ops.batchNorm(input, { runningMean, runningVar, weight, bias, training, momentum, eps });
}

/** x / max(‖x‖_p, eps) along `dim`, PyTorch's `F.normalize` (rows of unit length by default). */
export function normalize(input: TensorLike, p = 2, dim = 1, eps = 1e-12): Tensor {
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ValueError(`normalize: eps must be a number >= 0, got ${String(eps)}`);
  const norms = ops.norm(input, p, dim, true);
  return ops.div(input, ops.maximum(norms, eps));
}

/**
 * Pads the last axes, PyTorch's `F.pad`: `pad` lists [before, after] pairs starting from
 * the last axis — (1, 1) pads the last axis, (1, 1, 2, 2) the last two.
 */
export function pad(input: TensorLike, pad: readonly number[], mode: 'constant' | 'reflect' = 'constant', value = 0): Tensor {
  const x = toTensor(input, 'pad', 'input');
  if (!Array.isArray(pad) || pad.length % 2 !== 0 || pad.length / 2 > x.rank) {
    throw new ValueError(`pad: pad must hold [before, after] pairs for at most ${x.rank} trailing axes, got ${JSON.stringify(pad)}`);
  }
  const paddings: [number, number][] = x.shape.map(() => [0, 0]);
  for (let i = 0; i < pad.length / 2; i++) paddings[x.rank - 1 - i] = [pad[2 * i], pad[2 * i + 1]];
  return ops.pad(x, paddings, mode, value);
}

// The losses under the names of torch.nn.functional (F.crossEntropy, F.mseLoss, ...).
export {
  mseLoss, l1Loss, huberLoss, smoothL1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  crossEntropy, nllLoss, klDiv, hingeLoss,
} from '../losses/index.js';
