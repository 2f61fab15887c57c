import { Callback, type Logs } from './callback.js';

/**
 * Stops training at the first batch whose loss is NaN or infinite (Keras
 * `TerminateOnNaN`), printing the batch.
 */
export class TerminateOnNaN extends Callback {
  constructor(readonly printFn: (line: string) => void = (line) => console.log(line)) {
    super();
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.printFn(`Batch ${batch}: Invalid loss, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}
