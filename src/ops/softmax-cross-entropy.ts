import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isGradEnabled } from '../autograd/mode.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { floatOperand } from './operands.js';
import { mul, sub } from './arithmetic.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';

export interface SparseSoftmaxCrossEntropyOptions {
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot(label) + ε/C. Default 0. */
  labelSmoothing?: number;
}

/**
 * Softmax cross-entropy of each row of `logits` against its class index, in one kernel
 * (TensorFlow's sparse_softmax_cross_entropy_with_logits; PyTorch's cross_entropy with
 * reduction 'none'): lse(x_i) − (1 − ε)·x_i[label_i] − (ε/C)·Σ_c x_i[c]. The losses use it
 * for class-index targets; it saves the log-probabilities tensor, the gather and, going
 * back, the scatter and the log-softmax gradient.
 *
 * Gradient: dx_i = dy_i·(softmax(x_i) − q_i), also one kernel (with createGraph, the same
 * from differentiable ops). Labels get none.
 * Shapes: logits [N,C] (float), labels [N] int32 in 0..C−1 → [N].
 *
 * ```ts
 * const logits = sd.tensor([[2, 1, 0.1], [0.5, 2.5, 0.2]]);
 * sd.sparseSoftmaxCrossEntropy(logits, sd.tensor([0, 1], undefined, 'int32')); // [0.417, 0.212]
 * ```
 */
export function sparseSoftmaxCrossEntropy(
  logits: TensorLike,
  labels: TensorLike,
  options: SparseSoftmaxCrossEntropyOptions = {},
): Tensor {
  const op = 'sparseSoftmaxCrossEntropy';
  const x = floatOperand(op, logits);
  const t = toTensor(labels, op, 'labels');
  if (x.rank !== 2) throw new ShapeError(`${op}: logits must be [N,C], got ${fmtShape(x.shape)}`);
  const [N, C] = x.shape;
  if (t.dtype !== 'int32') throw new DTypeError(`${op}: labels must be int32 class indices, got ${t.dtype} (sd.cast(labels, 'int32'))`);
  if (t.rank !== 1 || t.shape[0] !== N) {
    throw new ShapeError(`${op}: labels must be [${N}], one per row of logits ${fmtShape(x.shape)}, got ${fmtShape(t.shape)}`);
  }
  for (let i = 0; i < N; i++) {
    const label = t.values[i];
    if (label < 0 || label >= C) {
      throw new ValueError(`${op}: labels holds class ${label} at position ${i}, out of range for ${C} classes (valid: 0..${C - 1})`);
    }
  }
  const attrs = { labelSmoothing: labelSmoothingOption(op, options.labelSmoothing) };
  return runOp(op, 'SparseSoftmaxCrossEntropy', [x, t], attrs, (dy, [xs]) => {
    if (!isGradEnabled()) return [runOp(`${op}Grad`, 'SparseSoftmaxCrossEntropyGrad', [xs, t, dy], attrs), null];
    // createGraph: the gradient from differentiable ops, so that it has a gradient itself
    return [mul(reshape(dy, [N, 1]), sub(softmax(xs, 1), smoothedTarget(t, C, attrs.labelSmoothing, xs))), null];
  });
}

/** The labelSmoothing option checked: a number in [0, 1], default 0. */
export function labelSmoothingOption(op: string, value: unknown): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ValueError(`${op}: labelSmoothing must be a number in [0, 1], got ${String(value)}`);
  return v;
}

/** q = (1 − ε)·onehot(labels) + ε/C, as a constant [N,C] of x's dtype. */
function smoothedTarget(labels: Tensor, C: number, eps: number, x: Tensor): Tensor {
  const N = labels.size;
  const q = new Tensor(x.dtype === 'float64' ? new Float64Array(N * C) : new Float32Array(N * C), [N, C], x.dtype);
  q.values.fill(eps / C);
  for (let i = 0; i < N; i++) q.values[i * C + labels.values[i]] += 1 - eps;
  return q;
}
