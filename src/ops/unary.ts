import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../errors.js';
import { zerosLike } from '../tensor/create.js';
import { runOp, type GradFn } from './op.js';
import { floatOperand, numericOperand } from './operands.js';
import { add, div, mul, neg, sub } from './arithmetic.js';
import { ge, le } from './compare.js';
import { logicalAnd, where } from './logical.js';

type FloatUnaryKernel =
  | 'Exp' | 'Log' | 'Log1p' | 'Expm1' | 'Sqrt' | 'Rsqrt' | 'Reciprocal' | 'Sin' | 'Cos' | 'Tanh' | 'Erf';

/** A float-only unary op with no attributes. */
function floatUnary(op: string, kernel: FloatUnaryKernel, grad: GradFn) {
  return (x: TensorLike): Tensor => runOp(op, kernel, [floatOperand(op, x)], {}, grad);
}

/** Piecewise-constant ops: the derivative is 0 wherever it exists, as PyTorch returns. */
const zeroGrad: GradFn = (dy) => [zerosLike(dy)];

/** e^x. */
export const exp = floatUnary('exp', 'Exp', (dy, _x, out) => [mul(dy, out)]);
/** Natural logarithm. */
export const log = floatUnary('log', 'Log', (dy, [x]) => [div(dy, x)]);
/** ln(1 + x), accurate near 0. */
export const log1p = floatUnary('log1p', 'Log1p', (dy, [x]) => [div(dy, add(x, 1))]);
/** e^x - 1, accurate near 0. */
export const expm1 = floatUnary('expm1', 'Expm1', (dy, _x, out) => [mul(dy, add(out, 1))]);
/** Square root. */
export const sqrt = floatUnary('sqrt', 'Sqrt', (dy, _x, out) => [div(dy, mul(out, 2))]);
/** 1 / sqrt(x). */
export const rsqrt = floatUnary('rsqrt', 'Rsqrt', (dy, [x], out) => [mul(dy, div(mul(out, -0.5), x))]);
/** 1 / x. */
export const reciprocal = floatUnary('reciprocal', 'Reciprocal', (dy, _x, out) => [neg(mul(dy, mul(out, out)))]);
/** Sine. */
export const sin = floatUnary('sin', 'Sin', (dy, [x]) => [mul(dy, cos(x))]);
/** Cosine. */
export const cos = floatUnary('cos', 'Cos', (dy, [x]) => [neg(mul(dy, sin(x)))]);
/** Hyperbolic tangent. */
export const tanh = floatUnary('tanh', 'Tanh', (dy, _x, out) => [mul(dy, sub(1, mul(out, out)))]);
/** The Gauss error function. */
export const erf = floatUnary('erf', 'Erf', (dy, [x]) => [mul(dy, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)))]);

/** |x|. The gradient at 0 is 0, as PyTorch. */
export function abs(x: TensorLike): Tensor {
  return runOp('abs', 'Abs', [numericOperand('abs', x)], {}, (dy, [t]) => [mul(dy, sign(t))]);
}

/** -1, 0 or 1 by the sign of x. */
export function sign(x: TensorLike): Tensor {
  return runOp('sign', 'Sign', [numericOperand('sign', x)], {}, zeroGrad);
}

/** x². */
export function square(x: TensorLike): Tensor {
  return runOp('square', 'Square', [numericOperand('square', x)], {}, (dy, [t]) => [mul(dy, mul(t, 2))]);
}

/** Largest integer <= x. */
export function floor(x: TensorLike): Tensor {
  return runOp('floor', 'Floor', [floatOperand('floor', x)], {}, zeroGrad);
}

/** Smallest integer >= x. */
export function ceil(x: TensorLike): Tensor {
  return runOp('ceil', 'Ceil', [floatOperand('ceil', x)], {}, zeroGrad);
}

/** Nearest integer, halves to even (as NumPy and PyTorch). */
export function round(x: TensorLike): Tensor {
  return runOp('round', 'Round', [floatOperand('round', x)], {}, zeroGrad);
}

/**
 * Limits x to [min, max]. The gradient passes where min <= x <= max (as PyTorch).
 */
export function clip(x: TensorLike, min: number, max: number): Tensor {
  const t = numericOperand('clip', x);
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new ValueError(`clip: expected min <= max, got min=${min}, max=${max}`);
  }
  return runOp('clip', 'Clip', [t], { min, max }, (dy) => [where(logicalAnd(ge(t, min), le(t, max)), dy, 0)]);
}

/** PyTorch's name for clip. */
export const clamp = clip;
