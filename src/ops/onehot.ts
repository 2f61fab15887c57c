import { ValueError, DTypeError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import { isDType, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { checkIndexRange, indexOperand } from './indices.js';

export interface OneHotOptions {
  /** Value at the label's position; default 1. */
  onValue?: number;
  /** Value everywhere else; default 0. */
  offValue?: number;
  /** Output dtype; default float32. */
  dtype?: DType;
}

/**
 * One-hot encoding: a new last axis of `depth`, holding `onValue` at each label and
 * `offValue` elsewhere. Labels must lie in 0..depth-1 (a ValueError otherwise, as
 * PyTorch's one_hot; TensorFlow.js would silently give an all-off row). Not differentiable.
 *
 * Shapes: indices I (int32) → [...I, depth].
 *
 * ```ts
 * sd.oneHot([0, 2], 3);                          // [[1, 0, 0], [0, 0, 1]]
 * sd.oneHot(labels, 10, { dtype: 'int32' });
 * ```
 */
export function oneHot(indices: TensorLike, depth: number, options: OneHotOptions = {}): Tensor {
  const idx = indexOperand('oneHot', 'indices', indices);
  const { onValue = 1, offValue = 0, dtype = 'float32' } = options;
  if (!Number.isInteger(depth) || depth < 1) {
    throw new ValueError(`oneHot: depth must be a positive integer, got ${depth}`);
  }
  if (!isDType(dtype)) {
    throw new DTypeError(`oneHot: unknown dtype '${String(dtype)}' (expected float32, float64, int32 or bool)`);
  }
  checkIndexRange('oneHot', 'indices', idx, depth, `depth ${depth}`);
  return runOp('oneHot', 'OneHot', [idx], { depth, onValue, offValue, dtype });
}
