import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { matmul } from './matmul.js';
import { fusedActivationArg, withBias, type FusedActivation } from './bias.js';

/**
 * The affine map of a fully connected layer, PyTorch's `F.linear`: y = x·Wᵀ + b.
 *
 * The weight is stored [out, in] and read transposed by the GEMM (no copy); leading axes
 * of x are folded into one matrix product.
 *
 * Shapes: x [..., in], weight [out, in], bias [out] → [..., out]. With `activation: 'relu'`
 * the bias and the relu run in one pass (sd.biasAdd).
 *
 * ```ts
 * const w = sd.randn([128, 784]);
 * const b = sd.zeros([128]);
 * sd.linear(sd.randn([32, 784]), w, b).shape; // [32,128]
 * ```
 */
export interface LinearOptions {
  /** 'relu' applies relu with the bias in one pass (TensorFlow.js' fused matMul). Default 'linear'. */
  activation?: FusedActivation;
}

export function linear(x: TensorLike, weight: TensorLike, bias?: TensorLike, options: LinearOptions = {}): Tensor {
  const tx = toTensor(x, 'linear', 'x');
  const tw = toTensor(weight, 'linear', 'weight');
  for (const [name, t] of [['x', tx], ['weight', tw]] as const) {
    if (!isFloatDType(t.dtype)) {
      throw new DTypeError(`linear: ${name} must be float32 or float64, got ${t.dtype} (cast it with sd.cast(${name}, 'float32'))`);
    }
  }
  if (tw.rank !== 2) {
    throw new ShapeError(`linear: weight must be 2-D [out, in], got shape ${fmtShape(tw.shape)}`);
  }
  if (tx.rank === 0) throw new ShapeError(`linear: x must have at least 1 dimension [..., in], got a scalar`);
  const [outFeatures, inFeatures] = tw.shape;
  const features = tx.shape[tx.rank - 1];
  if (features !== inFeatures) {
    throw new ShapeError(
      `linear: x has ${features} features (last axis of ${fmtShape(tx.shape)}) but weight ${fmtShape(tw.shape)} expects ${inFeatures}`,
    );
  }
  const activation = fusedActivationArg('linear', options.activation);
  const y = matmul(tx, tw, { transposeB: true });
  if (bias === undefined) return withBias(y, undefined, -1, activation);
  const tb = toTensor(bias, 'linear', 'bias', tx.dtype);
  if (tb.rank !== 1 || tb.shape[0] !== outFeatures) {
    throw new ShapeError(`linear: bias must have shape [${outFeatures}] (one per output feature), got ${fmtShape(tb.shape)}`);
  }
  if (!isFloatDType(tb.dtype)) {
    throw new DTypeError(`linear: bias must be float32 or float64, got ${tb.dtype}`);
  }
  return withBias(y, tb, -1, activation);
}
