import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled, noGrad } from '../autograd/mode.js';
import { record } from '../ops/op.js';
import { add, div, mul, neg, sub } from '../ops/arithmetic.js';
import { exp } from '../ops/unary.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { sparseSoftmaxCrossEntropy } from '../ops/softmax-cross-entropy.js';
import { takeAlongAxis, scatterAdd } from '../ops/scatter.js';
import { ValueError } from '../errors.js';
import { checkReduction, numberOption, optionsOf, type ReductionOptions } from './reduction.js';
import {
  classRows,
  classTarget,
  classWeight,
  constant,
  ignoreIndexOption,
  type ClassRows,
  type IndexTarget,
} from './classes.js';

/** Cross-entropy and negative log-likelihood over classes, as PyTorch defines them. */

export interface NLLLossOptions extends ReductionOptions {
  /** One weight per class, shape [C]: rescales each sample's loss by its class's weight. */
  weight?: TensorLike;
  /** Samples whose target is this class index count for nothing; default −100. */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C; default 0. */
  labelSmoothing?: number;
}

/**
 * Negative log-likelihood (PyTorch `nll_loss`): with log-probabilities `input` and class
 * indices `target`, each sample's loss is −weight[t]·input[t]. The mean is PyTorch's
 * weighted mean, Σ loss / Σ weight[t] over the samples not ignored (NaN when all are).
 *
 * Shapes: input [C], [N,C] or [N,C,d1,...]; target (int32) [], [N] or [N,d1,...] → scalar,
 * or the target's shape with reduction 'none'.
 *
 * ```ts
 * sd.losses.nllLoss(sd.logSoftmax(logits, 1), labels);
 * ```
 */
export function nllLoss(input: TensorLike, target: TensorLike, options?: NLLLossOptions): Tensor {
  const op = 'nllLoss';
  const { reduction = 'mean', weight, ignoreIndex = -100 } = optionsOf(op, options);
  const r = checkReduction(op, reduction);
  const layout = classRows(op, input);
  const w = classWeight(op, weight, layout.classes);
  const ignore = ignoreIndexOption(op, ignoreIndex);
  const t = classTarget(op, layout, target, { weight: w, ignoreIndex: ignore, allowProbabilities: false }) as IndexTarget;
  const { rows } = layout;
  const picked = reshape(takeAlongAxis(rows, t.safe, 1), [t.safe.size]);
  const loss = mul(picked, constant(t.rowWeight.map((v) => -v), [t.safe.size], rows.dtype));
  return reduceRows(loss, layout, r, t.totalWeight);
}

/**
 * Cross-entropy of logits `input` against `target` (PyTorch `cross_entropy`): the
 * log-softmax over the class axis (1), then the negative log-likelihood.
 *
 * The target is either int32 class indices, one per sample, or class probabilities of
 * the input's shape (a float target of the index shape is a DTypeError: cast it to
 * int32). With indices: `weight` rescales each sample by its class's weight and the mean
 * divides by Σ weight[t]; samples whose target is `ignoreIndex` count for nothing. With
 * `labelSmoothing` ε the target becomes (1 − ε)·onehot + ε/C. With probabilities: the
 * loss is −Σ_c weight_c·p_c·log softmax(x)_c and the mean divides by the number of samples.
 *
 * Gradient (indices): softmax(x)·Σ_c q_c − q for the effective target q, computed in one
 * pass rather than through the log-softmax and the pick.
 * Shapes: input [C], [N,C] or [N,C,d1,...]; target [], [N] or [N,d1,...] (int32) or the
 * input's shape (float) → scalar, or one value per sample with reduction 'none'.
 *
 * ```ts
 * const logits = model.call(x);                    // [32,10]
 * const loss = sd.losses.crossEntropy(logits, y);  // y: int32 [32]
 * loss.backward();
 * sd.losses.crossEntropy(logits, y, { labelSmoothing: 0.1, weight: classWeights });
 * ```
 */
export function crossEntropy(input: TensorLike, target: TensorLike, options?: CrossEntropyOptions): Tensor {
  const op = 'crossEntropy';
  const { reduction = 'mean', weight, ignoreIndex = -100, labelSmoothing = 0 } = optionsOf(op, options);
  const r = checkReduction(op, reduction);
  const layout = classRows(op, input);
  const w = classWeight(op, weight, layout.classes);
  const ignore = ignoreIndexOption(op, ignoreIndex);
  const eps = numberOption(op, 'labelSmoothing', labelSmoothing, { value: 0, inclusive: true });
  if (eps > 1) throw new ValueError(`${op}: labelSmoothing must lie in [0, 1], got ${eps}`);
  const t = classTarget(op, layout, target, { weight: w, ignoreIndex: ignore, allowProbabilities: true });
  if (t.kind === 'index') return reduceRows(indexCrossEntropy(layout, t, w, eps), layout, r, t.totalWeight);
  const { rows, classes } = layout;
  let q = eps > 0 ? add(mul(t.rows, 1 - eps), eps / classes) : t.rows;
  if (w) q = mul(q, constant(w, [1, classes], rows.dtype));
  const loss = neg(sum(mul(logSoftmax(rows, 1), q), 1));
  return reduceRows(loss, layout, r, rows.shape[0]);
}

/**
 * Per-row cross-entropy with class indices, as one recorded op with an explicit gradient.
 * Row i's effective target is q_i = α_i·onehot(t_i) + β_i·w (α_i = (1 − ε)·w[t_i],
 * β_i = ε/C; both 0 for ignored rows), so loss_i = −α_i·lp[i,t_i] − β_i·Σ_c w_c·lp[i,c] and
 * ∂loss_i/∂x_i = softmax(x_i)·(α_i + β_i·Σw) − q_i.
 */
function indexCrossEntropy(layout: ClassRows, t: IndexTarget, w: number[] | null, eps: number): Tensor {
  const { rows, classes } = layout;
  const m = rows.shape[0];
  // the common case, no class weights and every row counted, is one fused kernel
  if (w === null && t.totalWeight === m) return sparseSoftmaxCrossEntropy(rows, reshape(t.safe, [m]), { labelSmoothing: eps });
  const dtype = rows.dtype;
  const alpha = t.rowWeight.map((v) => (1 - eps) * v);
  const beta = Float64Array.from(t.valid, (v) => (v ? eps / classes : 0));
  const weightSum = w ? w.reduce((a, b) => a + b, 0) : classes;
  const wRow = w ? constant(w, [1, classes], dtype) : null;
  const lp = noGrad(() => logSoftmax(rows, 1));
  const loss = noGrad(() => {
    const picked = mul(reshape(takeAlongAxis(lp, t.safe, 1), [m]), constant(alpha.map((v) => -v), [m], dtype));
    if (eps === 0) return picked;
    const spread = sum(wRow ? mul(lp, wRow) : lp, 1);
    return sub(picked, mul(spread, constant(beta, [m], dtype)));
  });
  return record('crossEntropy', loss, [rows], (dy, [x]) => {
    // with createGraph, recompute the softmax from x so that the gradient is differentiable too
    const p = isGradEnabled() ? softmax(x, 1) : exp(lp);
    const coef = constant(alpha.map((a, i) => a + beta[i] * weightSum), [m, 1], dtype);
    const dyCol = reshape(dy, [m, 1]);
    let dx = mul(p, mul(dyCol, coef));
    if (eps > 0) {
      const spread = mul(dyCol, constant(beta, [m, 1], dtype));
      dx = sub(dx, wRow ? mul(spread, wRow) : spread);
    }
    return [scatterAdd(dx, 1, t.safe, neg(mul(dyCol, constant(alpha, [m, 1], dtype))))];
  });
}

/** Reshapes per-row losses to the batch shape and reduces them; the mean divides by `divisor`. */
function reduceRows(loss: Tensor, layout: ClassRows, reduction: string, divisor: number): Tensor {
  if (reduction === 'none') return reshape(loss, layout.batchShape);
  const total = sum(loss);
  if (reduction === 'sum') return total;
  // nothing counted (every target ignored): NaN, as PyTorch, but a zero gradient rather than 0/0
  return divisor === 0 ? add(mul(total, 0), NaN) : div(total, divisor);
}
