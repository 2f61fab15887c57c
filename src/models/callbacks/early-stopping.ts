import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../options.js';
import { Callback, type Logs } from './callback.js';
import { checkNumber, improves, resolveMode, type MonitorMode } from './monitor.js';

export interface EarlyStoppingArgs {
  /** The logged value to watch. Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 'auto' (default: max for accuracies, min otherwise), 'min' or 'max'. */
  mode?: MonitorMode;
  /** Stop unless the value beats this baseline. */
  baseline?: number;
  /** Put back the weights of the best epoch when training ends. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching. Default 0. */
  startFromEpoch?: number;
  /** 1 prints when it stops. Default 0. */
  verbose?: number;
  printFn?: (line: string) => void;
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs (Keras
 * `EarlyStopping`). With `restoreBestWeights` the weights of the best epoch are put back
 * when training ends (on stopping, and at the last epoch if a better one came before).
 *
 * ```ts
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [new sd.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })] });
 * ```
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  /** The epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  /** The best value seen and its epoch. */
  best = Infinity;
  bestEpoch = 0;
  #wait = 0;
  #bestWeights: Tensor[] | null = null;
  #lastEpoch = -1;
  readonly #print: (line: string) => void;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const op = 'EarlyStopping';
    checkOptions(op, args, ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch', 'verbose', 'printFn']);
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkNumber(op, 'minDelta', args.minDelta ?? 0, -Infinity));
    this.patience = checkNumber(op, 'patience', args.patience ?? 0);
    this.mode = resolveMode(op, this.monitor, args.mode);
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkNumber(op, 'startFromEpoch', args.startFromEpoch ?? 0);
    this.verbose = args.verbose ?? 0;
    this.#print = args.printFn ?? ((line) => console.log(line));
  }

  onTrainBegin(): void {
    this.#wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.#bestWeights = null;
    this.#lastEpoch = -1;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.#lastEpoch = epoch;
    const current = logs[this.monitor];
    if (current === undefined) {
      this.#print(`EarlyStopping: '${this.monitor}' is not logged (available: ${Object.keys(logs).join(', ')}); not stopping`);
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.#bestWeights === null) this.#bestWeights = this.model!.getWeights();
    this.#wait++;
    if (improves(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#bestWeights = this.model!.getWeights();
      if (this.baseline === undefined || improves(this.mode, current, this.baseline, this.minDelta)) this.#wait = 0;
      return;
    }
    if (this.#wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.#bestWeights && this.bestEpoch !== this.#lastEpoch) {
      if (this.verbose > 0) this.#print(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.#bestWeights);
    }
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.#print(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
  }
}
