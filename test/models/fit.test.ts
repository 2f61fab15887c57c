import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { blobModel, blobs } from './toy.js';

describe('fit', () => {
  it('converges on a separable problem: the loss falls and accuracy passes 0.9', async () => {
    sd.seed(0);
    const { x, y } = blobs(200);
    const model = blobModel();
    const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
    const loss = history.history.loss;
    assert.deepEqual(history.epoch, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(loss.length, 10);
    assert.ok(loss[9] < loss[0] / 3, `loss ${loss[0]} → ${loss[9]}`);
    assert.ok(history.history.accuracy[9] > 0.9, `accuracy ${history.history.accuracy[9]}`);
    const [evalLoss, evalAcc] = model.evaluate(x, y) as sd.Tensor[];
    assert.ok(evalAcc.item() > 0.9);
    assert.ok(evalLoss.item() < loss[0]);
    assert.equal(model.history, history);
  });

  it('is reproducible with sd.seed', async () => {
    const run = async (): Promise<number[]> => {
      sd.seed(3);
      const { x, y } = blobs(64);
      const model = blobModel();
      return (await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 })).history.loss;
    };
    assert.deepEqual(await run(), await run());
  });

  it('takes the last fraction of the samples for validationSplit, before shuffling', async () => {
    sd.seed(0);
    const { x, y } = blobs(100);
    const model = blobModel();
    const seen: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 1,
      batchSize: 10,
      validationSplit: 0.2,
      verbose: 0,
      callbacks: [{ onBatchEnd: () => void seen.push(1) }],
    });
    assert.equal(seen.length, 8, '80 training samples in batches of 10');
    // the validation logs equal evaluate on the last 20 samples
    const tail = model.evaluate(sd.index(x, [80, 100]), sd.index(y, [80, 100]), { returnDict: true }) as Record<string, number>;
    assertClose(sd.tensor([history.history.val_loss[0], history.history.val_accuracy[0]]), [tail.loss, tail.accuracy], { rtol: 1e-5 });
  });

  it('validates on validationData given as [x, y] and as a DataLoader', async () => {
    sd.seed(0);
    const { x, y } = blobs(64);
    const val = blobs(32, 9);
    const model = blobModel();
    const a = await model.fit(x, y, { epochs: 1, validationData: [val.x, val.y], verbose: 0 });
    const expected = model.evaluate(val.x, val.y, { returnDict: true }) as Record<string, number>;
    assert.ok(Math.abs(a.history.val_loss[0] - expected.loss) < 1e-6);
    const loader = new sd.data.DataLoader(sd.data.tensorDataset(val.x, val.y), { batchSize: 8 });
    const b = await model.fit(x, y, { epochs: 1, validationData: loader, verbose: 0 });
    assert.equal(b.history.val_loss.length, 1);
    assert.deepEqual(Object.keys(b.history), ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  });

  it('weights the loss by classWeight', async () => {
    const { x, y } = blobs(40);
    const lossWith = async (classWeight?: Record<number, number>): Promise<number> => {
      sd.seed(5);
      const model = blobModel(0);
      return (await model.fit(x, y, { epochs: 1, batchSize: 40, shuffle: false, classWeight, verbose: 0 })).history.loss[0];
    };
    const plain = await lossWith();
    assert.ok(Math.abs((await lossWith({ 0: 1, 1: 1 })) - plain) < 1e-7, 'unit weights change nothing');
    const doubled = await lossWith({ 0: 2, 1: 2 });
    assert.ok(Math.abs(doubled - 2 * plain) < 1e-5, `${doubled} vs 2·${plain}`);
    // weighting only class 1 by 3: (Σ₀ l + 3Σ₁ l)/N, between the plain and the tripled loss
    const skewed = await lossWith({ 1: 3 });
    assert.ok(skewed > plain && skewed < 3 * plain);
  });

  it('trains from a DataLoader and from an async iterable of [x, y] batches', async () => {
    sd.seed(0);
    const { x, y } = blobs(128);
    const loader = new sd.data.DataLoader(sd.data.tensorDataset(x, y), { batchSize: 16, shuffle: true });
    const model = blobModel();
    const steps: number[] = [];
    const h = await model.fit(loader, { epochs: 5, verbose: 0, callbacks: [{ onBatchEnd: (b) => void steps.push(b) }] });
    assert.equal(steps.length, 5 * 8);
    assert.ok(h.history.accuracy[4] > 0.9);

    async function* batches(): AsyncGenerator<[sd.Tensor, sd.Tensor]> {
      for (let i = 0; i < 128; i += 32) yield [sd.index(x, [i, i + 32]), sd.index(y, [i, i + 32])];
    }
    const again = { [Symbol.asyncIterator]: batches };
    const h2 = await model.fit(again, { epochs: 2, verbose: 0 });
    assert.equal(h2.history.loss.length, 2);
    // stepsPerEpoch caps an epoch
    const counted: number[] = [];
    await model.fit(loader, { epochs: 1, stepsPerEpoch: 3, verbose: 0, callbacks: [{ onBatchEnd: (b) => void counted.push(b) }] });
    assert.deepEqual(counted, [0, 1, 2]);
  });

  it('stops with a message when a one-shot iterator runs out', async () => {
    const { x, y } = blobs(32);
    function* once(): Generator<[sd.Tensor, sd.Tensor]> {
      yield [x, y];
    }
    const lines: string[] = [];
    const h = await blobModel().fit(once(), { epochs: 3, verbose: 2, printFn: (l) => lines.push(l) });
    assert.equal(h.epoch.length, 1);
    assert.ok(lines.some((l) => /gave no batches in epoch 2/.test(l)), lines.join('\n'));
  });

  it('starts at initialEpoch and reports the epochs run', async () => {
    const { x, y } = blobs(16);
    const h = await blobModel().fit(x, y, { epochs: 4, initialEpoch: 2, verbose: 0 });
    assert.deepEqual(h.epoch, [2, 3]);
  });

  it('builds a Sequential without inputShape from the first data', async () => {
    sd.seed(0);
    const { x, y } = blobs(32);
    const model = sd.sequential([sd.layers.dense({ units: 4, activation: 'relu' }), sd.layers.dense({ units: 2, activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    assert.equal(model.built, false);
    assert.equal(model.optimizer as unknown, null);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    assert.equal(model.built, true);
    assert.equal(model.countParams(), 2 * 4 + 4 + 4 * 2 + 2);
    assert.ok((model.optimizer as unknown) instanceof sd.optim.SGD);
    assert.equal((model.optimizer!.paramGroups[0] as { lr: number }).lr, 0.01, "Keras' SGD default");
  });

  it('adds the regularization penalties to the loss', async () => {
    const { x, y } = blobs(20);
    const lossOf = async (reg?: sd.regularizers.Regularizer): Promise<[number, number]> => {
      sd.seed(2);
      const model = sd.sequential([sd.layers.dense({ units: 2, activation: 'softmax', inputShape: [2], kernelRegularizer: reg })]);
      model.compile({ optimizer: { className: 'sgd', config: { lr: 0 } }, loss: 'sparseCategoricalCrossentropy' });
      const loss = (await model.fit(x, y, { epochs: 1, batchSize: 20, verbose: 0 })).history.loss[0];
      return [loss, sd.sum(sd.square(model.getLayer(0).getWeights()[0])).item()];
    };
    const [plain] = await lossOf();
    const [penalised, sumSq] = await lossOf(sd.regularizers.l2({ l2: 0.5 }));
    assert.ok(Math.abs(penalised - plain - 0.5 * sumSq) < 1e-5, `${penalised} = ${plain} + 0.5·${sumSq}`);
  });

  it('trainOnBatch takes one step and returns the batch loss and metrics', () => {
    sd.seed(0);
    const { x, y } = blobs(32);
    const model = blobModel();
    const before = model.getWeights()[0].clone();
    const [loss, acc] = model.trainOnBatch(x, y) as number[];
    assert.ok(loss > 0 && acc >= 0 && acc <= 1);
    assert.notDeepEqual([...model.getWeights()[0].values], [...before.values]);
  });

  it('sets model.stopTraining = true to end after the current batch', async () => {
    const { x, y } = blobs(64);
    const model = blobModel();
    let batches = 0;
    const h = await model.fit(x, y, {
      epochs: 5,
      batchSize: 8,
      verbose: 0,
      callbacks: [{ onBatchEnd: (b) => { batches++; if (b === 2) model.stopTraining = true; } }],
    });
    assert.equal(batches, 3);
    assert.equal(h.epoch.length, 1);
  });
});
