import { ValueError } from '../../errors.js';
import { Optimizer, type OptimizerOptions } from '../optimizer.js';
import { LRScheduler, checkArg, type SchedulerStateDict } from './scheduler.js';

/**
 * Runs schedulers one after another, switching at the milestone epochs (PyTorch's
 * `SequentialLR`); each scheduler after the first restarts its schedule at its milestone.
 * The usual pairing is a linear warmup followed by cosine annealing.
 *
 * ```ts
 * const warmup = new sd.optim.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cosine = new sd.optim.CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new sd.optim.SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [5] });
 * ```
 */
export class SequentialLR {
  readonly optimizer: Optimizer<OptimizerOptions>;
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  lastEpoch: number;
  lastLr: number[];

  constructor(
    optimizer: Optimizer<OptimizerOptions>,
    options: { schedulers: LRScheduler[]; milestones: number[]; lastEpoch?: number },
  ) {
    const op = 'SequentialLR';
    const { schedulers, milestones, lastEpoch = -1 } = options;
    checkArg(op, 'schedulers', schedulers, Array.isArray(schedulers) && schedulers.length > 0 && schedulers.every((s) => s instanceof LRScheduler), 'a non-empty array of LR schedulers');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new ValueError(`${op}: scheduler ${i} (${s.name}) drives a different optimizer`);
    });
    checkArg(op, 'milestones', milestones, Array.isArray(milestones) && milestones.length === schedulers.length - 1, `${schedulers.length - 1} epochs, one fewer than the schedulers`);
    checkArg(op, 'milestones', milestones, milestones.every((m, i) => Number.isInteger(m) && m > (milestones[i - 1] ?? 0)), 'increasing positive integers');
    this.optimizer = optimizer;
    this.schedulers = schedulers;
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    // building each scheduler took its first step; undo them and take only the first one's
    for (const group of optimizer.paramGroups) group.lr = group.initialLr ?? group.lr;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].stepCount = 0;
    schedulers[0].step();
    this.lastLr = schedulers[0].getLastLr();
  }

  step(): void {
    this.lastEpoch += 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx] <= this.lastEpoch) idx++;
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.stepTo(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(state: SchedulerStateDict): void {
    const inner = state.schedulers as SchedulerStateDict[] | undefined;
    if (!Array.isArray(inner) || inner.length !== this.schedulers.length) {
      throw new ValueError(`SequentialLR.loadStateDict: expected the state of ${this.schedulers.length} schedulers`);
    }
    this.lastEpoch = state.lastEpoch as number;
    this.lastLr = [...(state.lastLr as number[])];
    inner.forEach((s, i) => this.schedulers[i].loadStateDict(s));
  }
}
