/**
 * The logits behind a probability output, as Keras keeps them. A Keras layer's softmax or
 * sigmoid activation remembers its input; a cross-entropy handed that output (and not
 * told fromLogits) computes from the logits instead: log-softmax rather than log of
 * clipped probabilities, numerically better and several ops shorter, as in Keras, whose
 * activations set `_keras_logits` on their output for its cross-entropies to find.
 */
import type { Tensor } from '../tensor/tensor.js';

export type ProbabilityKind = 'softmax' | 'sigmoid';

/**
 * The record lives on the output tensor itself, under a private symbol, so that it dies
 * with it. A WeakMap keyed by the output said the same, but V8's minor collections let a
 * WeakMap value outlive its key: an output still alive at one scavenge (its step running)
 * had its logits, and the graph behind them, promoted at the next though it had died. The
 * seed MLP's fit promoted ~1 MB per scavenge that way, which grew Node's young generation
 * to its maximum and old space until each full collection (test/losses/logits-lifetime).
 */
const BEHIND = Symbol('shendu.logitsBehind');

type WithLogits = Tensor & { [BEHIND]?: { logits: Tensor; kind: ProbabilityKind } };

/** Records that `probabilities` = kind(`logits`) (softmax over the last axis). */
export function rememberLogits(probabilities: Tensor, logits: Tensor, kind: ProbabilityKind): Tensor {
  (probabilities as WithLogits)[BEHIND] = { logits, kind };
  return probabilities;
}

/** The logits `p` was computed from by `kind`, if a Keras activation recorded them. */
export function logitsBehind(p: Tensor, kind: ProbabilityKind): Tensor | undefined {
  const entry = (p as WithLogits)[BEHIND];
  return entry?.kind === kind ? entry.logits : undefined;
}
