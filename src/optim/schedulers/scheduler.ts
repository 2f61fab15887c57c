import { ValueError } from '../../errors.js';
import { Optimizer, type OptimizerOptions, type ParamGroup } from '../optimizer.js';

/** A scheduler's resumable state: its numeric fields (functions are not saved). */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * Base class of the epoch-indexed learning-rate schedulers (PyTorch's `LRScheduler`):
 * call `scheduler.step()` once per epoch (or per batch, for OneCycleLR) after
 * `optimizer.step()`; it sets every param group's `lr`.
 *
 * Building the scheduler records each group's starting lr as `initialLr` (unless already
 * there) and applies the schedule for epoch 0. With `lastEpoch` ≥ 0 (resuming) the groups
 * must already carry `initialLr`.
 *
 * A subclass computes the next lrs in `getLr()` from `lastEpoch` and the groups' current
 * lrs (PyTorch's recursive "chainable" form, so several schedulers can be stacked), and
 * calls `this.initialStep()` at the end of its constructor: JS sets a subclass's fields
 * only after the base constructor returns, so the base cannot take the first step.
 *
 * ```ts
 * const opt = new sd.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new sd.optim.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 90; epoch++) {
 *   trainOneEpoch(model, opt);
 *   sched.step();
 * }
 * ```
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer<OptimizerOptions>;
  /** Index of the current epoch: 0 after construction. */
  lastEpoch: number;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  /** Number of `step()` calls, the first one in the constructor included. */
  stepCount = 0;
  /** The lrs set by the latest step. */
  lastLr: number[] = [];

  constructor(optimizer: Optimizer<OptimizerOptions>, lastEpoch = -1) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${new.target.name}: expected an optimizer (e.g. new sd.optim.SGD(...)), got ${typeof optimizer}`);
    }
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) {
      throw new ValueError(`${new.target.name}: lastEpoch must be an integer >= -1, got ${lastEpoch}`);
    }
    this.optimizer = optimizer;
    optimizer.paramGroups.forEach((group, i) => {
      if (lastEpoch === -1) group.initialLr ??= group.lr;
      else if (group.initialLr === undefined) {
        throw new ValueError(`${new.target.name}: resuming (lastEpoch ${lastEpoch}) needs 'initialLr' in param group ${i}`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  get name(): string {
    return this.constructor.name;
  }

  protected get groups(): ParamGroup<OptimizerOptions>[] {
    return this.optimizer.paramGroups;
  }

  /** The lrs for `lastEpoch`, one per group. */
  protected abstract getLr(): number[];

  /** The lrs of epoch `lastEpoch` computed without the groups' current lrs, where a schedule has one. */
  closedFormLr?(): number[];

  /** Takes the step for epoch 0; subclasses call it last in their constructor. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances one epoch and sets the groups' lrs. */
  step(): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    this.apply(this.getLr());
  }

  /**
   * Jumps to `epoch`, using the closed form when the schedule has one (SequentialLR uses
   * it to restart a schedule at 0).
   */
  stepTo(epoch: number): void {
    this.stepCount += 1;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr ? this.closedFormLr() : this.getLr());
  }

  protected apply(lrs: number[]): void {
    this.groups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = this.groups.map((g) => g.lr);
  }

  /** The lrs set by the latest step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's own state (not the optimizer's), to save beside the optimizer's. */
  stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer']);
  }

  loadStateDict(state: SchedulerStateDict): void {
    restore(this, state, ['optimizer']);
  }
}

const isCode = (v: unknown): boolean => typeof v === 'function' || (Array.isArray(v) && v.some((x) => typeof x === 'function'));

/** A copy of an object's own data fields, leaving out `skip` and functions (they are code, not state). */
export function snapshot(obj: object, skip: string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!skip.includes(k) && !isCode(v)) out[k] = structuredClone(v);
  }
  return out;
}

/** Writes back fields saved by `snapshot`, refusing keys the object does not have. */
export function restore(obj: object, state: SchedulerStateDict, skip: string[]): void {
  const name = obj.constructor.name;
  if (state === null || typeof state !== 'object') throw new ValueError(`${name}.loadStateDict: expected an object, got ${String(state)}`);
  for (const [k, v] of Object.entries(state)) {
    if (skip.includes(k) || !Object.hasOwn(obj, k) || isCode((obj as Record<string, unknown>)[k])) {
      throw new ValueError(`${name}.loadStateDict: unexpected key '${k}'`);
    }
    (obj as Record<string, unknown>)[k] = structuredClone(v);
  }
}

/** Checks a scheduler argument: `StepLR: stepSize must be a positive integer, got 0`. */
export function checkArg(op: string, name: string, value: unknown, ok: boolean, rule: string): void {
  if (!ok) throw new ValueError(`${op}: ${name} must be ${rule}, got ${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`);
}

/** One lr-multiplier function, or one per param group. */
export type LrLambda = (epoch: number) => number;

/**
 * Sets each group's lr to initialLr · lrLambda(epoch) (PyTorch's `LambdaLR`); the
 * general form of every epoch schedule, and what Keras's LearningRateScheduler needs.
 *
 * ```ts
 * const warmup = new sd.optim.LambdaLR(opt, { lrLambda: (e) => Math.min(1, (e + 1) / 5) });
 * ```
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer<OptimizerOptions>, options: { lrLambda: LrLambda | LrLambda[]; lastEpoch?: number }) {
    super(optimizer, options.lastEpoch);
    const { lrLambda } = options;
    const n = optimizer.paramGroups.length;
    const list = Array.isArray(lrLambda) ? lrLambda : new Array<LrLambda>(n).fill(lrLambda);
    checkArg('LambdaLR', 'lrLambda', typeof lrLambda, list.length === n && list.every((f) => typeof f === 'function'), `a function or one per param group (${n})`);
    this.lrLambdas = list;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
  }
}
