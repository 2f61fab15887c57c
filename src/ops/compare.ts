import type { KernelName } from '../backend/kernels.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { binaryOperands } from './operands.js';

/**
 * Comparisons with NumPy broadcasting. Operands are promoted to a common dtype first (a JS
 * number takes the tensor's dtype); the result is bool and has no gradient. NaN compares
 * unequal to everything, itself included.
 *
 * ```ts
 * sd.gt(sd.tensor([1, -2, 3]), 0);   // [true, false, true]
 * sd.eq(x, sd.tensor([[0], [1]]));   // broadcasts to [2, n]
 * ```
 */
function compare(op: string, kernel: KernelName & ('Equal' | 'NotEqual' | 'Less' | 'LessEqual' | 'Greater' | 'GreaterEqual')) {
  return (a: TensorLike, b: TensorLike): Tensor => {
    const [ta, tb] = binaryOperands(op, a, b);
    return runOp(op, kernel, [ta, tb], {});
  };
}

/** a == b, elementwise. */
export const eq = compare('eq', 'Equal');
/** a != b, elementwise. */
export const ne = compare('ne', 'NotEqual');
/** a < b, elementwise. */
export const lt = compare('lt', 'Less');
/** a <= b, elementwise. */
export const le = compare('le', 'LessEqual');
/** a > b, elementwise. */
export const gt = compare('gt', 'Greater');
/** a >= b, elementwise. */
export const ge = compare('ge', 'GreaterEqual');
