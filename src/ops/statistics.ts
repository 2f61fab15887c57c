import { ValueError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { zeros } from '../tensor/create.js';
import { noGrad } from '../autograd/mode.js';
import { floatOperand } from './operands.js';
import { add, div, mul, sub } from './arithmetic.js';
import { record } from './op.js';
import { abs, exp, log, sqrt, square } from './unary.js';
import { eq } from './compare.js';
import { where } from './logical.js';
import { reshape } from './reshape.js';
import { keptShape, max, mean, reductionAxes, sum, type Axes } from './reduce.js';

/**
 * Statistics built from the reductions: variance, standard deviation and log-sum-exp.
 * variance and logSumExp are compositions of differentiable ops, so their gradients come
 * for free; std has its own, so that a constant slice gets 0 rather than NaN.
 */

/** Options of variance and std. */
export interface VarianceOptions {
  /** Axes to reduce over; all when omitted. */
  axes?: Axes;
  keepDims?: boolean;
  /** Divide by N - correction (default 1, Bessel's correction; 0 gives the population variance). */
  correction?: number;
  /** PyTorch's older flag: true is correction 1, false is correction 0. */
  unbiased?: boolean;
}

function resolveCorrection(op: string, options: VarianceOptions): number {
  const { correction, unbiased } = options;
  if (correction !== undefined && unbiased !== undefined) {
    throw new ValueError(`${op}: pass correction or unbiased, not both (got correction=${correction}, unbiased=${unbiased})`);
  }
  if (unbiased !== undefined) {
    if (typeof unbiased !== 'boolean') throw new ValueError(`${op}: unbiased must be true or false, got ${String(unbiased)}`);
    return unbiased ? 1 : 0;
  }
  const c = correction ?? 1;
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
    throw new ValueError(`${op}: correction must be a finite number >= 0, got ${String(c)}`);
  }
  return c;
}

/** The checked arguments of variance and std. */
interface VarianceArgs {
  t: Tensor;
  axes: number[];
  keepDims: boolean;
  /** N - correction, floored at 0. */
  divisor: number;
}

function varianceArgs(op: string, x: TensorLike, options: VarianceOptions): VarianceArgs {
  const t = floatOperand(op, x);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object like { axes: 1, keepDims: true }, got ${JSON.stringify(options)}`);
  }
  const { axes, keepDims = false } = options;
  const correction = resolveCorrection(op, options);
  const ax = reductionAxes(op, t, axes, keepDims);
  const count = sizeOf(ax.map((a) => t.shape[a]));
  return { t, axes: ax, keepDims, divisor: Math.max(0, count - correction) };
}

/** Σ(x - mean)² / divisor; two passes (subtract the mean first), so a large mean does not cancel. */
function varianceOf({ t, axes, keepDims, divisor }: VarianceArgs): Tensor {
  const centered = sub(t, mean(t, axes, true));
  return div(sum(square(centered), axes, keepDims), divisor);
}

/**
 * Variance over `axes`: Σ(x - mean)² / (N - correction), with N the number of reduced
 * elements. When N <= correction the result is NaN or Infinity, as in PyTorch. Float
 * inputs only. Also exported as `var` (PyTorch's name; `var` is a reserved word, so it is
 * reached as `sd.var(x)` or `x.var()`, and imported as `{ var as variance }`).
 *
 * ```ts
 * sd.variance(x);                                    // unbiased, over everything
 * sd.variance(x, { axes: 0, correction: 0 });        // population variance per column
 * sd.var(x, { axes: -1, keepDims: true });           // the same op under PyTorch's name
 * ```
 */
export function variance(x: TensorLike, options: VarianceOptions = {}): Tensor {
  return varianceOf(varianceArgs('variance', x, options));
}

export { variance as var };

/**
 * Standard deviation over `axes`: the square root of `variance` with the same options.
 * Gradient: dy·(x - mean) / ((N - correction)·std), and 0 where std is 0 (a constant
 * slice), as in PyTorch.
 *
 * ```ts
 * sd.std(x, { axes: -1, keepDims: true }); // per-row spread, broadcastable against x
 * ```
 */
export function std(x: TensorLike, options: VarianceOptions = {}): Tensor {
  const args = varianceArgs('std', x, options);
  const out = noGrad(() => sqrt(varianceOf(args)));
  return record('std', out, [args.t], (dy, [input], y) => {
    const kept = keptShape(input.shape, args.axes);
    const yKept = reshape(y, kept);
    const scale = where(eq(yKept, 0), 0, div(reshape(dy, kept), mul(yKept, args.divisor)));
    return [mul(sub(input, mean(input, args.axes, true)), scale)];
  });
}

/**
 * log(Σ exp(x)) over `axes` (all when omitted), computed without overflow by shifting by
 * the maximum. Its gradient is softmax(x)·dy. Over no elements it is -Infinity.
 *
 * ```ts
 * sd.logSumExp(sd.tensor([1000, 1000])); // 1000.6931 (exp(1000) would overflow)
 * ```
 */
export function logSumExp(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  const t = floatOperand('logSumExp', x);
  const ax = reductionAxes('logSumExp', t, axes, keepDims);
  const kept = keptShape(t.shape, ax);
  // The shift is a constant: its contributions to the gradient cancel exactly.
  const shift = noGrad(() => {
    if (ax.some((a) => t.shape[a] === 0)) return zeros(kept, t.dtype);
    const m = max(t, ax, true);
    // an infinite maximum would give inf - inf = NaN; leave such slices unshifted
    return where(eq(abs(m), Infinity), 0, m);
  });
  const out = add(log(sum(exp(sub(t, shift)), ax, true)), shift);
  return keepDims ? out : reshape(out, t.shape.filter((_, i) => !ax.includes(i)));
}
