import { ValueError } from '../../errors.js';
import type { Optimizer, OptimizerOptions } from '../optimizer.js';
import { LRScheduler, checkArg } from './scheduler.js';

export interface OneCycleLROptions {
  /** Peak lr: one number or one per param group. */
  maxLr: number | number[];
  /** Length of the cycle in steps; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr. Default 0.3. */
  pctStart?: number;
  /** Shape of each phase. Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Move momentum (SGD) or beta1 (Adam) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Default 0.85 (one number or one per group). */
  baseMomentum?: number | number[];
  /** Default 0.95 (one number or one per group). */
  maxMomentum?: number | number[];
  /** The lr starts at maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** The lr ends at maxLr / (divFactor · finalDivFactor). Default 1e4. */
  finalDivFactor?: number;
  /** Warm up, come back down symmetrically, then anneal (fast.ai's schedule). Default false. */
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'max' | 'base';
  endMomentum: 'max' | 'base';
}

/**
 * The 1cycle policy (Smith & Topsakal; PyTorch's `OneCycleLR`): the lr rises from
 * maxLr/divFactor to maxLr over pctStart of the cycle, then anneals to a minimum far
 * below the start, while momentum moves the opposite way. Step it after every batch.
 *
 * ```ts
 * const sched = new sd.optim.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: loader.length });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  /** Whether the momentum cycled is Adam's beta1 rather than SGD's momentum. */
  readonly useBeta1: boolean;
  readonly phases: Phase[];
  readonly maxLrs: number[];
  readonly minLrs: number[];
  readonly maxMomentums: number[];
  readonly baseMomentums: number[];

  constructor(optimizer: Optimizer<OptimizerOptions>, options: OneCycleLROptions) {
    super(optimizer, options.lastEpoch);
    const o = options;
    const op = 'OneCycleLR';
    if (o.totalSteps !== undefined) {
      checkArg(op, 'totalSteps', o.totalSteps, Number.isInteger(o.totalSteps) && o.totalSteps > 0, 'a positive integer');
      this.totalSteps = o.totalSteps;
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      checkArg(op, 'epochs', o.epochs, Number.isInteger(o.epochs) && o.epochs > 0, 'a positive integer');
      checkArg(op, 'stepsPerEpoch', o.stepsPerEpoch, Number.isInteger(o.stepsPerEpoch) && o.stepsPerEpoch > 0, 'a positive integer');
      this.totalSteps = o.epochs * o.stepsPerEpoch;
    } else {
      throw new ValueError(`${op}: give either totalSteps or both epochs and stepsPerEpoch`);
    }
    const { pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true, divFactor = 25, finalDivFactor = 1e4, threePhase = false } = o;
    checkArg(op, 'pctStart', pctStart, pctStart >= 0 && pctStart <= 1, 'in [0, 1]');
    checkArg(op, 'annealStrategy', annealStrategy, annealStrategy === 'cos' || annealStrategy === 'linear', "'cos' or 'linear'");
    checkArg(op, 'divFactor', divFactor, divFactor > 0, '> 0');
    checkArg(op, 'finalDivFactor', finalDivFactor, finalDivFactor > 0, '> 0');
    this.annealStrategy = annealStrategy;
    const t = this.totalSteps;
    this.phases = threePhase
      ? [
          { endStep: pctStart * t - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: 2 * pctStart * t - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
          { endStep: t - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: pctStart * t - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: t - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];

    const groups = this.groups;
    this.maxLrs = perGroup(op, 'maxLr', o.maxLr, groups.length);
    this.maxLrs.forEach((lr) => checkArg(op, 'maxLr', lr, lr > 0, '> 0'));
    // the cycle defines its own starting lr, replacing any initialLr already recorded
    if (this.lastEpoch === -1) groups.forEach((g, i) => (g.initialLr = this.maxLrs[i] / divFactor));
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.minLrs = this.baseLrs.map((lr) => lr / finalDivFactor);

    this.cycleMomentum = cycleMomentum;
    const defaults = optimizer.defaults as object;
    this.useBeta1 = 'betas' in defaults;
    this.maxMomentums = perGroup(op, 'maxMomentum', o.maxMomentum ?? 0.95, groups.length);
    this.baseMomentums = perGroup(op, 'baseMomentum', o.baseMomentum ?? 0.85, groups.length);
    if (cycleMomentum) {
      if (!('momentum' in defaults) && !this.useBeta1) {
        throw new ValueError(`${op}: cycleMomentum needs an optimizer with momentum or betas, and ${optimizer.name} has neither; pass cycleMomentum: false`);
      }
      if (this.lastEpoch === -1) groups.forEach((g, i) => this.setMomentum(g as unknown as Record<string, unknown>, this.maxMomentums[i]));
    }
    this.initialStep();
  }

  private setMomentum(group: Record<string, unknown>, value: number): void {
    if (this.useBeta1) group.betas = [value, ...(group.betas as number[]).slice(1)];
    else group.momentum = value;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(`OneCycleLR: stepped ${stepNum + 1} times, but the cycle has totalSteps ${this.totalSteps}`);
    }
    return this.groups.map((group, g) => {
      const lrs = { initial: this.baseLrs[g], max: this.maxLrs[g], min: this.minLrs[g] };
      const momenta = { max: this.maxMomentums[g], base: this.baseMomentums[g] };
      let startStep = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i];
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          if (this.cycleMomentum) {
            const m = this.anneal(momenta[phase.startMomentum], momenta[phase.endMomentum], pct);
            this.setMomentum(group as unknown as Record<string, unknown>, m);
          }
          return this.anneal(lrs[phase.startLr], lrs[phase.endLr], pct);
        }
        startStep = phase.endStep;
      }
      throw new Error('unreachable: the last phase always matches');
    });
  }
}

function perGroup(op: string, name: string, value: number | number[], groups: number): number[] {
  if (Array.isArray(value)) {
    checkArg(op, name, value, value.length === groups, `one number or one per param group (${groups})`);
    return [...value];
  }
  checkArg(op, name, value, typeof value === 'number' && Number.isFinite(value), 'a number');
  return new Array<number>(groups).fill(value);
}
