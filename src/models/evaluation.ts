/**
 * Inference over data: `evaluate` (loss and metrics, no gradients, inference mode),
 * the validation pass of fit, and `predict` (outputs in batches, concatenated).
 */
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { scalar } from '../tensor/create.js';
import { noGrad } from '../autograd/mode.js';
import { concat } from '../ops/concat.js';
import { add, mul } from '../ops/arithmetic.js';
import type { LayersModel } from './model.js';
import type { OutputTarget } from './compile.js';
import { LogTracker } from './tracker.js';
import type { Logs } from './callbacks/callback.js';
import { arraySource, checkSampleCounts, checkTargets, conformInputs, isBatchIterable, iterableSource, toTensors, type Batch, type BatchSource } from './data.js';
import { ProgressBar, linePrinter, stdoutPrinter } from './progress.js';
import { checkOptions } from './options.js';

export interface EvaluateArgs {
  /** Samples per batch. Default 32. */
  batchSize?: number;
  /** 0 (default): silent; 1: a progress bar; 2: one line. */
  verbose?: number;
  /** Return `{loss, accuracy, ...}` numbers instead of scalar tensors. */
  returnDict?: boolean;
  /** With an iterable of batches: at most this many batches. */
  steps?: number;
  /** Receives the progress lines instead of standard output. */
  printFn?: (line: string) => void;
}

export interface PredictArgs {
  /** Samples per batch. Default 32. */
  batchSize?: number;
}

/** Loss and metrics of one batch in inference mode, added to `tracker`. */
export function evalBatch(model: LayersModel, batch: Batch, targets: OutputTarget[], tracker: LogTracker): void {
  noGrad(() => {
    const outputs = model.forward(batch.xs, false);
    const losses = targets.map((t, i) => t.loss(batch.ys[i], outputs[i], batch.sampleWeight));
    let total = losses.map((l, i) => (targets[i].weight === 1 ? l : mul(l, targets[i].weight))).reduce((a, b) => add(a, b));
    for (const r of model.regularizationLosses()) total = add(total, r);
    tracker.add(batch.xs[0].shape[0], total.item(), losses.map((l) => l.item()), batch.ys, outputs);
  });
}

/** The validation pass of fit: the logs over every batch of `source`. */
export async function evaluateSource(model: LayersModel, source: BatchSource, targets: OutputTarget[]): Promise<Logs> {
  const tracker = new LogTracker(targets);
  for await (const batch of source.batches()) evalBatch(model, batch, targets, tracker);
  return tracker.logs();
}

/** Arrays (x, y) as batches for evaluation, checked against the model. */
export function arrayEvalSource(op: string, model: LayersModel, x: unknown, y: unknown, batchSize: number, sampleWeight?: Tensor): BatchSource {
  model.ensureBuiltFor(x);
  const inputs = model.inputPorts();
  const outputs = model.outputPorts();
  const xs = conformInputs(op, toTensors(op, 'x', x, inputs), inputs);
  const ys = toTensors(op, 'y', y, outputs);
  checkSampleCounts(op, xs, ys);
  const targets = model.compiledTargets(op);
  ys.forEach((t, i) => checkTargets(op, targets[i].lossId, t, outputs[i]));
  return arraySource(xs, ys, sampleWeight, batchSize, false);
}

/** `model.evaluate`: synchronous on arrays and on sync iterables such as a DataLoader. */
export function evaluateModel(model: LayersModel, x: unknown, y: unknown, args: EvaluateArgs = {}): Tensor | Tensor[] | Record<string, number> {
  const op = 'evaluate';
  let options = args;
  let source: BatchSource;
  if (isBatchIterable(x)) {
    options = (y ?? {}) as EvaluateArgs;
    checkEvaluateArgs(options);
    if (!(Symbol.iterator in x)) throw new ValueError(`evaluate: the data is an async iterable; use await model.evaluateDataset(data)`);
    source = iterableSource(op, x, portsOf(model), options.steps);
  } else {
    checkEvaluateArgs(options);
    source = arrayEvalSource(op, model, x, y, options.batchSize ?? 32);
  }
  const targets = model.compiledTargets(op);
  const tracker = new LogTracker(targets);
  const bar = progressFor(options, source.steps);
  let step = 0;
  for (const batch of source.batches() as Iterable<Batch>) {
    evalBatch(model, batch, targets, tracker);
    bar?.update(++step, tracker.logs());
  }
  const logs = tracker.logs();
  bar?.update(step, logs, true);
  return formatResult(logs, options.returnDict ?? false);
}

/** `model.evaluateDataset`: evaluate over an async iterable of batches. */
export async function evaluateDataset(model: LayersModel, data: Iterable<unknown> | AsyncIterable<unknown>, args: EvaluateArgs = {}): Promise<Tensor | Tensor[] | Record<string, number>> {
  checkEvaluateArgs(args);
  const source = iterableSource('evaluateDataset', data, portsOf(model), args.steps);
  const targets = model.compiledTargets('evaluateDataset');
  const tracker = new LogTracker(targets);
  const bar = progressFor(args, source.steps);
  let step = 0;
  for await (const batch of source.batches()) {
    evalBatch(model, batch, targets, tracker);
    bar?.update(++step, tracker.logs());
  }
  const logs = tracker.logs();
  bar?.update(step, logs, true);
  return formatResult(logs, args.returnDict ?? false);
}

function checkEvaluateArgs(args: EvaluateArgs): void {
  checkOptions('evaluate', args, ['batchSize', 'verbose', 'returnDict', 'steps', 'printFn']);
  const b = args.batchSize ?? 32;
  if (!Number.isInteger(b) || b < 1) throw new ValueError(`evaluate: batchSize must be a positive integer, got ${String(args.batchSize)}`);
}

function progressFor(args: EvaluateArgs, steps: number | null): ProgressBar | null {
  const verbose = args.verbose ?? 0;
  if (verbose === 0) return null;
  return new ProgressBar(steps, args.printFn ? linePrinter(args.printFn) : stdoutPrinter(), verbose);
}

/** What fit and evaluate need to read batches for a model. */
export function portsOf(model: LayersModel) {
  return { prepare: (x: unknown) => model.ensureBuiltFor(x), inputs: () => model.inputPorts(), outputs: () => model.outputPorts() };
}

/** TensorFlow.js' result: the loss scalar alone, or [loss, ...] scalars; or a record of numbers. */
function formatResult(logs: Logs, returnDict: boolean): Tensor | Tensor[] | Record<string, number> {
  if (returnDict) return logs;
  const values = Object.values(logs).map((v) => scalar(v));
  return values.length === 1 ? values[0] : values;
}

/** `model.predict`: the outputs for x, batch by batch, in inference mode without gradients. */
export function predictModel(model: LayersModel, x: unknown, args: PredictArgs = {}): Tensor | Tensor[] {
  checkOptions('predict', args, ['batchSize']);
  const batchSize = args.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`predict: batchSize must be a positive integer, got ${String(args.batchSize)}`);
  if (isBatchIterable(x)) throw new ValueError(`predict: give x as a Tensor (or a list of tensors, one per input), not an iterable of batches`);
  model.ensureBuiltFor(x);
  const inputs = model.inputPorts();
  const xs = conformInputs('predict', toTensors('predict', 'x', x, inputs), inputs);
  checkSampleCounts('predict', xs, []);
  const parts: Tensor[][] = model.outputs.map(() => []);
  noGrad(() => {
    for (const batch of arraySource(xs, [], undefined, batchSize, false).batches() as Iterable<Batch>) {
      model.forward(batch.xs, false).forEach((out, i) => parts[i].push(out));
    }
  });
  const outs = parts.map((list, i) => (list.length === 1 ? list[0] : list.length > 0 ? concat(list, 0) : emptyOutput(model, i)));
  return outs.length === 1 ? outs[0] : outs;
}

function emptyOutput(model: LayersModel, i: number): Tensor {
  const shape = model.outputs[i].shape.map((d, k) => (k === 0 ? 0 : (d ?? 0)));
  return noGrad(() => new Tensor(new Float32Array(0), shape, 'float32'));
}
