import { ValueError } from '../errors.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad, withGradMode } from './mode.js';
import { castArray } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import type { TensorFunction } from './functional.js';

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random projection of f's output. */
  seed?: number;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest |analytic − numeric| seen, and where. */
  maxError: number;
  worst?: { input: number; index: number; analytic: number; numeric: number };
}

/**
 * Compares the analytic gradients of f with central finite differences, in float64.
 *
 * f's output is reduced to a scalar L = Σ y·w with fixed random weights w, so one backward
 * pass checks the whole vector–Jacobian product wᵀJ. Float inputs are converted to float64
 * copies; integer inputs (indices) are passed through unchanged and not differentiated.
 * Returns the result and throws with the worst element when `throwOnFailure` (the default).
 * The inputs themselves are never modified.
 *
 * ```ts
 * sd.gradcheck((a, b) => sd.mul(sd.sin(a), b), [sd.randn([3]), sd.randn([3])]);
 * ```
 */
export function gradcheck(
  f: TensorFunction,
  inputs: Tensor[],
  options: GradcheckOptions & { throwOnFailure?: boolean } = {},
): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 1234, throwOnFailure = true } = options;
  const xs = inputs.map((x) =>
    isFloatDType(x.dtype) ? new Tensor(castArray(x.values, 'float64'), x.shape, 'float64') : x,
  );
  const differentiable = xs.map((x) => isFloatDType(x.dtype));

  const generator = new Generator(seed);
  // Analytic: the backward of Σ y·w is backward(y, w).
  const leaves = xs.map((x, i) => (differentiable[i] ? x.detach().requiresGrad_() : x));
  const y = withGradMode(true, () => f(...leaves));
  if (!(y instanceof Tensor)) throw new ValueError(`gradcheck: f must return a Tensor, got ${typeof y}`);
  const weights = Float64Array.from({ length: y.size }, () => generator.uniform() * 2 - 1);
  if (y.requiresGrad) y.backward(new Tensor(castArray(weights, y.dtype), y.shape, y.dtype));

  const scalarLoss = (...args: Tensor[]): number => {
    const out = f(...args);
    let total = 0;
    for (let i = 0; i < out.size; i++) total += out.values[i] * weights[i];
    return total;
  };

  let maxError = 0;
  let worst: GradcheckResult['worst'];
  let ok = true;
  noGrad(() => {
    xs.forEach((x, k) => {
      if (!differentiable[k]) return;
      const analytic = leaves[k].grad?.values ?? new Float64Array(x.size);
      for (let i = 0; i < x.size; i++) {
        const original = x.values[i];
        x.values[i] = original + eps;
        const plus = scalarLoss(...xs);
        x.values[i] = original - eps;
        const minus = scalarLoss(...xs);
        x.values[i] = original;
        const numeric = (plus - minus) / (2 * eps);
        const error = Math.abs(analytic[i] - numeric);
        if (!(error <= atol + rtol * Math.abs(numeric))) ok = false;
        if (!(error <= maxError)) {
          maxError = Number.isNaN(error) ? Infinity : error;
          worst = { input: k, index: i, analytic: analytic[i], numeric };
        }
      }
    });
  });
  const result = { ok, maxError, worst };
  if (!ok && throwOnFailure) {
    throw new Error(
      `gradcheck: analytic and numeric gradients differ: input ${worst?.input}, element ${worst?.index}: ` +
        `analytic ${worst?.analytic}, numeric ${worst?.numeric} (max error ${maxError})`,
    );
  }
  return result;
}
