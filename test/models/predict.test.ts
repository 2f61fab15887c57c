import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { blobModel, blobs } from './toy.js';

describe('predict and evaluate', () => {
  it('predict returns one row per sample, the same for any batch size, without gradients', () => {
    sd.seed(0);
    const model = sd.sequential([
      sd.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }),
      sd.layers.batchNormalization(),
      sd.layers.dropout({ rate: 0.5 }),
      sd.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    const x = sd.randn([70, 4]);
    const all = model.predict(x) as sd.Tensor;
    assert.deepEqual([...all.shape], [70, 3]);
    assert.equal(all.requiresGrad, false);
    assert.equal(all.gradFn, null);
    for (const batchSize of [1, 7, 32, 100]) assertClose(model.predict(x, { batchSize }) as sd.Tensor, all, { atol: 1e-6 });
    // inference mode: dropout off, batch norm on its moving statistics (which predict does not move)
    const moving = model.getLayer(1).getWeights()[2].clone();
    assertClose(model.predict(x) as sd.Tensor, all);
    assertClose(model.getLayer(1).getWeights()[2], moving);
    assertClose(sd.sum(all, -1), sd.ones([70]), { atol: 1e-5 });
    // nested arrays and a single sample
    assert.deepEqual([...(model.predict([[1, 2, 3, 4]]) as sd.Tensor).shape], [1, 3]);
    assert.deepEqual([...(model.predict(sd.zeros([0, 4])) as sd.Tensor).shape], [0, 3]);
  });

  it('the seed step: argmax of predict on the first test image', () => {
    const model = blobModel();
    const { x } = blobs(5);
    const first = sd.index(x, [0, 1]);
    const cls = sd.argmax(model.predict(first) as sd.Tensor, -1);
    assert.deepEqual([...cls.shape], [1]);
    assert.ok(cls.values[0] === 0 || cls.values[0] === 1);
  });

  it('evaluate returns scalars as TensorFlow.js, or a record', async () => {
    sd.seed(0);
    const { x, y } = blobs(40);
    const model = blobModel();
    await model.fit(x, y, { epochs: 3, verbose: 0 });
    const result = model.evaluate(x, y) as sd.Tensor[];
    assert.equal(result.length, 2);
    assert.deepEqual([...result[0].shape], []);
    const dict = model.evaluate(x, y, { returnDict: true, batchSize: 7 }) as Record<string, number>;
    assert.ok(Math.abs(dict.loss - result[0].item()) < 1e-6, 'batch size does not change the mean loss');
    assert.equal(dict.accuracy, result[1].item());
    // the loss alone without metrics
    const plain = sd.sequential([sd.layers.dense({ units: 1, inputShape: [2] })]);
    plain.compile({ optimizer: 'sgd', loss: 'mse' });
    const loss = plain.evaluate(x, sd.zeros([40, 1]));
    assert.ok(loss instanceof sd.Tensor && loss.rank === 0);
    // from a DataLoader (synchronously) and from an async iterable (evaluateDataset)
    const loader = new sd.data.DataLoader(sd.data.tensorDataset(x, y), { batchSize: 16 });
    const fromLoader = model.evaluate(loader, { returnDict: true }) as Record<string, number>;
    assert.ok(Math.abs(fromLoader.loss - dict.loss) < 1e-6);
    async function* batches(): AsyncGenerator<[sd.Tensor, sd.Tensor]> {
      yield [x, y];
    }
    const fromAsync = (await model.evaluateDataset(batches(), { returnDict: true })) as Record<string, number>;
    assert.ok(Math.abs(fromAsync.loss - dict.loss) < 1e-6);
  });
});
