import type { Optimizer, OptimizerOptions } from '../optimizer.js';
import { LRScheduler, checkArg } from './scheduler.js';

/** Python's modulo: the result has the divisor's sign. */
const mod = (a: number, n: number): number => ((a % n) + n) % n;

/**
 * Cosine annealing from the initial lr down to `etaMin` over `tMax` epochs, then back up
 * (PyTorch's `CosineAnnealingLR`, without restarts):
 * lr = etaMin + (initialLr − etaMin)·(1 + cos(π·epoch / tMax)) / 2.
 * Computed recursively from the current lr as PyTorch does, so it composes with other
 * schedulers.
 *
 * ```ts
 * const sched = new sd.optim.CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer<OptimizerOptions>, options: { tMax: number; etaMin?: number; lastEpoch?: number }) {
    super(optimizer, options.lastEpoch);
    const { tMax, etaMin = 0 } = options;
    checkArg('CosineAnnealingLR', 'tMax', tMax, Number.isInteger(tMax) && tMax > 0, 'a positive integer');
    checkArg('CosineAnnealingLR', 'etaMin', etaMin, etaMin >= 0, '>= 0');
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax, etaMin } = this;
    if (e === 0) return this.groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) return this.closedFormLr();
    if (mod(e - 1 - tMax, 2 * tMax) === 0) {
      // at the bottom of the cosine the ratio below would divide by zero
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax));
    return this.groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  override closedFormLr(): number[] {
    const c = (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax)) / 2;
    return this.baseLrs.map((lr) => this.etaMin + (lr - this.etaMin) * c);
  }
}
