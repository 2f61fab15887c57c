/**
 * TrackingCallback: what `model.fit(x, y, { track: true | { experiment, runName } })`
 * adds to its callbacks, so that training is logged with no extra code. It uses the Keras
 * callback hooks (`setModel`, `setParams`, `onTrainBegin`, `onEpochBegin`, `onEpochEnd`,
 * `onBatchBegin`, `onBatchEnd`, `onTrainEnd`) plus `onTrainError(err)`, which the loop
 * calls when training throws, to mark the run FAILED.
 *
 * What it logs:
 * - params: the fit params (epochs, batchSize, samples, ...), the compile config flattened
 *   (`optimizer.className`, `optimizer.config.lr`, `loss`, ...) and `model.params` (count);
 * - per epoch, at step = epoch: every number in the epoch logs (loss, acc, val_loss, ...),
 *   `lr`, `epoch_time` (s) and `samples_per_second`;
 * - every `logEveryNBatches` batches, at step = batches seen so far: `batch/<key>` for the
 *   numbers in the batch logs;
 * - artifacts: `model/summary.txt`, `model/architecture.json` at the start, the model file
 *   `model/model.safetensors` at the end (if the model has `save(path)`);
 * - histograms per epoch: `weights/<name>` of each weight, `gradients/<name>` of each
 *   weight whose `.grad` is set (the gradients of the epoch's last batch).
 *
 * - at the end, for a classifier, when the loop calls `logPredictions` with the model's
 *   outputs on the validation data (else the training data): the confusion matrix and,
 *   when the inputs are pictures, sample images with their labels and predictions.
 *   `fit({ track })` does; a hand-written loop may call it too.
 *
 * ```ts
 * await model.fit(x, y, { epochs: 5, track: { experiment: 'mnist' } }); // adds this callback
 * const tracking = new sd.track.TrackingCallback({ experiment: 'mnist' });
 * await model.fit(x, y, { epochs: 5, callbacks: [tracking] });           // the same, by hand
 * ```
 */
import { Run } from './run.js';
import { startRun } from './api.js';
import type { TrackingStore } from './store.js';
import { confusionMatrix } from '../metrics/confusion.js';
import { registerFitTracker, type PredictionSample } from '../models/fit-tracking.js';
import { classPredictions, sampleImage } from './predictions.js';

/** A tensor as the callback reads it. */
interface TensorView {
  values: ArrayLike<number | bigint | boolean>;
  grad?: TensorView | null;
}

/**
 * What the callback uses of a model; every member is optional, and what is missing is
 * not logged. Keras-style models have all of it; PyTorch-style modules have
 * `namedParameters` and `stateDict`.
 */
export interface TrackedModel {
  /** The architecture as JSON, as the model file stores it. */
  toJSON?(): unknown;
  /** The summary table as text; else `summary(lineLength, positions, printFn)` (tfjs) is called with a printFn. */
  summaryText?(): string;
  summary?(lineLength?: number, positions?: number[], printFn?: (line: string) => void): unknown;
  countParams?(): number;
  /** Weights by name: the parameters (with `.grad`) for histograms. Falls back to stateDict. */
  namedParameters?(): [string, TensorView][];
  stateDict?(): Record<string, TensorView>;
  /** `compile()`'s settings: `{ optimizer, loss, metrics }`. */
  getCompileConfig?(): unknown;
  /** The optimizer of compile; its first param group's `lr` is logged as the learning rate. */
  optimizer?: { paramGroups?: readonly { lr?: number }[]; lr?: number } | null;
  /** Saves the model file (may return a promise). */
  save?(path: string): unknown;
}

/** The fit params a loop passes to `setParams` (tfjs names); any other JSON value is logged too. */
export interface FitParams {
  epochs?: number;
  batchSize?: number;
  /** Training samples per epoch. */
  samples?: number;
  /** Batches per epoch. */
  steps?: number;
  initialEpoch?: number;
  validationSplit?: number;
  [key: string]: unknown;
}

export interface TrackingCallbackOptions {
  /** Log into this run (not ended by the callback); else a run is started at onTrainBegin. */
  run?: Run;
  experiment?: string;
  runName?: string;
  tags?: Record<string, string>;
  home?: string;
  store?: TrackingStore;
  /** Log batch metrics every N batches (default 50; 0: never). */
  logEveryNBatches?: number;
  /** Log weight and gradient histograms every N epochs (default 1; 0: never). */
  histogramEveryNEpochs?: number;
  /** Save the model file as an artifact at the end (default true). */
  saveModel?: boolean;
  /** Class names for the confusion matrix and the captions of sample images. */
  classNames?: readonly string[];
  /** How many sample images `logPredictions` logs (default 16; 0: none). */
  sampleImages?: number;
}

type Logs = Record<string, unknown> | undefined;

export class TrackingCallback {
  /** The run being logged to; set at construction or at onTrainBegin. */
  run: Run | undefined;
  model: TrackedModel | undefined;
  params: FitParams = {};
  private readonly ownsRun: boolean;
  private readonly options: TrackingCallbackOptions;
  private batchesSeen = 0;
  private epochStart = 0;
  private epochSamples = 0;
  private epochBatches = 0;

  constructor(options: TrackingCallbackOptions = {}) {
    this.options = options;
    this.run = options.run;
    this.ownsRun = options.run === undefined;
  }

  setModel(model: TrackedModel): void {
    this.model = model;
  }

  setParams(params: FitParams): void {
    this.params = params;
  }

  onTrainBegin(_logs?: Logs): void {
    const { experiment, runName, tags, home, store } = this.options;
    // each fit of a callback that starts its own runs gets a new run
    if (this.ownsRun && (!this.run || this.run.ended)) {
      this.run = startRun({ experiment, runName, tags, home, store });
      this.batchesSeen = 0;
    }
    const run = this.run!;
    run.logParams(this.hyperparameters());
    const model = this.model;
    if (!model) return;
    const summary = summaryOf(model);
    if (summary) run.logText('model/summary.txt', summary);
    const architecture = model.toJSON?.();
    if (architecture !== undefined) {
      run.logJson('model/architecture.json', typeof architecture === 'string' ? JSON.parse(architecture) : architecture);
    }
  }

  onEpochBegin(_epoch: number, _logs?: Logs): void {
    this.epochStart = performance.now();
    this.epochSamples = 0;
    this.epochBatches = 0;
  }

  onBatchEnd(_batch: number, logs?: Logs): void {
    this.batchesSeen++;
    this.epochBatches++;
    this.epochSamples += typeof logs?.size === 'number' ? logs.size : (this.params.batchSize ?? 0);
    const every = this.options.logEveryNBatches ?? 50;
    if (this.run && every > 0 && this.batchesSeen % every === 0) {
      const metrics = numbers(logs, ['batch', 'size']);
      const prefixed = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`batch/${k}`, v]));
      if (Object.keys(prefixed).length > 0) this.run.logMetrics(prefixed, this.batchesSeen);
    }
  }

  onEpochEnd(epoch: number, logs?: Logs): void {
    const run = this.run;
    if (!run) return;
    const seconds = (performance.now() - this.epochStart) / 1000;
    const samples = this.epochSamples || (this.params.samples ?? 0);
    const metrics: Record<string, number> = { ...numbers(logs, []), epoch_time: seconds };
    if (samples > 0 && seconds > 0) metrics.samples_per_second = samples / seconds;
    const lr = learningRate(this.model);
    if (lr !== undefined) metrics.lr = lr;
    run.logMetrics(metrics, epoch);
    const every = this.options.histogramEveryNEpochs ?? 1;
    if (this.model && every > 0 && (epoch + 1) % every === 0) this.logHistograms(run, this.model, epoch);
  }

  async onTrainEnd(_logs?: Logs): Promise<void> {
    const run = this.run;
    if (!run || run.ended) return;
    if ((this.options.saveModel ?? true) && typeof this.model?.save === 'function') {
      await run.logModel(this.model as { save(path: string): unknown });
    }
    if (this.ownsRun) run.end('FINISHED');
  }

  /**
   * Logs a classifier's final predictions: the confusion matrix (`confusion_matrix`, at
   * step = the last epoch) and, when the inputs are images, the first `sampleImages`
   * samples with their labels and predictions (`samples`). Other models log nothing.
   */
  logPredictions(sample: PredictionSample): void {
    const run = this.run;
    if (!run || run.ended) return;
    const classes = classPredictions(sample.targets, sample.outputs);
    if (!classes) return;
    const names = this.options.classNames;
    const nameOf = (c: number): string | number => names?.[c] ?? c;
    const labels = Array.from({ length: classes.numClasses }, (_, c) => nameOf(c));
    run.logConfusionMatrix(confusionMatrix(classes.labels, classes.predicted, classes.numClasses), labels, { step: sample.epoch });
    const count = Math.min(this.options.sampleImages ?? 16, classes.labels.length);
    const images = [];
    for (let i = 0; i < count; i++) {
      const image = sampleImage(sample.inputs, i);
      if (!image) break;
      images.push({ image, label: nameOf(classes.labels[i]), prediction: nameOf(classes.predicted[i]), caption: `${sample.source} sample ${i}` });
    }
    if (images.length > 0) run.logImages('samples', images, sample.epoch);
  }

  /** Called by the loop when training throws: the run ends FAILED (or KILLED on an interrupt). */
  onTrainError(error?: unknown): void {
    const interrupted = (error as { name?: string } | undefined)?.name === 'AbortError';
    if (this.run && this.ownsRun) this.run.end(interrupted ? 'KILLED' : 'FAILED');
  }

  /** Fit params, compile config and parameter count, flattened to `key.sub` params. */
  hyperparameters(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.params)) {
      if (key === 'verbose' || value === undefined || typeof value === 'function') continue;
      out[key] = value;
    }
    const compile = this.model?.getCompileConfig?.();
    if (compile && typeof compile === 'object') flatten(compile as Record<string, unknown>, '', out);
    const count = this.model?.countParams?.();
    if (typeof count === 'number') out['model.params'] = count;
    return out;
  }

  private logHistograms(run: Run, model: TrackedModel, epoch: number): void {
    const named = model.namedParameters?.() ?? Object.entries(model.stateDict?.() ?? {});
    for (const [name, tensor] of named) {
      run.logHistogram(`weights/${name}`, tensor.values as ArrayLike<number>, epoch);
      if (tensor.grad) run.logHistogram(`gradients/${name}`, tensor.grad.values as ArrayLike<number>, epoch);
    }
  }
}

function summaryOf(model: TrackedModel): string | undefined {
  if (model.summaryText) return model.summaryText();
  if (!model.summary) return undefined;
  const lines: string[] = [];
  const returned = model.summary(undefined, undefined, (line: string) => lines.push(line));
  if (typeof returned === 'string') return returned;
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function learningRate(model: TrackedModel | undefined): number | undefined {
  const optimizer = model?.optimizer;
  const lr = optimizer?.paramGroups?.[0]?.lr ?? optimizer?.lr;
  return typeof lr === 'number' ? lr : undefined;
}

/** The finite-or-not numbers of a logs object, without the keys in `skip`. */
function numbers(logs: Logs, skip: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(logs ?? {})) {
    if (skip.includes(key)) continue;
    if (typeof value === 'number') out[key] = value;
    else if (value && typeof value === 'object' && 'values' in value && (value as TensorView).values.length === 1) {
      out[key] = Number((value as TensorView).values[0]); // a scalar tensor
    }
  }
  return out;
}

/** Flattens nested objects into dotted keys, up to 4 levels; arrays and deeper objects stay JSON. */
function flatten(obj: Record<string, unknown>, prefix: string, out: Record<string, unknown>, depth = 0): void {
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4) flatten(value as Record<string, unknown>, name, out, depth + 1);
    else if (value !== undefined) out[name] = value;
  }
}

// fit({ track }) adds one of these to its callbacks
registerFitTracker((options) => new TrackingCallback(options));
