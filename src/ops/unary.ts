import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../errors.js';
import { zerosLike } from '../tensor/create.js';
import { runOp, type GradFn } from './op.js';
import { floatOperand, numericOperand } from './operands.js';
import { add, div, mul, neg, sub } from './arithmetic.js';
import { ge, le } from './compare.js';
import { logicalAnd, where } from './logical.js';
import { cast } from './cast.js';

/**
 * Elementwise math on one tensor. The output has the input's shape and dtype.
 *
 * Arguments outside an op's domain give NaN or ±Infinity, as in PyTorch, rather than an
 * error: log(-1) and sqrt(-1) are NaN, log(0) is -Infinity, reciprocal(0) is Infinity.
 * Float-only ops reject int32 and bool tensors with a DTypeError (cast them first).
 *
 * ```ts
 * sd.exp(sd.tensor([0, 1]));     // [1, 2.7183]
 * sd.log(sd.tensor([-1, 0]));    // [NaN, -Infinity]
 * ```
 */

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

/** -1, 0 or 1 by the sign of x; NaN gives 0, as in PyTorch. */
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
 * Limits x to [min, max]; a missing bound (undefined or null) is not applied. NaN stays
 * NaN. The gradient passes where min <= x <= max (as PyTorch). An int32 tensor clipped to
 * a non-integer bound becomes float32, as PyTorch promotes it.
 *
 * ```ts
 * sd.clip(sd.tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * sd.clip(x, 0);                          // max(x, 0)
 * ```
 */
export function clip(x: TensorLike, min?: number | null, max?: number | null): Tensor {
  let t = numericOperand('clip', x);
  if (min == null && max == null) throw new ValueError('clip: at least one of min and max must be given');
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== 'number' || typeof hi !== 'number' || Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
    throw new ValueError(`clip: expected numbers with min <= max, got min=${min}, max=${max}`);
  }
  const fractional = (v: number): boolean => Number.isFinite(v) && !Number.isInteger(v);
  if (t.dtype === 'int32' && (fractional(lo) || fractional(hi))) t = cast(t, 'float32');
  const input = t;
  return runOp('clip', 'Clip', [input], { min: lo, max: hi }, (dy) => [
    where(logicalAnd(ge(input, lo), le(input, hi)), dy, 0),
  ]);
}

/** PyTorch's name for clip. */
export const clamp = clip;
