/**
 * The logits behind a probability output, as Keras keeps them. A Keras layer's softmax or
 * sigmoid activation remembers its input; a cross-entropy handed that output (and not
 * told fromLogits) computes from the logits instead: log-softmax rather than log of
 * clipped probabilities, numerically better and several ops shorter, as in Keras, whose
 * activations set `_keras_logits` on their output for its cross-entropies to find.
 */
import type { Tensor } from '../tensor/tensor.js';

export type ProbabilityKind = 'softmax' | 'sigmoid';

const BEHIND = new WeakMap<Tensor, { logits: Tensor; kind: ProbabilityKind }>();

/** Records that `probabilities` = kind(`logits`) (softmax over the last axis). */
export function rememberLogits(probabilities: Tensor, logits: Tensor, kind: ProbabilityKind): Tensor {
  BEHIND.set(probabilities, { logits, kind });
  return probabilities;
}

/** The logits `p` was computed from by `kind`, if a Keras activation recorded them. */
export function logitsBehind(p: Tensor, kind: ProbabilityKind): Tensor | undefined {
  const entry = BEHIND.get(p);
  return entry?.kind === kind ? entry.logits : undefined;
}
