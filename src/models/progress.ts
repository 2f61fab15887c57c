/**
 * The Keras progress display of fit and evaluate. verbose 1: a bar per epoch, redrawn in
 * place (`\r`) on a terminal, written once as a plain line at the end of the epoch
 * otherwise:
 * ```text
 * Epoch 1/5
 * 250/250 [==============================] - 2s 8ms/step - loss: 0.2968 - accuracy: 0.9133
 * ```
 * verbose 2: one line per epoch without the bar (`250/250 - 2s - loss: ... - 2s/epoch - 8ms/step`).
 * verbose 0: nothing.
 */
import { Callback, type Logs } from './callbacks/callback.js';

/** Where progress goes: text and whether it may be redrawn in place. */
export interface Printer {
  write(text: string): void;
  /** True on a terminal: the bar updates in place. */
  isTTY: boolean;
}

/** Standard output, redrawn in place when it is a terminal. */
export function stdoutPrinter(): Printer {
  return { write: (text) => void process.stdout.write(text), isTTY: Boolean(process.stdout.isTTY) };
}

/** Complete lines to `printFn` (console.log by default), never redrawn. */
export function linePrinter(printFn: (line: string) => void): Printer {
  let pending = '';
  return {
    isTTY: false,
    write(text) {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        printFn(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
  };
}

/** Python's `%.4f`, or `%.4e` for values of magnitude ≤ 1e-3, as Keras prints logs. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3 || v === 0) return v.toFixed(4);
  const [m, e] = v.toExponential(4).split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** ` 8ms/step`: a time per unit in s, ms or us (Keras' `_format_time`). */
export function formatTimePerUnit(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${Math.round(seconds * 1e3)}ms/${unit}`;
  return ` ${Math.round(seconds * 1e6)}us/${unit}`;
}

function formatEta(eta: number): string {
  const t = Math.floor(eta);
  if (eta > 3600) return `${Math.floor(t / 3600)}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
  if (eta > 60) return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
  return `${t}s`;
}

/** One progress bar (Keras' Progbar): `update(current, values)` per step, `finalize` at the end. */
export class ProgressBar {
  readonly #start = performance.now();
  #lastUpdate = 0;
  #lastWidth = 0;

  constructor(
    readonly target: number | null,
    readonly printer: Printer,
    readonly verbose: number,
    readonly unit = 'step',
    readonly width = 30,
    /** Seconds between redraws on a terminal. */
    readonly interval = 0.05,
  ) {}

  update(current: number, values: Logs, finalize = false): void {
    if (this.verbose === 0) return;
    const now = performance.now();
    const elapsed = (now - this.#start) / 1000;
    const perUnit = current > 0 ? elapsed / current : 0;
    const valuesText = Object.entries(values).map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
    if (this.verbose === 2) {
      if (!finalize) return;
      const count = this.target === null ? `${current}` : `${String(current).padStart(String(this.target).length)}/${this.target}`;
      this.printer.write(`${count} - ${Math.round(elapsed)}s${valuesText} -${formatTimePerUnit(elapsed, 'epoch')} -${formatTimePerUnit(perUnit, this.unit)}\n`);
      return;
    }
    if (!finalize && (!this.printer.isTTY || (now - this.#lastUpdate) / 1000 < this.interval)) return;
    this.#lastUpdate = now;
    let info: string;
    if (this.target === null || finalize) info = ` - ${Math.round(elapsed)}s${formatTimePerUnit(perUnit, this.unit)}`;
    else info = ` - ETA: ${formatEta(perUnit * (this.target - current))}`;
    let line = this.#bar(current) + info + valuesText;
    if (this.printer.isTTY) {
      const width = line.length;
      if (this.#lastWidth > width) line += ' '.repeat(this.#lastWidth - width);
      this.#lastWidth = width;
      line = `\r${line}`;
    }
    this.printer.write(finalize ? `${line}\n` : line);
  }

  #bar(current: number): string {
    if (this.target === null) return `${String(current).padStart(7)}/Unknown`;
    const digits = String(this.target).length;
    let bar = `${String(current).padStart(digits)}/${this.target} [`;
    const filled = Math.floor((this.width * current) / Math.max(this.target, 1));
    if (filled > 0) bar += '='.repeat(filled - 1) + (current < this.target ? '>' : '=');
    bar += '.'.repeat(Math.max(0, this.width - filled));
    return `${bar}]`;
  }
}

/** The callback that prints `Epoch 1/5` and a bar per epoch (Keras' ProgbarLogger); fit adds it first. */
export class ProgbarLogger extends Callback {
  #bar: ProgressBar | null = null;
  #seen = 0;

  constructor(
    readonly printer: Printer,
    readonly verbose: number,
  ) {
    super();
  }

  onEpochBegin(epoch: number): void {
    const params = this.params!;
    if (params.epochs > 1) this.printer.write(`Epoch ${epoch + 1}/${params.epochs}\n`);
    this.#bar = new ProgressBar(params.steps, this.printer, this.verbose);
    this.#seen = 0;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    this.#seen = batch + 1;
    this.#bar?.update(this.#seen, logs);
  }

  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    this.#bar?.update(this.params?.steps ?? this.#seen, logs, true);
  }
}
