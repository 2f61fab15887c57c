import type { Optimizer, OptimizerOptions } from '../optimizer.js';
import { LRScheduler, checkArg } from './scheduler.js';

/**
 * Multiplies the lr by `gamma` every `stepSize` epochs (PyTorch's `StepLR`):
 * lr = initialLr · gamma^⌊epoch / stepSize⌋.
 *
 * ```ts
 * const sched = new sd.optim.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer<OptimizerOptions>, options: { stepSize: number; gamma?: number; lastEpoch?: number }) {
    super(optimizer, options.lastEpoch);
    const { stepSize, gamma = 0.1 } = options;
    checkArg('StepLR', 'stepSize', stepSize, Number.isInteger(stepSize) && stepSize > 0, 'a positive integer');
    checkArg('StepLR', 'gamma', gamma, gamma > 0, '> 0');
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.groups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }

  override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/**
 * Multiplies the lr by `gamma` at each milestone epoch (PyTorch's `MultiStepLR`); a
 * milestone listed twice multiplies twice.
 *
 * ```ts
 * const sched = new sd.optim.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: Optimizer<OptimizerOptions>, options: { milestones: number[]; gamma?: number; lastEpoch?: number }) {
    super(optimizer, options.lastEpoch);
    const { milestones, gamma = 0.1 } = options;
    checkArg('MultiStepLR', 'milestones', milestones, Array.isArray(milestones) && milestones.every((m) => Number.isInteger(m) && m >= 0), 'an array of non-negative integers');
    checkArg('MultiStepLR', 'gamma', gamma, gamma > 0, '> 0');
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.groups.map((g) => (hits === 0 ? g.lr : g.lr * this.gamma ** hits));
  }

  override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((lr) => lr * this.gamma ** passed);
  }
}

/**
 * Multiplies the lr by `gamma` every epoch (PyTorch's `ExponentialLR`):
 * lr = initialLr · gamma^epoch.
 *
 * ```ts
 * const sched = new sd.optim.ExponentialLR(opt, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer<OptimizerOptions>, options: { gamma: number; lastEpoch?: number }) {
    super(optimizer, options.lastEpoch);
    checkArg('ExponentialLR', 'gamma', options.gamma, options.gamma > 0, '> 0');
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.groups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }

  override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}
