import { ValueError } from '../../errors.js';
import { checkOptions } from '../options.js';
import { Callback, type Logs } from './callback.js';
import { checkNumber, getLr, improves, optimizerOf, resolveMode, setLr, type MonitorMode } from './monitor.js';

export interface ReduceLROnPlateauArgs {
  /** Default 'val_loss'. */
  monitor?: string;
  /** New rate = rate·factor. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before watching again. Default 0. */
  cooldown?: number;
  /** Lower bound of the rate. Default 0. */
  minLr?: number;
  verbose?: number;
  printFn?: (line: string) => void;
}

/**
 * Multiplies the learning rate by `factor` when `monitor` has not improved for
 * `patience` epochs (Keras `ReduceLROnPlateau`); the rate is logged as `lr`.
 *
 * ```ts
 * new sd.callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 5, minLr: 1e-5 });
 * ```
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  #best = Infinity;
  #wait = 0;
  #cooldownLeft = 0;
  readonly #print: (line: string) => void;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const op = 'ReduceLROnPlateau';
    checkOptions(op, args, ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'verbose', 'printFn']);
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = checkNumber(op, 'factor', args.factor ?? 0.1);
    if (this.factor >= 1) throw new ValueError(`${op}: factor must be < 1 (it multiplies the rate), got ${this.factor}`);
    this.patience = checkNumber(op, 'patience', args.patience ?? 10);
    this.mode = resolveMode(op, this.monitor, args.mode);
    this.minDelta = checkNumber(op, 'minDelta', args.minDelta ?? 1e-4);
    this.cooldown = checkNumber(op, 'cooldown', args.cooldown ?? 0);
    this.minLr = checkNumber(op, 'minLr', args.minLr ?? 0);
    this.verbose = args.verbose ?? 0;
    this.#print = args.printFn ?? ((line) => console.log(line));
  }

  onTrainBegin(): void {
    this.#best = this.mode === 'min' ? Infinity : -Infinity;
    this.#wait = 0;
    this.#cooldownLeft = 0;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const opt = optimizerOf('ReduceLROnPlateau', this.model);
    logs.lr = getLr(opt);
    const current = logs[this.monitor];
    if (current === undefined) {
      this.#print(`ReduceLROnPlateau: '${this.monitor}' is not logged (available: ${Object.keys(logs).join(', ')}); not reducing`);
      return;
    }
    if (this.#cooldownLeft > 0) {
      this.#cooldownLeft--;
      this.#wait = 0;
    }
    if (improves(this.mode, current, this.#best, this.minDelta)) {
      this.#best = current;
      this.#wait = 0;
    } else if (this.#cooldownLeft === 0 && ++this.#wait >= this.patience) {
      const old = getLr(opt);
      if (old > this.minLr) {
        const lr = Math.max(old * this.factor, this.minLr);
        setLr(opt, lr);
        if (this.verbose > 0) this.#print(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
        this.#cooldownLeft = this.cooldown;
        this.#wait = 0;
      }
    }
  }
}
