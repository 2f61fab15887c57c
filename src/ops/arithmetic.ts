import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { binaryOperands, floatOperands, numericOperand } from './operands.js';
import { unbroadcast } from './broadcast.js';
import { where } from './logical.js';
import { eq, lt } from './compare.js';
import { log } from './unary.js';

/**
 * Arithmetic with NumPy broadcasting. Operands are promoted to a common dtype
 * (bool < int32 < float32 < float64); a JS number takes the tensor's dtype.
 */

/** a + b. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands('add', a, b);
  return runOp('add', 'Add', [ta, tb], {}, (dy) => [unbroadcast(dy, ta.shape), unbroadcast(dy, tb.shape)]);
}

/** a - b. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands('sub', a, b);
  return runOp('sub', 'Sub', [ta, tb], {}, (dy) => [unbroadcast(dy, ta.shape), unbroadcast(neg(dy), tb.shape)]);
}

/** a * b. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands('mul', a, b);
  return runOp('mul', 'Mul', [ta, tb], {}, (dy) => [
    ta.requiresGrad ? unbroadcast(mul(dy, tb), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(mul(dy, ta), tb.shape) : null,
  ]);
}

/** a / b, true division: integer operands give float32. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = floatOperands('div', a, b);
  return runOp('div', 'Div', [ta, tb], {}, (dy, _inputs, out) => [
    ta.requiresGrad ? unbroadcast(div(dy, tb), ta.shape) : null,
    tb.requiresGrad ? unbroadcast(neg(div(mul(dy, out), tb)), tb.shape) : null,
  ]);
}

/**
 * a raised to b. Integer operands stay integer. The gradient with respect to a is
 * b·a^(b−1), taken as 0 where b = 0 (so 0^0 has gradient 0, as PyTorch); with respect to
 * b it is a^b·ln(a), taken as 0 where a = 0.
 *
 * ```ts
 * sd.pow(sd.tensor([2, 3]), 2); // [4, 9]
 * ```
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands('pow', a, b);
  return runOp('pow', 'Pow', [ta, tb], {}, (dy, _inputs, out) => [
    ta.requiresGrad ? unbroadcast(where(eq(tb, 0), 0, mul(dy, mul(tb, pow(ta, sub(tb, 1))))), ta.shape) : null,
    tb.requiresGrad
      ? unbroadcast(where(eq(ta, 0), 0, mul(dy, mul(out, log(ta)))), tb.shape)
      : null,
  ]);
}

/**
 * Elementwise maximum. Where a = b the gradient is split evenly, as in PyTorch.
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands('maximum', a, b);
  return runOp('maximum', 'Maximum', [ta, tb], {}, (dy) => selectGrad(dy, ta, tb, lt(tb, ta)));
}

/** Elementwise minimum. Where a = b the gradient is split evenly, as in PyTorch. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands('minimum', a, b);
  return runOp('minimum', 'Minimum', [ta, tb], {}, (dy) => selectGrad(dy, ta, tb, lt(ta, tb)));
}

/** Routes dy to a where `aWins`, to b elsewhere, halving it where a = b. */
function selectGrad(dy: Tensor, a: Tensor, b: Tensor, aWins: Tensor): Tensor[] {
  const tie = eq(a, b);
  const half = mul(dy, 0.5);
  const ga = where(tie, half, where(aWins, dy, 0));
  const gb = where(tie, half, where(aWins, 0, dy));
  return [unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)];
}

/** -x. */
export function neg(x: TensorLike): Tensor {
  const t = numericOperand('neg', x);
  return runOp('neg', 'Neg', [t], {}, (dy) => [neg(dy)]);
}
