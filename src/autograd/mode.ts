/** Whether ops record themselves for backward(). Off inside noGrad(). */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording operations, as PyTorch's `torch.no_grad()`: for inference,
 * evaluation and in-place parameter updates.
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on or off, restoring the previous mode afterwards. */
export function withGradMode<T>(mode: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new Error('noGrad: fn must be synchronous; async work would run after the mode is restored');
    }
    return result;
  } finally {
    enabled = previous;
  }
}
