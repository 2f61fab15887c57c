import { Callback, type Logs } from './callbacks/callback.js';

/**
 * What `fit` returns (Keras' and TensorFlow.js' History): the epochs run and, per logged
 * name, one value per epoch.
 *
 * ```ts
 * const history = await model.fit(x, y, { epochs: 5, validationSplit: 0.1 });
 * history.epoch;                // [0, 1, 2, 3, 4]
 * history.history.loss;         // five numbers
 * history.history.val_accuracy; // five numbers
 * ```
 */
export class History extends Callback {
  /** The epochs run, from 0 (or from initialEpoch). */
  epoch: number[] = [];
  /** Per logged name (loss, accuracy, val_loss, ...), one value per epoch. */
  history: Record<string, number[]> = {};

  onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
