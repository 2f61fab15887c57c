import { Adam, type AdamOptions } from './adam.js';
import type { Params } from './optimizer.js';

/**
 * AdamW: Adam with decoupled weight decay, p ← p·(1 − lr·weightDecay) before each update
 * instead of an L2 term in the gradient (Loshchilov & Hutter; PyTorch's
 * `torch.optim.AdamW`). Default weightDecay 1e-2. The update is `adamUpdate` with
 * `decoupled` set.
 *
 * ```ts
 * const opt = new sd.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends Adam {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options });
  }

  protected override get decoupled(): boolean {
    return true;
  }
}
