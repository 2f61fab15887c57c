import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { relu, reluGrad } from './activations.js';
import { sum } from './reduce.js';

/** What may follow the bias in the same pass. */
export type FusedActivation = 'linear' | 'relu';

export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu'];

/** The `activation` option of a fused op, checked; 'linear' when absent. */
export function fusedActivationArg(op: string, value: unknown): FusedActivation {
  const activation = value ?? 'linear';
  if (!FUSED_ACTIVATIONS.includes(activation as FusedActivation)) {
    throw new ValueError(`${op}: activation must be one of ${FUSED_ACTIVATIONS.join(', ')}, got ${JSON.stringify(activation)}`);
  }
  return activation as FusedActivation;
}

/**
 * The end of a layer's op (linear, conv): y + bias along `axis` and the activation in one
 * pass, or the activation alone when there is no bias.
 */
export function withBias(y: Tensor, bias: Tensor | undefined, axis: number, activation: FusedActivation): Tensor {
  if (!bias) return activation === 'relu' ? relu(y) : y;
  return biasAdd(y, bias, { axis, activation });
}

export interface BiasAddOptions {
  /** The axis the bias runs along: -1 (default) for [..., features] and NHWC, 1 for NCHW. */
  axis?: number;
  /** 'linear' (default) or 'relu', applied in the same pass (TensorFlow.js' fused ops). */
  activation?: FusedActivation;
}

/**
 * A layer's bias along one axis, and optionally its relu, in one kernel: one pass over the
 * activations where add-then-relu takes two (and an NHWC bias, whose period is the
 * channel count, broadcasts slowly as a plain add).
 *
 * Rule: y = act(x + bias[c]) for c the index along `axis`.
 * Gradient: g = dy (linear) or dy where y > 0 (relu); dx = g, dbias = g summed over every
 * axis but `axis`.
 * Shapes: x [..., C, ...] with C on `axis`, bias [C] → the shape of x.
 *
 * ```ts
 * sd.biasAdd(sd.randn([32, 128]), b, { activation: 'relu' });   // a dense layer's bias + relu
 * sd.biasAdd(convOut, b, { axis: 1 });                           // NCHW
 * ```
 */
export function biasAdd(x: TensorLike, bias: TensorLike, options: BiasAddOptions = {}): Tensor {
  const op = 'biasAdd';
  const tx = toTensor(x, op, 'x');
  const tb = toTensor(bias, op, 'bias', tx.dtype);
  if (!isFloatDType(tx.dtype)) throw new DTypeError(`${op}: x must be float32 or float64, got ${tx.dtype}`);
  if (tb.dtype !== tx.dtype) throw new DTypeError(`${op}: bias must have x's dtype ${tx.dtype}, got ${tb.dtype}`);
  if (tx.rank === 0) throw new ShapeError(`${op}: x must have at least 1 dimension, got a scalar`);
  const axis = normalizeAxis(op, options.axis ?? -1, tx.rank);
  const activation = fusedActivationArg(op, options.activation);
  if (tb.rank !== 1 || tb.shape[0] !== tx.shape[axis]) {
    throw new ShapeError(`${op}: bias must have shape [${tx.shape[axis]}] (x ${fmtShape(tx.shape)} along axis ${axis}), got ${fmtShape(tb.shape)}`);
  }
  const others = Array.from({ length: tx.rank }, (_, i) => i).filter((i) => i !== axis);
  return runOp(op, 'BiasAdd', [tx, tb], { axis, activation }, (dy, _inputs, out) => {
    const g = activation === 'relu' ? reluGrad(dy, out) : dy;
    return [tx.requiresGrad ? g : null, tb.requiresGrad ? (others.length ? sum(g, others) : g) : null];
  });
}
