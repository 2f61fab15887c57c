/**
 * The fit loop, as Keras runs it: per epoch, batches in a new order (arrays) or from an
 * iterable; per batch, forward in training mode, the compiled losses (weighted by
 * `classWeight` / sample weights) plus the regularization penalties, backward, and one
 * optimizer step; then the validation pass; callbacks around each step.
 */
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';
import { recycleStep } from '../tensor/recycle.js';
import { releaseFreeMemory } from '../backend/backend.js';
import { add, mul } from '../ops/arithmetic.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { LayersModel } from './model.js';
import type { OutputTarget } from './compile.js';
import { LogTracker } from './tracker.js';
import { History } from './history.js';
import { CallbackList, checkCallbacks, type CallbackLike, type Logs, type TrainParams } from './callbacks/callback.js';
import { ProgbarLogger, linePrinter, stdoutPrinter, type Printer } from './progress.js';
import {
  arraySource, checkSampleCounts, checkTargets, classSampleWeights, conformInputs, isBatchIterable, iterableSource, splitAt, toTensors,
  type Batch, type BatchSource,
} from './data.js';
import { arrayEvalSource, evaluateSource, portsOf } from './evaluation.js';
import { checkOptions } from './options.js';
import { fitTracker, predictionSample, type TrackOption } from './fit-tracking.js';

export interface FitArgs {
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Samples per step (arrays only). Default 32. */
  batchSize?: number;
  /** 0: silent; 1 (default): a progress bar per epoch; 2: one line per epoch. */
  verbose?: number;
  /** Callbacks, run in order after the progress display and before the History. */
  callbacks?: CallbackLike[] | CallbackLike;
  /** Fraction of the samples kept for validation: the last ones, before shuffling (as Keras). */
  validationSplit?: number;
  /** Validation data: [x, y], [x, y, sampleWeight], or an iterable of batches. */
  validationData?: unknown;
  /** Shuffle the training samples before each epoch (arrays only). Default true. */
  shuffle?: boolean;
  /** Weight of each class in the loss: `{0: 1, 1: 5}`; classes not listed weigh 1. */
  classWeight?: Record<number, number>;
  /** A weight per training sample [N] (arrays only). */
  sampleWeight?: Tensor;
  /** The epoch to start from (for resuming): epochs run from initialEpoch to epochs − 1. */
  initialEpoch?: number;
  /** With an iterable: at most this many batches per epoch (tfjs' batchesPerEpoch). */
  stepsPerEpoch?: number;
  batchesPerEpoch?: number;
  /** With an iterable validationData: at most this many batches. */
  validationSteps?: number;
  /** Samples per validation batch (arrays). Default batchSize. */
  validationBatchSize?: number;
  /** Receives the progress lines instead of standard output. */
  printFn?: (line: string) => void;
  /**
   * Log the run to the tracking store (`sd.track`): params, metrics per epoch, histograms,
   * the model file and, for image classifiers, sample images with their predictions and
   * the confusion matrix. `true`, or `{ experiment, runName, classNames, ... }`.
   */
  track?: TrackOption;
}

const FIT_KEYS = [
  'epochs', 'batchSize', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle', 'classWeight', 'sampleWeight',
  'initialEpoch', 'stepsPerEpoch', 'batchesPerEpoch', 'validationSteps', 'validationBatchSize', 'printFn', 'track',
];

/** Samples whose predictions a tracked fit logs (sample images and the confusion matrix). */
const TRACKED_PREDICTIONS = 10_000;

function intArg(name: string, value: unknown, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`fit: ${name} must be an integer >= ${min}, got ${String(value)}`);
  return v;
}

/** `model.fit(x, y, args)` or `model.fit(data, args)`. */
export async function fitModel(model: LayersModel, x: unknown, y: unknown, fitArgs: FitArgs | undefined): Promise<History> {
  const fromIterable = isBatchIterable(x);
  const args = ((fromIterable ? y : fitArgs) ?? {}) as FitArgs;
  checkOptions('fit', args, FIT_KEYS);
  const epochs = intArg('epochs', args.epochs, 1, 1);
  const initialEpoch = intArg('initialEpoch', args.initialEpoch, 0, 0);
  const batchSize = intArg('batchSize', args.batchSize, 32, 1);
  const verbose = intArg('verbose', args.verbose, 1, 0);
  const maxSteps = args.stepsPerEpoch ?? args.batchesPerEpoch;
  if (maxSteps !== undefined) intArg('stepsPerEpoch', maxSteps, 1, 1);
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be a number in [0, 1), got ${String(args.validationSplit)}`);
  const callbacks = checkCallbacks(args.callbacks);
  const tracking = fitTracker(args.track);

  let train: BatchSource;
  let validation: BatchSource | null = null;
  /** The training data in order, for the tracked predictions when there is no validation data. */
  let trainInOrder: BatchSource;
  if (fromIterable) {
    if (split > 0) throw new ValueError(`fit: validationSplit needs arrays; with batches from an iterable, pass validationData`);
    if (args.sampleWeight) throw new ValueError(`fit: sampleWeight needs arrays; with an iterable, yield [x, y, sampleWeight] batches`);
    train = iterableSource('fit', x, portsOf(model), maxSteps);
    trainInOrder = train;
  } else {
    model.ensureBuiltFor(x);
    const inputs = model.inputPorts();
    const outputs = model.outputPorts();
    const xs = conformInputs('fit', toTensors('fit', 'x', x, inputs), inputs);
    const ys = toTensors('fit', 'y', y, outputs);
    const n = checkSampleCounts('fit', xs, ys);
    const targets = model.compiledTargets('fit');
    ys.forEach((t, i) => checkTargets('fit', targets[i].lossId, t, outputs[i]));
    let weights = args.sampleWeight ? [args.sampleWeight] : [];
    if (args.sampleWeight) checkSampleCounts('fit', [args.sampleWeight], ys);
    let trainXs = xs;
    let trainYs = ys;
    if (split > 0 && args.validationData === undefined) {
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) throw new ValueError(`fit: validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
      let valXs: Tensor[];
      let valYs: Tensor[];
      [trainXs, valXs] = splitAt(xs, at);
      [trainYs, valYs] = splitAt(ys, at);
      weights = splitAt(weights, at)[0];
      validation = arraySource(valXs, valYs, undefined, args.validationBatchSize ?? batchSize, false);
    }
    train = arraySource(trainXs, trainYs, weights[0], batchSize, args.shuffle ?? true);
    trainInOrder = arraySource(trainXs, trainYs, undefined, batchSize, false);
  }
  if (args.validationData !== undefined) validation = validationSource(model, args.validationData, args.validationBatchSize ?? batchSize, args.validationSteps);

  const targets = model.compiledTargets('fit');
  const history = new History();
  const printer = args.printFn ? linePrinter(args.printFn) : stdoutPrinter();
  const list = new CallbackList([...(verbose > 0 ? [new ProgbarLogger(printer, verbose)] : []), ...callbacks, ...(tracking ? [tracking] : []), history]);
  const names = new LogTracker(targets).names();
  const params: TrainParams = {
    epochs,
    steps: train.steps,
    samples: train.samples,
    batchSize: fromIterable ? undefined : batchSize,
    initialEpoch,
    verbose,
    doValidation: validation !== null,
    metrics: [...names, ...(validation ? names.map((k) => `val_${k}`) : [])],
  };
  model.history = history;
  model.stopTraining = false;
  list.setModel(model);
  list.setParams(params);
  try {
    // one turn of the event loop first: memory the collector has already found free (the
    // buffers of loading the data) is handed back in tasks that a long synchronous run of
    // steps would otherwise hold off
    await new Promise((resolve) => setImmediate(resolve));
    await list.trainBegin();
    const lastEpoch = await runEpochs(model, list, train, validation, targets, args.classWeight, initialEpoch, epochs, printer);
    if (tracking?.logPredictions && lastEpoch >= initialEpoch) {
      const sample = await predictionSample(model, validation ?? trainInOrder, TRACKED_PREDICTIONS);
      if (sample) await tracking.logPredictions({ ...sample, source: validation ? 'validation' : 'training', epoch: lastEpoch });
    }
  } catch (err) {
    await list.trainError(err);
    throw err;
  }
  await list.trainEnd();
  return history;
}

/** The epochs from `initialEpoch`; returns the last one run (initialEpoch − 1 if none). */
async function runEpochs(
  model: LayersModel, list: CallbackList, train: BatchSource, validation: BatchSource | null, targets: OutputTarget[],
  classWeight: Record<number, number> | undefined, initialEpoch: number, epochs: number, printer: Printer,
): Promise<number> {
  let optimizer: Optimizer | null = null;
  const tracker = new LogTracker(targets);
  let lastYield = performance.now();
  let last = initialEpoch - 1;
  for (let epoch = initialEpoch; epoch < epochs; epoch++) {
    tracker.reset();
    releaseFreeMemory();
    await list.epochBegin(epoch);
    let step = 0;
    for await (const batch of train.batches()) {
      optimizer ??= model.compiledOptimizer('fit');
      await list.batchBegin(step);
      trainStep(model, batch, targets, optimizer, tracker, classWeight);
      await list.batchEnd(step, tracker.logs());
      step++;
      if (model.stopTraining) break;
      if (performance.now() - lastYield > 100) {
        // let timers and I/O run (signals, dashboards) during long epochs
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    if (step === 0) {
      printer.write(`fit: the data gave no batches in epoch ${epoch + 1}; stopping (an iterator that runs out cannot be read again: pass a DataLoader or an iterable)\n`);
      break;
    }
    const logs: Logs = tracker.logs();
    if (validation) {
      for (const [k, v] of Object.entries(await evaluateSource(model, validation, targets))) logs[`val_${k}`] = v;
    }
    await list.epochEnd(epoch, logs);
    last = epoch;
    if (model.stopTraining) break;
  }
  return last;
}

function validationSource(model: LayersModel, data: unknown, batchSize: number, steps?: number): BatchSource {
  if (isBatchIterable(data)) return iterableSource('fit (validationData)', data, portsOf(model), steps);
  if (!Array.isArray(data) || data.length < 2 || data.length > 3) {
    throw new ValueError(`fit: validationData must be [x, y], [x, y, sampleWeight] or an iterable of batches`);
  }
  const [vx, vy, vw] = data as [unknown, unknown, Tensor | undefined];
  return arrayEvalSource('fit (validationData)', model, vx, vy, batchSize, vw);
}

/** Sample weights of a batch: given weights times class weights, or undefined. */
function batchWeights(op: string, batch: Batch, classWeight: Record<number, number> | undefined, i: number): Tensor | undefined {
  const fromClasses = classWeight ? classSampleWeights(op, classWeight, batch.ys[i]) : undefined;
  if (fromClasses && batch.sampleWeight) return mul(fromClasses, batch.sampleWeight);
  return fromClasses ?? batch.sampleWeight;
}

/**
 * One optimizer step on a batch; adds its loss and metrics to `tracker`. The step's
 * buffers are reused by the next one (tensor/recycle.ts); what outlives it is the model's
 * weights, their gradients and the optimizer's state.
 */
export function trainStep(model: LayersModel, batch: Batch, targets: OutputTarget[], optimizer: Optimizer, tracker: LogTracker, classWeight?: Record<number, number>): void {
  recycleStep(optimizer, () => stepOnBatch(model, batch, targets, optimizer, tracker, classWeight), () => survivorsOf(model, optimizer));
}

/**
 * A model's weights, looked up once: `model.weights` walks every layer and module, which
 * cost more per step than the step's smaller ops. A layer built later adds weights that
 * were never a step's buffers, so a list from before it loses nothing.
 */
const weightLists = new WeakMap<LayersModel, Tensor[]>();

/** The arrays that outlive a training step, gathered into one reused list (no garbage). */
const survivorList: (TypedArray | undefined)[] = [];

function survivorsOf(model: LayersModel, optimizer: Optimizer): (TypedArray | undefined)[] {
  let weights = weightLists.get(model);
  if (!weights || weights.length === 0) {
    weights = model.weights;
    weightLists.set(model, weights);
  }
  const out = survivorList;
  out.length = 0;
  for (const w of weights) out.push(w.values, w.grad?.values);
  for (const group of optimizer.paramGroups) {
    for (const p of group.params) out.push(p.values, p.grad?.values);
  }
  for (const state of optimizer.state.values()) {
    for (const key in state) {
      const v = state[key];
      if (v instanceof Tensor) out.push(v.values);
    }
  }
  return out;
}

function stepOnBatch(model: LayersModel, batch: Batch, targets: OutputTarget[], optimizer: Optimizer, tracker: LogTracker, classWeight?: Record<number, number>): void {
  optimizer.zeroGrad();
  const outputs = model.forward(batch.xs, true);
  const losses = targets.map((t, i) => t.loss(batch.ys[i], outputs[i], batchWeights('fit', batch, classWeight, i)));
  let total = losses.map((l, i) => (targets[i].weight === 1 ? l : mul(l, targets[i].weight))).reduce((a, b) => add(a, b));
  for (const r of model.regularizationLosses()) total = add(total, r);
  total.backward();
  optimizer.step();
  tracker.add(batch.xs[0].shape[0], total.item(), losses.map((l) => l.item()), batch.ys, outputs);
}

/** `model.trainOnBatch(x, y)`: one step; the batch's [loss, ...metrics], or the loss alone. */
export function trainOnBatch(model: LayersModel, x: unknown, y: unknown): number | number[] {
  const source = arrayEvalSource('trainOnBatch', model, x, y, Number.MAX_SAFE_INTEGER);
  const targets = model.compiledTargets('trainOnBatch');
  const optimizer = model.compiledOptimizer('trainOnBatch');
  const tracker = new LogTracker(targets);
  for (const batch of source.batches() as Iterable<Batch>) trainStep(model, batch, targets, optimizer, tracker);
  const values = Object.values(tracker.logs());
  return values.length === 1 ? values[0] : values;
}
