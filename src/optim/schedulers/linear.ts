import type { Optimizer, OptimizerOptions } from '../optimizer.js';
import { LRScheduler, checkArg } from './scheduler.js';

export interface LinearLROptions {
  /** Multiplier of the initial lr at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Multiplier reached at `totalIters`, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs (or batches) of the ramp. Default 5. */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Changes the lr linearly from startFactor·initialLr to endFactor·initialLr over
 * `totalIters` steps, then keeps it (PyTorch's `LinearLR`). With a small startFactor and
 * endFactor 1 it is the usual linear warmup.
 *
 * ```ts
 * const warmup = new sd.optim.LinearLR(opt, { startFactor: 0.01, totalIters: 500 }); // step per batch
 * ```
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer<OptimizerOptions>, options: LinearLROptions = {}) {
    super(optimizer, options.lastEpoch);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    checkArg('LinearLR', 'startFactor', startFactor, startFactor > 0 && startFactor <= 1, 'in (0, 1]');
    checkArg('LinearLR', 'endFactor', endFactor, endFactor >= 0 && endFactor <= 1, 'in [0, 1]');
    checkArg('LinearLR', 'totalIters', totalIters, Number.isInteger(totalIters) && totalIters > 0, 'a positive integer');
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, startFactor: s, endFactor: f, totalIters: n } = this;
    if (e === 0) return this.groups.map((g) => g.lr * s);
    if (e > n) return this.groups.map((g) => g.lr);
    const factor = 1 + (f - s) / (n * s + (e - 1) * (f - s));
    return this.groups.map((g) => g.lr * factor);
  }

  override closedFormLr(): number[] {
    const t = Math.min(this.totalIters, this.lastEpoch) / this.totalIters;
    return this.baseLrs.map((lr) => lr * (this.startFactor + (this.endFactor - this.startFactor) * t));
  }
}
