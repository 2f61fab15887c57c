/**
 * Callbacks of `fit`, as Keras and TensorFlow.js: objects whose hooks run at the start
 * and end of training, of each epoch and of each batch. A callback is a `Callback`
 * subclass, an instance of any class with some of the hooks (and, if it wants them,
 * `setModel`/`setParams`), or a plain object with some of the hooks; hooks may be async
 * (fit awaits them).
 *
 * ```ts
 * await model.fit(x, y, {
 *   epochs: 5,
 *   callbacks: [{ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) }],
 * });
 * ```
 */
import type { LayersModel } from '../model.js';

/** Values of a batch or epoch by name: `{loss: 0.29, accuracy: 0.91, val_loss: ...}`. */
export type Logs = Record<string, number>;

/** What fit tells callbacks about the run (Keras' `callback.params`). */
export interface TrainParams {
  epochs: number;
  /** Batches per epoch; null when the data is an iterable of unknown length. */
  steps: number | null;
  /** Training samples, when known. */
  samples?: number;
  batchSize?: number;
  initialEpoch: number;
  verbose: number;
  /** Whether there is validation data (val_* logs at epoch end). */
  doValidation: boolean;
  /** Names of the logged values: loss, metrics, and their val_ forms. */
  metrics: string[];
}

type MaybePromise = void | Promise<void>;

/** The hooks a callback may have. */
export interface CallbackHooks {
  onTrainBegin?(logs?: Logs): MaybePromise;
  onTrainEnd?(logs?: Logs): MaybePromise;
  /** `epoch` counts from 0. */
  onEpochBegin?(epoch: number, logs?: Logs): MaybePromise;
  /** `logs` holds the epoch's loss and metrics and, with validation, their val_ values. */
  onEpochEnd?(epoch: number, logs?: Logs): MaybePromise;
  /** `batch` counts from 0 within the epoch. */
  onBatchBegin?(batch: number, logs?: Logs): MaybePromise;
  /** `logs` holds the running loss and metrics of the epoch so far. */
  onBatchEnd?(batch: number, logs?: Logs): MaybePromise;
  /** Training threw `error` (fit rethrows it after this hook); onTrainEnd does not run. */
  onTrainError?(error: unknown): MaybePromise;
}

/** What fit calls, when present, before training: the model and the run's params. */
interface ModelAware {
  setModel?(model: LayersModel): void;
  setParams?(params: TrainParams): void;
}

/**
 * Base class of the callbacks: `model` and `params` are set by fit before onTrainBegin.
 * A subclass defines the hooks of CallbackHooks it needs.
 */
export class Callback {
  model: LayersModel | null = null;
  params: TrainParams | null = null;

  setModel(model: LayersModel): void {
    this.model = model;
  }

  setParams(params: TrainParams): void {
    this.params = params;
  }
}

/** A callback given to fit: a Callback or a plain object of hooks. */
export type CallbackLike = Callback | CallbackHooks;

const hooksOf = (cb: CallbackLike): CallbackHooks & ModelAware => cb as CallbackHooks & ModelAware;

/** Runs every callback's hook in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: CallbackLike[]) {}

  setModel(model: LayersModel): void {
    for (const cb of this.callbacks) hooksOf(cb).setModel?.(model);
  }

  setParams(params: TrainParams): void {
    for (const cb of this.callbacks) hooksOf(cb).setParams?.(params);
  }

  async trainBegin(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await hooksOf(cb).onTrainBegin?.(logs);
  }

  async trainEnd(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await hooksOf(cb).onTrainEnd?.(logs);
  }

  async epochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await hooksOf(cb).onEpochBegin?.(epoch, logs);
  }

  async epochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await hooksOf(cb).onEpochEnd?.(epoch, logs);
  }

  async batchBegin(batch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await hooksOf(cb).onBatchBegin?.(batch, logs);
  }

  async batchEnd(batch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await hooksOf(cb).onBatchEnd?.(batch, logs);
  }

  /** Tells every callback that training threw; a hook that throws too does not hide the error. */
  async trainError(error: unknown): Promise<void> {
    for (const cb of this.callbacks) {
      try {
        await hooksOf(cb).onTrainError?.(error);
      } catch {
        // the training error is the one to report
      }
    }
  }
}

/**
 * Checks that every plain object has only known hooks, naming a misspelt one
 * (`onEpochEnds`). Instances of classes keep their state in properties, so only their
 * hooks are looked at.
 */
export function checkCallbacks(callbacks: unknown): CallbackLike[] {
  const list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
  const hooks = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onTrainError'];
  list.forEach((cb, i) => {
    if (cb === null || typeof cb !== 'object') throw new TypeError(`fit: callbacks[${i}] must be a Callback or an object of hooks, got ${String(cb)}`);
    const proto = Object.getPrototypeOf(cb);
    if (proto !== Object.prototype && proto !== null) {
      for (const k of hooks) {
        const hook = (cb as Record<string, unknown>)[k];
        if (hook !== undefined && typeof hook !== 'function') throw new TypeError(`fit: callbacks[${i}].${k} must be a function`);
      }
      return;
    }
    for (const [k, v] of Object.entries(cb)) {
      if (!hooks.includes(k)) throw new TypeError(`fit: callbacks[${i}] has an unknown hook '${k}' (hooks: ${hooks.join(', ')})`);
      if (typeof v !== 'function') throw new TypeError(`fit: callbacks[${i}].${k} must be a function`);
    }
  });
  return list as CallbackLike[];
}
