import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../errors.js';
import { runOp } from './op.js';
import { floatOperand } from './operands.js';
import { add, mul, sub } from './arithmetic.js';
import { gt } from './compare.js';
import { where } from './logical.js';
import { erf, exp, tanh } from './unary.js';

/**
 * Activation functions, elementwise on float tensors (int32 and bool give a DTypeError).
 * NaN propagates. Where PyTorch and TensorFlow.js differ in a default, the difference is
 * noted on the function.
 *
 * ```ts
 * sd.relu(sd.tensor([-1, 2]));          // [0, 2]
 * sd.gelu(x, 'tanh');                    // the approximation used by GPT-2
 * sd.leakyRelu(x, 0.01);                 // PyTorch's default slope
 * ```
 */

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** 1 / (1 + e^-x). */
export function sigmoid(x: TensorLike): Tensor {
  return runOp('sigmoid', 'Sigmoid', [floatOperand('sigmoid', x)], {}, (dy, _x, out) => [
    mul(dy, mul(out, sub(1, out))),
  ]);
}

/** max(x, 0). The gradient at 0 is 0, as PyTorch. */
export function relu(x: TensorLike): Tensor {
  return runOp('relu', 'Relu', [floatOperand('relu', x)], {}, (dy, [t]) => [reluGrad(dy, t)]);
}

/**
 * relu's gradient, dy where x > 0 and 0 elsewhere, in one kernel: as where(x > 0, dy, 0)
 * it took three (a comparison, a broadcast zero, a select), a large share of a CNN's
 * backward pass. Differentiable in dy (for gradients of gradients); x only selects.
 */
export function reluGrad(dy: Tensor, x: Tensor): Tensor {
  return runOp('reluGrad', 'ReluGrad', [dy, x], {}, (ddy) => [reluGrad(ddy, x), null]);
}

/** x for x > 0, alpha·x otherwise (tfjs default alpha 0.2; PyTorch's is 0.01). */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  if (!Number.isFinite(alpha)) throw new ValueError(`leakyRelu: alpha must be finite, got ${alpha}`);
  return runOp('leakyRelu', 'LeakyRelu', [floatOperand('leakyRelu', x)], { alpha }, (dy, [t]) => [
    where(gt(t, 0), dy, mul(dy, alpha)),
  ]);
}

/** x for x > 0, alpha·(e^x − 1) otherwise. */
export function elu(x: TensorLike, alpha = 1): Tensor {
  if (!Number.isFinite(alpha)) throw new ValueError(`elu: alpha must be finite, got ${alpha}`);
  return runOp('elu', 'Elu', [floatOperand('elu', x)], { alpha }, (dy, [t], out) => [
    where(gt(t, 0), dy, mul(dy, add(out, alpha))),
  ]);
}

/** Scaled ELU with the self-normalising constants of Klambauer et al. */
export function selu(x: TensorLike): Tensor {
  return runOp('selu', 'Selu', [floatOperand('selu', x)], {}, (dy, [t], out) => [
    where(gt(t, 0), mul(dy, SELU_SCALE), mul(dy, add(out, SELU_SCALE * SELU_ALPHA))),
  ]);
}

/**
 * Gaussian error linear unit: x·Φ(x) exactly, or with the tanh approximation
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
export function gelu(x: TensorLike, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new ValueError(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  }
  return runOp('gelu', 'Gelu', [floatOperand('gelu', x)], { approximate }, (dy, [t]) => {
    if (approximate === 'none') {
      const cdf = mul(add(erf(mul(t, Math.SQRT1_2)), 1), 0.5);
      const pdf = mul(exp(mul(mul(t, t), -0.5)), INV_SQRT_2PI);
      return [mul(dy, add(cdf, mul(t, pdf)))];
    }
    const t2 = mul(t, t);
    const th = tanh(mul(add(t, mul(mul(t2, t), 0.044715)), SQRT_2_OVER_PI));
    const inner = mul(add(mul(t2, 3 * 0.044715), 1), SQRT_2_OVER_PI);
    const d = add(mul(add(th, 1), 0.5), mul(mul(mul(t, 0.5), sub(1, mul(th, th))), inner));
    return [mul(dy, d)];
  });
}

/** (1/β)·ln(1 + e^(βx)), linear where βx > threshold (PyTorch's defaults β=1, threshold=20). */
export function softplus(x: TensorLike, beta = 1, threshold = 20): Tensor {
  if (!(beta > 0)) throw new ValueError(`softplus: beta must be > 0, got ${beta}`);
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new ValueError(`softplus: threshold must be a number, got ${threshold}`);
  }
  return runOp('softplus', 'Softplus', [floatOperand('softplus', x)], { beta, threshold }, (dy, [t]) => [
    where(gt(mul(t, beta), threshold), dy, mul(dy, sigmoid(mul(t, beta)))),
  ]);
}

/** x·sigmoid(x), also called swish. */
export function silu(x: TensorLike): Tensor {
  return runOp('silu', 'Silu', [floatOperand('silu', x)], {}, (dy, [t]) => {
    const s = sigmoid(t);
    return [mul(dy, mul(s, add(mul(t, sub(1, s)), 1)))];
  });
}

/** Keras' name for silu. */
export const swish = silu;
