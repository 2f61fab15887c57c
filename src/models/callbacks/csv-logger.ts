import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { ValueError } from '../../errors.js';
import { Callback, type Logs } from './callback.js';

/**
 * Writes one CSV row per epoch (Keras `CSVLogger`): `epoch` then the logged values in
 * name order, a header first. Each row is one append, so a reader never sees half a row.
 *
 * ```ts
 * new sd.callbacks.CSVLogger('training.csv');
 * new sd.callbacks.CSVLogger('training.csv', { append: true });   // continue a resumed run
 * ```
 */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  #keys: string[] | null = null;

  constructor(
    readonly filename: string,
    options: { separator?: string; append?: boolean } = {},
  ) {
    super();
    if (typeof filename !== 'string' || filename === '') throw new ValueError(`CSVLogger: filename is required`);
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  onTrainBegin(): void {
    this.#keys = null;
    if (!this.append) writeFileSync(this.filename, '');
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const sep = this.separator;
    if (this.#keys === null) {
      this.#keys = Object.keys(logs).sort();
      const hasHeader = this.append && existsSync(this.filename) && statSync(this.filename).size > 0;
      if (!hasHeader) appendFileSync(this.filename, `${['epoch', ...this.#keys].join(sep)}\n`);
    }
    const cells = this.#keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])));
    appendFileSync(this.filename, `${[String(epoch), ...cells].join(sep)}\n`);
  }
}
