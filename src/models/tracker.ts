import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/mode.js';
import type { OutputTarget } from './compile.js';
import type { Logs } from './callbacks/callback.js';

/**
 * The running values of an epoch or an evaluation, as Keras logs them: the loss averaged
 * over samples (batches weighted by their size), each output's loss when there are
 * several outputs (`dense_1_loss`), and the streaming metrics (`accuracy`, or
 * `dense_1_accuracy` with several outputs).
 */
export class LogTracker {
  #samples = 0;
  #loss = 0;
  #outputLosses: number[];

  constructor(readonly targets: OutputTarget[]) {
    this.#outputLosses = targets.map(() => 0);
    this.reset();
  }

  reset(): void {
    this.#samples = 0;
    this.#loss = 0;
    this.#outputLosses = this.targets.map(() => 0);
    for (const t of this.targets) for (const m of t.metrics) m.reset();
  }

  /** Adds a batch: its size, total loss, per-output losses, and labels and outputs for the metrics. */
  add(size: number, loss: number, outputLosses: number[], ys: Tensor[], outputs: Tensor[]): void {
    this.#samples += size;
    this.#loss += loss * size;
    outputLosses.forEach((l, i) => (this.#outputLosses[i] += l * size));
    noGrad(() => this.targets.forEach((t, i) => t.metrics.forEach((m) => m.update(ys[i], outputs[i].detach()))));
  }

  get samples(): number {
    return this.#samples;
  }

  /** The log names in order: loss, per-output losses (several outputs), metrics. */
  names(): string[] {
    return Object.keys(this.logs());
  }

  logs(): Logs {
    const n = Math.max(this.#samples, 1);
    const logs: Logs = { loss: this.#loss / n };
    const multi = this.targets.length > 1;
    if (multi) this.targets.forEach((t, i) => (logs[`${t.name}_loss`] = this.#outputLosses[i] / n));
    for (const t of this.targets) for (const m of t.metrics) logs[multi ? `${t.name}_${m.name}` : m.name] = m.result();
    return logs;
  }
}
