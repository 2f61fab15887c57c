import { ValueError, fmtShape } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/mode.js';
import { record } from './op.js';
import { floatOperand } from './operands.js';
import { div, mul, pow } from './arithmetic.js';
import { abs, sign, sqrt, square } from './unary.js';
import { eq } from './compare.js';
import { where } from './logical.js';
import { reshape } from './reshape.js';
import { keptShape, max, min, reductionAxes, sum, type Axes } from './reduce.js';

/** Which norm: a number p (> 0, or ±Infinity), or 'fro' / 'euclidean' for p = 2. */
export type NormOrd = number | 'fro' | 'euclidean';

function resolveOrd(ord: NormOrd): number {
  if (ord === 'fro' || ord === 'euclidean') return 2;
  if (typeof ord === 'number' && (ord > 0 || ord === -Infinity)) return ord;
  throw new ValueError(
    `norm: ord must be a number > 0, Infinity, -Infinity, 'fro' or 'euclidean', got ${typeof ord === 'string' ? `'${ord}'` : String(ord)}`,
  );
}

/**
 * Vector p-norm over `axes` (all elements when omitted), as torch.linalg.vector_norm:
 * (Σ|x|^p)^(1/p); p = Infinity is max|x|, p = -Infinity is min|x|. Over two axes, 'fro'
 * is the Frobenius norm of each matrix. Float inputs only.
 *
 * Gradient: dy·sign(x)·|x|^(p-1) / norm^(p-1), i.e. dy·x/norm for p = 2 and dy·sign(x) for
 * p = 1; it is 0 where the norm is 0 (a zero vector), and the ±Infinity norms split it
 * evenly among the elements of largest (smallest) magnitude, as in PyTorch.
 *
 * ```ts
 * sd.norm(sd.tensor([3, 4]));              // 5
 * sd.norm(x, 1, -1, true);                 // L1 norm of each row, shape [N,1]
 * sd.norm(w, 'fro', [-2, -1]);             // Frobenius norm of each matrix
 * ```
 */
export function norm(x: TensorLike, ord: NormOrd = 2, axes?: Axes, keepDims = false): Tensor {
  const t = floatOperand('norm', x);
  const p = resolveOrd(ord);
  const ax = reductionAxes('norm', t, axes, keepDims);
  if (!Number.isFinite(p) && ax.some((a) => t.shape[a] === 0)) {
    throw new ValueError(`norm: the ${p} norm over zero elements is undefined (shape ${fmtShape(t.shape)}, axes [${ax.join(',')}])`);
  }
  const out = noGrad(() => normForward(t, p, ax, keepDims));
  return record('norm', out, [t], (dy, [input], y) => [normGrad(dy, input, y, p, ax)]);
}

function normForward(x: Tensor, p: number, axes: number[], keepDims: boolean): Tensor {
  if (p === 2) return sqrt(sum(square(x), axes, keepDims));
  if (p === 1) return sum(abs(x), axes, keepDims);
  if (p === Infinity) return max(abs(x), axes, keepDims);
  if (p === -Infinity) return min(abs(x), axes, keepDims);
  return pow(sum(pow(abs(x), p), axes, keepDims), 1 / p);
}

function normGrad(dy: Tensor, x: Tensor, y: Tensor, p: number, axes: number[]): Tensor {
  const kept = keptShape(x.shape, axes);
  const dyKept = reshape(dy, kept);
  const yKept = reshape(y, kept);
  if (p === 1) return mul(sign(x), dyKept);
  if (p === 2) return mul(x, where(eq(yKept, 0), 0, div(dyKept, yKept)));
  if (!Number.isFinite(p)) {
    const isExtreme = eq(abs(x), yKept);
    const share = div(dyKept, sum(isExtreme, axes, true));
    return where(isExtreme, mul(sign(x), share), 0);
  }
  const scale = where(eq(yKept, 0), 0, div(dyKept, pow(yKept, p - 1)));
  // |x|^(p-1) is infinite at x = 0 when p < 1; the gradient there is 0 (as PyTorch)
  return where(eq(x, 0), 0, mul(mul(sign(x), pow(abs(x), p - 1)), scale));
}
