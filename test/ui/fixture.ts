/**
 * A tracking store filled the way training fills it: a real short PyTorch-style training
 * run on MNIST digits (an MLP, Adam, cross-entropy), logging what the TrackingCallback logs
 * (params, epoch and batch metrics, weight and gradient histograms, the architecture and
 * summary, the model file) plus a confusion matrix and sample images; a second run with
 * another learning rate; one that diverged (NaN loss, FAILED); a functional CNN with two branches trained by the Keras-style
 * fit with the TrackingCallback; and a registered model.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as sd from '../../src/index.js';
import { summaryLines, type SummaryRow } from '../../src/models/summary.js';
import { ModelRegistry } from '../../src/track/registry.js';
import { TrackingCallback } from '../../src/track/callback.js';
import type { Run } from '../../src/track/run.js';
import type { TrackingStore } from '../../src/track/store.js';

export interface FilledStore {
  /** The MLP run with lr 0.003 (3 epochs). */
  mlp: string;
  /** The same MLP with lr 0.0005. */
  slow: string;
  /** A two-branch functional CNN trained with fit and the TrackingCallback. */
  functional: string;
  /** A run whose loss went to NaN, FAILED. */
  diverged: string;
  /** What the MLP run logged for its epoch metrics, in order. */
  logged: Record<string, { step: number; value: number }[]>;
  /** The MLP layers as the summary lists them. */
  layers: SummaryRow[];
}

const LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The MLP trained below, described as a Sequential model's JSON and summary. */
function mlpDescription(hidden: number): { architecture: unknown; summary: string; rows: SummaryRow[] } {
  const rows: SummaryRow[] = [
    { name: 'flatten', className: 'Flatten', outputShape: '(None, 784)', params: 0, connections: [] },
    { name: 'dense', className: 'Dense', outputShape: `(None, ${hidden})`, params: 784 * hidden + hidden, connections: [] },
    { name: 'dense_1', className: 'Dense', outputShape: '(None, 10)', params: hidden * 10 + 10, connections: [] },
  ];
  const total = rows.reduce((s, r) => s + r.params, 0);
  const summary = summaryLines({ name: 'mnist_mlp', rows, sequentialLike: true, trainableParams: total, nonTrainableParams: 0 }).join('\n');
  const architecture = {
    className: 'Sequential',
    config: {
      name: 'mnist_mlp',
      layers: [
        { className: 'Flatten', config: { name: 'flatten', batchInputShape: [null, 28, 28] } },
        { className: 'Dense', config: { name: 'dense', units: hidden, activation: 'relu' } },
        { className: 'Dense', config: { name: 'dense_1', units: 10, activation: 'linear' } },
      ],
    },
  };
  return { architecture, summary, rows };
}

/** Trains the MLP for `epochs` epochs, logging into a new run; returns the run id and the epoch metrics. */
async function trainMlp(store: TrackingStore, options: { lr: number; epochs: number; runName: string; hidden: number }) {
  sd.seed(7);
  const { train, test } = sd.datasets.mnist({ trainSize: 640 });
  const val = { x: sd.slice(test.x, [0, 0, 0], [200, 28, 28]), y: sd.slice(test.y, [0], [200]) };
  const model = new sd.nn.Sequential(new sd.nn.Flatten(), new sd.nn.Linear(784, options.hidden), new sd.nn.ReLU(), new sd.nn.Linear(options.hidden, 10));
  const lossFn = new sd.nn.CrossEntropyLoss();
  const optimizer = new sd.optim.Adam(model.parameters(), { lr: options.lr });
  const batchSize = 64;
  const run = sd.track.startRun({ store, experiment: 'mnist', runName: options.runName, tags: { model: 'mlp' } });
  const description = mlpDescription(options.hidden);
  run.logParams({ epochs: options.epochs, batchSize, samples: 640, 'optimizer.className': 'Adam', 'optimizer.config.lr': options.lr, loss: 'sparseCategoricalCrossentropy', hidden: options.hidden, 'model.params': description.rows.reduce((s, r) => s + r.params, 0) });
  run.logText('model/summary.txt', description.summary);
  run.logJson('model/architecture.json', description.architecture);
  const logged: Record<string, { step: number; value: number }[]> = {};
  const log = (metrics: Record<string, number>, step: number) => {
    run.logMetrics(metrics, step);
    for (const [key, value] of Object.entries(metrics)) (logged[key] ??= []).push({ step, value });
  };
  const n = train.x.shape[0];
  let batches = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const x = sd.slice(train.x, [start, 0, 0], [size, 28, 28]);
      const y = sd.slice(train.y, [start], [size]);
      optimizer.zeroGrad();
      const logits = model.forward(x);
      const loss = lossFn.forward(logits, y);
      loss.backward();
      optimizer.step();
      const value = Number(loss.values[0]);
      lossSum += value * size;
      correct += sd.metrics.accuracy(y, sd.argmax(logits, 1)) * size;
      batches++;
      if (batches % 3 === 0) run.logMetrics({ 'batch/loss': value }, batches);
    }
    const seconds = (performance.now() - started) / 1000;
    const valLogits = sd.noGrad(() => model.forward(val.x));
    const valLoss = Number(lossFn.forward(valLogits, val.y).values[0]);
    const valAcc = sd.metrics.accuracy(val.y, sd.argmax(valLogits, 1));
    log({ loss: lossSum / n, accuracy: correct / n, val_loss: valLoss, val_accuracy: valAcc, lr: options.lr, epoch_time: seconds, samples_per_second: n / seconds }, epoch);
    for (const [name, p] of model.namedParameters()) {
      run.logHistogram(`weights/${name}`, p.values as Float32Array, epoch);
      if (p.grad) run.logHistogram(`gradients/${name}`, p.grad.values as Float32Array, epoch);
    }
  }
  const valLogits = sd.noGrad(() => model.forward(val.x));
  const predicted = sd.argmax(valLogits, 1);
  const matrix = sd.metrics.confusionMatrix(val.y, predicted, 10);
  run.logConfusionMatrix(matrix, LABELS);
  const images = Array.from({ length: 12 }, (_, i) => ({
    image: { width: 28, height: 28, channels: 1 as const, data: Uint8Array.from(val.x.values.slice(i * 784, (i + 1) * 784) as Float32Array, (v) => Math.round(v * 255)) },
    label: Number(val.y.values[i]),
    prediction: Number(predicted.values[i]),
  }));
  run.logImages('val_samples', images, options.epochs - 1);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shendu-ui-model-')), 'model.safetensors');
  sd.io.saveStateDict(file, model);
  await run.logModel(file);
  run.end();
  return { id: run.id, logged, rows: description.rows };
}

/**
 * A two-tower functional CNN (two convolutions of the same image, concatenated), trained
 * with the Keras-style fit and the TrackingCallback: its architecture, summary, metrics,
 * histograms and model file are logged as `fit({ track })` logs them.
 */
async function fitFunctionalCnn(store: TrackingStore): Promise<string> {
  sd.seed(11);
  const { train } = sd.datasets.mnist({ trainSize: 384 });
  const x = sd.reshape(train.x, [384, 28, 28, 1]);
  const image = sd.input({ shape: [28, 28, 1], name: 'image' });
  const tower = (kernelSize: number, name: string) =>
    sd.layers.maxPooling2d({ poolSize: 2, name: `pool_${name}` }).apply(
      sd.layers.conv2d({ filters: 4, kernelSize, padding: 'same', activation: 'relu', name: `conv_${name}` }).apply(image) as sd.SymbolicTensor,
    ) as sd.SymbolicTensor;
  const merged = sd.layers.concatenate({ name: 'concat' }).apply([tower(3, 'a'), tower(5, 'b')]) as sd.SymbolicTensor;
  const flat = sd.layers.flatten({ name: 'flatten' }).apply(merged) as sd.SymbolicTensor;
  const logits = sd.layers.dense({ units: 10, activation: 'softmax', name: 'logits' }).apply(flat) as sd.SymbolicTensor;
  const model = sd.model({ inputs: image, outputs: logits, name: 'two_tower' });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const tracking = new TrackingCallback({ store, experiment: 'keras', runName: 'two-tower', tags: { model: 'functional' }, logEveryNBatches: 2 });
  await model.fit(x, train.y, { epochs: 2, batchSize: 64, validationSplit: 0.25, callbacks: [tracking], verbose: 0 });
  return (tracking.run as Run).id;
}

/** Fills the store at `store.home` (see the file's header). */
export async function fillStore(store: TrackingStore): Promise<FilledStore> {
  const mlp = await trainMlp(store, { lr: 0.003, epochs: 3, runName: 'mlp-adam', hidden: 64 });
  const slow = await trainMlp(store, { lr: 0.0005, epochs: 3, runName: 'mlp-adam-slow', hidden: 32 });
  const functional = await fitFunctionalCnn(store);
  // a learning rate too high: the loss blows up to NaN and the run fails
  const diverged = sd.track.startRun({ store, experiment: 'mnist', runName: 'mlp-adam-lr1', params: { hidden: 64, 'optimizer.config.lr': 1 } });
  diverged.logMetrics({ loss: 2.3 }, 0);
  diverged.logMetrics({ loss: 41.7 }, 1);
  diverged.logMetrics({ loss: NaN }, 2);
  diverged.end('FAILED');
  const registry = new ModelRegistry(store);
  registry.register(slow.id, 'mnist-mlp', { description: 'first try' });
  registry.register(mlp.id, 'mnist-mlp', { description: 'higher learning rate', tags: { dataset: 'mnist' } });
  registry.setAlias('mnist-mlp', 'champion', 2);
  registry.setAlias('mnist-mlp', 'canary', 1);
  return { mlp: mlp.id, slow: slow.id, functional, diverged: diverged.id, logged: mlp.logged, layers: mlp.rows };
}
