import { ValueError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { Optimizer, type OptimizerOptions } from '../optimizer.js';
import { checkArg, restore, snapshot, type SchedulerStateDict } from './scheduler.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should fall (a loss); 'max': rise (an accuracy). Default 'min'. */
  mode?: 'min' | 'max';
  /** New lr = lr · factor, factor < 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** 'rel': relative to the best value; 'abs': absolute. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** Lower bound of the lr: one number or one per param group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

/**
 * Reduces the lr by `factor` when a metric has stopped improving for `patience` epochs
 * (PyTorch's `ReduceLROnPlateau`). Unlike the other schedulers its `step` takes the
 * metric, typically the validation loss.
 *
 * ```ts
 * const sched = new sd.optim.ReduceLROnPlateau(opt, { mode: 'min', factor: 0.5, patience: 3 });
 * for (let epoch = 0; epoch < 50; epoch++) {
 *   train(); sched.step(validationLoss());
 * }
 * ```
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer<OptimizerOptions>;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  /** The best metric so far. */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  lastLr: number[];

  constructor(optimizer: Optimizer<OptimizerOptions>, options: ReduceLROnPlateauOptions = {}) {
    const op = 'ReduceLROnPlateau';
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${op}: expected an optimizer, got ${typeof optimizer}`);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    checkArg(op, 'mode', mode, mode === 'min' || mode === 'max', "'min' or 'max'");
    checkArg(op, 'factor', factor, factor >= 0 && factor < 1, 'in [0, 1)');
    checkArg(op, 'patience', patience, Number.isInteger(patience) && patience >= 0, 'a non-negative integer');
    checkArg(op, 'threshold', threshold, threshold >= 0, '>= 0');
    checkArg(op, 'thresholdMode', thresholdMode, thresholdMode === 'rel' || thresholdMode === 'abs', "'rel' or 'abs'");
    checkArg(op, 'cooldown', cooldown, Number.isInteger(cooldown) && cooldown >= 0, 'a non-negative integer');
    checkArg(op, 'eps', eps, eps >= 0, '>= 0');
    const n = optimizer.paramGroups.length;
    const minLrs = Array.isArray(minLr) ? [...minLr] : new Array<number>(n).fill(minLr);
    checkArg(op, 'minLr', minLr, minLrs.length === n && minLrs.every((v) => v >= 0), `a number >= 0 or one per param group (${n})`);
    this.optimizer = optimizer;
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLrs = minLrs;
    this.eps = eps;
    this.best = mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records this epoch's metric and reduces the lrs if it has not improved for long enough. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new ValueError(`ReduceLROnPlateau.step: metric must be a number, got ${typeof current}`);
    this.lastEpoch += 1;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const reduced = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - reduced > this.eps) g.lr = reduced;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether `a` improves on the best value by more than the threshold. */
  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer']);
  }

  loadStateDict(state: SchedulerStateDict): void {
    restore(this, state, ['optimizer']);
  }
}
