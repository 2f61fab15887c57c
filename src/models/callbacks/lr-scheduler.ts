import { ValueError } from '../../errors.js';
import { Callback, type Logs } from './callback.js';
import { getLr, optimizerOf, setLr } from './monitor.js';

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, lr)` (Keras
 * `LearningRateScheduler`); the rate is logged as `lr`.
 *
 * ```ts
 * new sd.callbacks.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * ```
 */
export class LearningRateScheduler extends Callback {
  readonly #print: (line: string) => void;

  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    readonly verbose = 0,
    printFn?: (line: string) => void,
  ) {
    super();
    if (typeof schedule !== 'function') throw new ValueError(`LearningRateScheduler: schedule must be a function (epoch, lr) => lr`);
    this.#print = printFn ?? ((line) => console.log(line));
  }

  onEpochBegin(epoch: number): void {
    const opt = optimizerOf('LearningRateScheduler', this.model);
    const lr = this.schedule(epoch, getLr(opt));
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ValueError(`LearningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}; it must return a finite number >= 0`);
    }
    setLr(opt, lr);
    if (this.verbose > 0) this.#print(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.lr = getLr(optimizerOf('LearningRateScheduler', this.model));
  }
}
