import { ValueError } from '../../errors.js';
import { saveStateDict } from '../../io/files.js';
import { checkOptions } from '../options.js';
import { Callback, type Logs } from './callback.js';
import { improves, resolveMode, type MonitorMode } from './monitor.js';

export interface ModelCheckpointArgs {
  /** Where to save; may hold `{epoch}` (from 1), `{epoch:02d}` and logged values `{val_loss:.4f}`. */
  filepath: string;
  /** The value saveBestOnly compares. Default 'val_loss'. */
  monitor?: string;
  /** Save only when `monitor` improves on the best so far. Default false. */
  saveBestOnly?: boolean;
  /** Save only the weights (a state dict) instead of the model file. Default false. */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** With the model file: also the optimizer state and epoch, to resume. Default true. */
  includeOptimizer?: boolean;
  /** 1 prints each save. Default 0. */
  verbose?: number;
  printFn?: (line: string) => void;
}

/**
 * Saves the model at the end of every epoch, or only when `monitor` improves (Keras
 * `ModelCheckpoint`). The file is `model.save(path)`'s model file (with the optimizer
 * state and the epoch, so `fit({ initialEpoch })` resumes), or the weights alone. Each
 * write is atomic.
 *
 * ```ts
 * new sd.callbacks.ModelCheckpoint({ filepath: 'ckpt-{epoch:02d}.safetensors' });
 * new sd.callbacks.ModelCheckpoint({ filepath: 'best.safetensors', monitor: 'val_accuracy', saveBestOnly: true });
 * ```
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly includeOptimizer: boolean;
  readonly mode: 'min' | 'max';
  readonly verbose: number;
  /** The best monitored value saved so far. */
  best: number;
  /** Paths written, in order. */
  readonly saved: string[] = [];
  readonly #print: (line: string) => void;

  constructor(args: ModelCheckpointArgs) {
    super();
    const op = 'ModelCheckpoint';
    checkOptions(op, args, ['filepath', 'monitor', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'includeOptimizer', 'verbose', 'printFn']);
    if (typeof args?.filepath !== 'string' || args.filepath === '') throw new ValueError(`${op}: filepath is required`);
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.includeOptimizer = args.includeOptimizer ?? true;
    this.mode = resolveMode(op, this.monitor, args.mode);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.verbose = args.verbose ?? 0;
    this.#print = args.printFn ?? ((line) => console.log(line));
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const path = formatPath(this.filepath, epoch + 1, logs);
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        this.#print(`ModelCheckpoint: can save best model only with '${this.monitor}' logged (available: ${Object.keys(logs).join(', ')}); skipping`);
        return;
      }
      if (!improves(this.mode, current, this.best, 0)) {
        if (this.verbose > 0) this.#print(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best.toFixed(5)}`);
        return;
      }
      if (this.verbose > 0) this.#print(`Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best.toFixed(5)} to ${current.toFixed(5)}, saving model to ${path}`);
      this.best = current;
    } else if (this.verbose > 0) this.#print(`Epoch ${epoch + 1}: saving model to ${path}`);
    const model = this.model!;
    if (this.saveWeightsOnly) saveStateDict(path, model.stateDict());
    else model.save(path, this.includeOptimizer && model.optimizer ? { includeOptimizer: true, epoch: epoch + 1 } : { epoch: epoch + 1 });
    this.saved.push(path);
  }
}

/** Fills `{epoch}`, `{epoch:02d}`, `{name}` and `{name:.4f}` in a path, as Keras' format strings. */
export function formatPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{(\w+)(?::(0?)(\d*)(?:\.(\d+))?([df]?))?\}/g, (_whole, name: string, zero: string, width: string, decimals: string, kind: string) => {
    const value = name === 'epoch' ? epoch : logs[name];
    if (value === undefined) throw new ValueError(`ModelCheckpoint: filepath names '{${name}}', which is not logged (available: epoch, ${Object.keys(logs).join(', ')})`);
    let text = kind === 'f' || decimals ? value.toFixed(Number(decimals || 6)) : kind === 'd' ? String(Math.round(value)) : String(value);
    if (width) text = text.padStart(Number(width), zero ? '0' : ' ');
    return text;
  });
}
