/** TrackingCallback: what fit logs through the Keras callback hooks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { TrackingCallback, type TrackedModel } from '../../src/track/callback.js';
import * as sd from '../../src/index.js';
import { tempHome } from './helpers.js';
import type { ConfusionMatrixData, ImagesData } from '../../src/track/types.js';

/** A stand-in for a compiled Keras-style model, with every member the callback uses. */
function fakeModel(): TrackedModel & { kernel: { values: Float64Array; grad: { values: Float32Array } | null } } {
  const kernel = { values: Float64Array.from([0.1, -0.2, 0.3, 0.4]), grad: { values: Float32Array.from([0.01, 0.02, -0.01, 0]) } };
  return {
    kernel,
    toJSON: () => ({ className: 'Sequential', config: { layers: [{ className: 'Dense', config: { units: 2 } }] } }),
    summary: (_lineLength?: number, _positions?: number[], printFn?: (line: string) => void) => {
      for (const line of ['Layer (type)   Output shape   Param #', 'dense (Dense)  [null,2]       6']) (printFn ?? console.log)(line);
    },
    countParams: () => 6,
    stateDict: () => ({ 'dense.kernel': kernel, 'dense.bias': { values: Float32Array.from([0, 0]), grad: null } }),
    getCompileConfig: () => ({ optimizer: { className: 'Adam', config: { lr: 0.001 } }, loss: 'categoricalCrossentropy', metrics: ['accuracy'] }),
    optimizer: { paramGroups: [{ lr: 0.001 }] },
    save: async (file: string) => fs.writeFileSync(file, 'model file'),
  };
}

/** Drives the hooks the way fit does: 2 epochs of 4 batches of 8 samples. */
async function fakeFit(callback: TrackingCallback, model: TrackedModel): Promise<void> {
  callback.setModel(model);
  callback.setParams({ epochs: 2, batchSize: 8, samples: 32, steps: 4, verbose: 1, validationSplit: 0.1 });
  callback.onTrainBegin({});
  for (let epoch = 0; epoch < 2; epoch++) {
    callback.onEpochBegin(epoch, {});
    for (let batch = 0; batch < 4; batch++) callback.onBatchEnd(batch, { batch, size: 8, loss: 1 - 0.1 * (epoch * 4 + batch), acc: sd.tensor(0.5) });
    callback.onEpochEnd(epoch, { loss: 0.9 - 0.4 * epoch, acc: 0.6 + 0.2 * epoch, val_loss: 1 - 0.3 * epoch });
  }
  await callback.onTrainEnd({});
}

describe('track: TrackingCallback', () => {
  it('logs hyperparameters, epoch and batch metrics, lr, speed, summary, architecture, histograms and the model', async () => {
    const home = tempHome();
    const store = TrackingStore.open({ home });
    const callback = new TrackingCallback({ store, experiment: 'fit', runName: 'dense', logEveryNBatches: 2 });
    await fakeFit(callback, fakeModel());
    const run = store.getRun(callback.run!.id);
    assert.equal(run.status, 'FINISHED');
    assert.equal(run.experiment, 'fit');
    assert.equal(run.name, 'dense');
    assert.deepEqual(run.params, {
      batchSize: '8',
      epochs: '2',
      loss: 'categoricalCrossentropy',
      metrics: '["accuracy"]',
      'model.params': '6',
      'optimizer.className': 'Adam',
      'optimizer.config.lr': '0.001',
      samples: '32',
      steps: '4',
      validationSplit: '0.1',
    });
    assert.deepEqual(store.getMetricHistory(run.id, 'loss').map((p) => [p.step, p.value]), [[0, 0.9], [1, 0.5]]);
    assert.deepEqual(store.getMetricHistory(run.id, 'val_loss').map((p) => p.step), [0, 1]);
    assert.deepEqual(store.getMetricHistory(run.id, 'lr').map((p) => p.value), [0.001, 0.001]);
    // every 2nd batch, at the count of batches seen; scalar tensors in the logs are read too
    assert.deepEqual(store.getMetricHistory(run.id, 'batch/loss').map((p) => p.step), [2, 4, 6, 8]);
    assert.ok(Math.abs(store.getMetricHistory(run.id, 'batch/loss')[1].value - 0.7) < 1e-12);
    assert.deepEqual(store.getMetricHistory(run.id, 'batch/acc').map((p) => p.value), [0.5, 0.5, 0.5, 0.5]);
    assert.equal(run.metrics.epoch_time.count, 2);
    assert.ok(run.metrics.samples_per_second.value > 0);
    assert.deepEqual(
      store.listArtifacts(run.id).map((a) => [a.path, a.kind]),
      [['model/architecture.json', 'json'], ['model/model.safetensors', 'model'], ['model/summary.txt', 'text']],
    );
    assert.match(store.readArtifact(run.id, 'model/summary.txt').toString(), /dense \(Dense\)/);
    assert.equal(JSON.parse(store.readArtifact(run.id, 'model/architecture.json').toString()).className, 'Sequential');
    assert.equal(store.readArtifact(run.id, 'model/model.safetensors').toString(), 'model file');
    assert.deepEqual(store.histogramKeys(run.id), ['gradients/dense.kernel', 'weights/dense.bias', 'weights/dense.kernel']);
    assert.deepEqual(store.getHistograms(run.id, 'weights/dense.kernel').map((h) => [h.step, h.count, h.min, h.max]), [[0, 4, -0.2, 0.4], [1, 4, -0.2, 0.4]]);
    // a second fit with the same callback logs into a new run
    await fakeFit(callback, fakeModel());
    assert.notEqual(callback.run!.id, run.id);
    assert.deepEqual(store.getMetricHistory(callback.run!.id, 'batch/loss').map((p) => p.step), [2, 4, 6, 8]);
    store.close();
  });

  it('logs into a given run without ending it; onTrainError marks a run it started FAILED', async () => {
    const home = tempHome();
    const store = TrackingStore.open({ home });
    const run = startRun({ store });
    const given = new TrackingCallback({ run, saveModel: false, histogramEveryNEpochs: 0, logEveryNBatches: 0 });
    await fakeFit(given, fakeModel());
    assert.equal(store.getRun(run.id).status, 'RUNNING');
    assert.equal(store.getHistograms(run.id).length, 0);
    assert.equal(store.getMetricHistory(run.id, 'batch/loss').length, 0);
    assert.ok(!store.listArtifacts(run.id).some((a) => a.kind === 'model'));
    run.end();

    const failing = new TrackingCallback({ store });
    failing.setModel(fakeModel());
    failing.onTrainBegin();
    failing.onEpochBegin(0);
    failing.onTrainError(new Error('NaN loss'));
    assert.equal(store.getRun(failing.run!.id).status, 'FAILED');
    store.close();
  });

  it("fit({ track }) logs the run, then the confusion matrix and sample images of an image classifier", async () => {
    const home = tempHome();
    sd.seed(0);
    const x = sd.rand([24, 8, 8, 1]);
    const y = sd.randint(0, 3, [24]);
    const model = sd.sequential([sd.layers.flatten({ inputShape: [8, 8, 1] }), sd.layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const classNames = ['cat', 'dog', 'eel'];
    await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0, track: { home, experiment: 'images', runName: 'tiny', classNames, sampleImages: 4 } });

    const store = TrackingStore.open({ home, readonly: true });
    const [run] = store.searchRuns({ experiment: 'images' });
    assert.equal(run.name, 'tiny');
    assert.equal(run.status, 'FINISHED');
    assert.equal(run.params.epochs, '2');
    assert.equal(run.params['optimizer.className'], 'Adam');
    assert.deepEqual(store.getMetricHistory(run.id, 'val_accuracy').map((p) => p.step), [0, 1]);
    assert.ok(store.histogramKeys(run.id).includes('gradients/dense.weight'));
    assert.ok(store.listArtifacts(run.id).some((a) => a.path === 'model/model.safetensors'));
    // the 6 validation samples (the last quarter), predicted after the last epoch
    const predicted = sd.argmax(model.predict(sd.slice(x, [18], [6])) as sd.Tensor, -1).values;
    const truth = y.values.subarray(18);
    const [matrix] = store.getRecords<ConfusionMatrixData>(run.id, 'confusion_matrix');
    assert.equal(matrix.step, 1);
    assert.deepEqual(matrix.data.labels, classNames);
    assert.deepEqual(matrix.data.matrix, sd.metrics.confusionMatrix(truth, predicted, 3).array());
    const [images] = store.getRecords<ImagesData>(run.id, 'images');
    assert.equal(images.key, 'samples');
    assert.deepEqual(
      images.data.images.map((im) => [im.width, im.height, im.label, im.prediction]),
      [0, 1, 2, 3].map((i) => [8, 8, classNames[truth[i]], classNames[predicted[i]]]),
    );
    store.close();
  });

  it('fit: a TrackingCallback given in callbacks; a failing fit ends its run FAILED; track needs a classifier for predictions', async () => {
    const home = tempHome();
    const store = TrackingStore.open({ home });
    const model = sd.sequential([sd.layers.dense({ units: 1, inputShape: [4] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const callback = new TrackingCallback({ store, experiment: 'regression' });
    await model.fit(sd.randn([8, 4]), sd.randn([8, 1]), { epochs: 2, verbose: 0, callbacks: [callback] });
    const run = store.getRun(callback.run!.id);
    assert.equal(run.status, 'FINISHED');
    assert.deepEqual(store.getMetricHistory(run.id, 'loss').map((p) => p.step), [0, 1]);
    assert.equal(store.getRecords(run.id, 'confusion_matrix').length, 0); // not a classifier

    const failing = new TrackingCallback({ store, experiment: 'regression' });
    const boom = { onEpochEnd: () => { throw new Error('boom'); } };
    await assert.rejects(model.fit(sd.randn([8, 4]), sd.randn([8, 1]), { verbose: 0, callbacks: [failing, boom] }), /boom/);
    assert.equal(store.getRun(failing.run!.id).status, 'FAILED');
    await assert.rejects(model.fit(sd.randn([8, 4]), sd.randn([8, 1]), { verbose: 0, track: 'yes' as never }), /fit: track must be true, false or \{ experiment, runName, ... \}, got "yes"/);
    store.close();
  });

  it('works with a PyTorch-style module: weights and gradients of namedParameters', async () => {
    const home = tempHome();
    const store = TrackingStore.open({ home });
    sd.seed(0);
    const model = new sd.nn.Linear(3, 2);
    sd.sum(model.forward(sd.randn([4, 3]))).backward();
    const callback = new TrackingCallback({ store });
    await fakeFit(callback, model as unknown as TrackedModel);
    const id = callback.run!.id;
    assert.deepEqual(store.histogramKeys(id), ['gradients/bias', 'gradients/weight', 'weights/bias', 'weights/weight']);
    assert.equal(store.getHistograms(id, 'weights/weight')[0].count, 6);
    assert.equal(store.getRun(id).status, 'FINISHED');
    store.close();
  });
});
