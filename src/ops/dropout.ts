import { ValueError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { runKernel } from '../backend/backend.js';
import { globalGenerator, type Generator } from '../tensor/random.js';
import { floatOperand } from './operands.js';
import { mul } from './arithmetic.js';

export interface DropoutOptions {
  /** Only in training does dropout drop; otherwise it returns x unchanged. Default true. */
  training?: boolean;
  /** The source of the mask; defaults to the global generator seeded by `sd.seed`. */
  generator?: Generator;
}

/**
 * Inverted dropout (PyTorch `F.dropout`): each element is zeroed with probability `p` and
 * the survivors are scaled by 1/(1 − p), so the expected value is unchanged and inference
 * needs no rescaling. Identity when not training or p = 0; all zeros when p = 1.
 *
 * Rule: y = x·m/(1 − p), m ~ Bernoulli(1 − p) from the seeded generator.
 * Gradient: dx = dy·m/(1 − p) (the same mask).
 * Shapes: any → the same shape.
 *
 * ```ts
 * sd.seed(0);
 * sd.dropout(sd.ones([2, 4]), 0.5);                        // zeros and 2s
 * sd.dropout(x, 0.5, { training: false });                 // x itself
 * ```
 */
export function dropout(x: TensorLike, p = 0.5, options: DropoutOptions = {}): Tensor {
  const t = floatOperand('dropout', x);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ValueError(`dropout: p must be a probability in [0, 1], got ${p}`);
  }
  const { training = true, generator } = options;
  if (!training || p === 0) return t;
  if (p === 1) return mul(t, 0);
  // The scaled mask is a constant of the graph: mul's gradient is then dy·m/(1 − p).
  // Drawn as bernoulli(1 − p) would be, with the kept entries set to 1/(1 − p) directly.
  // drawn by the backend from the generator's stream: the same mask on every backend
  const mask = (generator ?? globalGenerator).advanceWith((state) =>
    Tensor.fromData(runKernel('BernoulliFill', [], { shape: t.shape, dtype: t.dtype, p: 1 - p, value: 1 / (1 - p), state })),
  );
  return mul(t, mask);
}
