import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as sd from '../../src/index.js';
import { tempDir } from './toy.js';

function seedModel(): sd.Sequential {
  return sd.sequential([
    sd.layers.flatten({ inputShape: [28, 28] }),
    sd.layers.dense({ units: 128, activation: 'relu' }),
    sd.layers.dropout({ rate: 0.2 }),
    sd.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

/** Every image layer in one graph. */
function imageModel(): sd.LayersModel {
  const x = sd.input({ shape: [8, 8, 3] });
  let h = sd.layers.gaussianNoise({ stddev: 0.1 }).apply(x);
  h = sd.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelRegularizer: sd.regularizers.l2({ l2: 1e-3 }) }).apply(h);
  h = sd.layers.batchNormalization({ momentum: 0.9 }).apply(h);
  const a = sd.layers.maxPooling2d().apply(h);
  const b = sd.layers.averagePooling2d({ poolSize: 2 }).apply(h);
  h = sd.layers.concatenate().apply([a, b]);
  const up = sd.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }).apply(h);
  const gmax = sd.layers.globalMaxPooling2d().apply(up);
  const gavg = sd.layers.globalAveragePooling2d().apply(h);
  const flat = sd.layers.flatten().apply(sd.layers.reshape({ targetShape: [-1, 8] }).apply(h));
  let z = sd.layers.concatenate().apply([gmax, gavg, flat]);
  z = sd.layers.layerNormalization().apply(z);
  z = sd.layers.dropout({ rate: 0.3 }).apply(z);
  z = sd.layers.dense({ units: 3, kernelInitializer: 'heNormal', biasRegularizer: 'l1' }).apply(z);
  return sd.model({ inputs: x, outputs: sd.layers.activation({ activation: 'softmax' }).apply(z) });
}

/** Every sequence and merge layer in one graph. */
function sequenceModel(): sd.LayersModel {
  const tokens = sd.input({ shape: [10], dtype: 'int32' });
  const e = sd.layers.embedding({ inputDim: 20, outputDim: 6 }).apply(tokens);
  const c = sd.layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'tanh' }).apply(e);
  const m = sd.layers.maxPooling1d({ poolSize: 2 }).apply(c);
  const p = sd.layers.averagePooling1d({ poolSize: 2 }).apply(e);
  const merged = [sd.layers.add, sd.layers.multiply, sd.layers.average, sd.layers.maximum, sd.layers.minimum, sd.layers.subtract].map((f) => f([m, p]));
  const gathered = sd.layers.concatenate().apply(merged);
  const g1 = sd.layers.globalAveragePooling1d().apply(gathered);
  const g2 = sd.layers.globalMaxPooling1d().apply(gathered);
  const out = sd.layers.dense({ units: 1, activation: 'sigmoid' }).apply(sd.layers.concatenate().apply([g1, g2]));
  return sd.model({ inputs: tokens, outputs: out });
}

describe('save and load', () => {
  beforeEach(() => sd.models.clearSession());

  it('the seed walkthrough: fit, save, loadModel, identical summary and predictions', async () => {
    sd.seed(0);
    const model = seedModel();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = sd.rand([64, 28, 28]);
    const y = sd.randint(0, 10, [64]);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    const path = join(await tempDir(), 'mnist.safetensors');
    model.save(path);
    const loaded = sd.loadModel(path); // typed as a LayersModel by default
    assert.ok(loaded instanceof sd.Sequential);
    assert.equal(loaded.summary({ printFn: () => {} }), model.summary({ printFn: () => {} }));
    assert.deepEqual([...(loaded.predict(x) as sd.Tensor).values], [...(model.predict(x) as sd.Tensor).values]);
    // compiled as saved: evaluate works at once, with Keras' Adam defaults
    const [lossA] = model.evaluate(x, y) as sd.Tensor[];
    const [lossB] = loaded.evaluate(x, y) as sd.Tensor[];
    assert.equal(lossA.item(), lossB.item());
    assert.ok(loaded.optimizer instanceof sd.optim.Adam);
    assert.deepEqual(loaded.getCompileConfig(), model.getCompileConfig());
    assert.deepEqual(model.getCompileConfig()?.loss, 'sparseCategoricalCrossentropy');
  });

  it('round-trips every layer type', async () => {
    sd.seed(1);
    const dir = await tempDir();
    for (const [make, x] of [[imageModel, sd.randn([4, 8, 8, 3])], [sequenceModel, sd.randint(0, 20, [4, 10])]] as const) {
      const model = make();
      model.compile({ optimizer: 'rmsprop', loss: 'mse' });
      const path = join(dir, `${model.name}.safetensors`);
      model.save(path);
      const loaded = sd.loadModel<sd.LayersModel>(path);
      assert.deepEqual(loaded.toJSON(), model.toJSON());
      assert.deepEqual(Object.keys(loaded.stateDict()), Object.keys(model.stateDict()));
      assert.deepEqual([...(loaded.predict(x) as sd.Tensor).values], [...(model.predict(x) as sd.Tensor).values], `${model.name} predictions`);
      assert.ok(loaded.optimizer instanceof sd.optim.RMSprop);
    }
  });

  it('saves a Sequential that was built from data, and one with an embedding first', async () => {
    const model = sd.sequential([sd.layers.dense({ units: 3 }), sd.layers.dense({ units: 1 })]);
    model.predict(sd.ones([2, 5]));
    const dir = await tempDir();
    model.save(join(dir, 'built.safetensors'));
    const loaded = sd.loadModel<sd.LayersModel>(join(dir, 'built.safetensors'));
    assert.equal(loaded.countParams(), 5 * 3 + 3 + 3 + 1);
    assert.equal(loaded.getCompileConfig(), null);

    const text = sd.sequential([sd.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 7 }), sd.layers.flatten(), sd.layers.dense({ units: 1 })]);
    assert.equal(text.inputs[0].dtype, 'int32');
    text.save(join(dir, 'text.safetensors'));
    const again = sd.loadModel<sd.LayersModel>(join(dir, 'text.safetensors'));
    const ids = sd.randint(0, 50, [3, 7]);
    assert.deepEqual([...(again.predict(ids) as sd.Tensor).values], [...(text.predict(ids) as sd.Tensor).values]);
  });

  it('resuming from a checkpoint reaches the same weights as an uninterrupted run', async () => {
    const dir = await tempDir();
    const x = sd.randn([32, 4], { generator: new sd.Generator(7) });
    const y = sd.randint(0, 3, [32], { generator: new sd.Generator(8) });
    const fresh = (): sd.Sequential => {
      sd.seed(11);
      const m = sd.sequential([sd.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), sd.layers.dense({ units: 3, activation: 'softmax' })]);
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    };
    const straight = fresh();
    await straight.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });

    const first = fresh();
    const ckpt = new sd.callbacks.ModelCheckpoint({ filepath: join(dir, 'ckpt-{epoch}.safetensors') });
    await first.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [ckpt] });
    const { model: resumed, trainingState } = sd.io.loadCheckpoint<sd.LayersModel>(join(dir, 'ckpt-2.safetensors'));
    assert.equal(trainingState.epoch, 2);
    const h = await resumed.fit(x, y, { epochs: 4, initialEpoch: trainingState.epoch as number, batchSize: 8, shuffle: false, verbose: 0 });
    assert.deepEqual(h.epoch, [2, 3]);
    resumed.getWeights().forEach((w, i) => assert.deepEqual([...w.values], [...straight.getWeights()[i].values], `weight ${i}`));
  });

  it('resuming with dropout and shuffling continues the random stream, to the same weights', async () => {
    const dir = await tempDir();
    const x = sd.randn([32, 4], { generator: new sd.Generator(7) });
    const y = sd.randint(0, 3, [32], { generator: new sd.Generator(8) });
    const fresh = (): sd.Sequential => {
      sd.seed(12);
      const m = sd.sequential([
        sd.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
        sd.layers.dropout({ rate: 0.5 }),
        sd.layers.dense({ units: 3, activation: 'softmax' }),
      ]);
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    const straight = fresh();
    await straight.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0 });
    const first = fresh();
    const ckpt = new sd.callbacks.ModelCheckpoint({ filepath: join(dir, 'ckpt-{epoch}.safetensors') });
    await first.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [ckpt] });

    const resume = async (restoreGenerator: boolean): Promise<sd.Tensor[]> => {
      sd.seed(999); // another process: the global generator is anywhere
      const { model, trainingState } = sd.io.loadCheckpoint(join(dir, 'ckpt-2.safetensors'), { restoreGenerator });
      await model.fit(x, y, { epochs: 4, initialEpoch: trainingState.epoch as number, batchSize: 8, verbose: 0 });
      return model.getWeights();
    };
    const same = (a: sd.Tensor[]): boolean => a.every((w, i) => w.values.every((v, j) => Object.is(v, straight.getWeights()[i].values[j])));
    assert.ok(same(await resume(true)), 'restored generator: the weights of the uninterrupted run');
    assert.ok(!same(await resume(false)), 'without the generator the masks and orders differ');
    // sd.loadModel (for inference) does not move the global generator to the checkpoint's state
    const draw = (load: () => unknown): number[] => {
      sd.seed(5);
      load();
      return [...sd.rand([3]).values];
    };
    const path = join(dir, 'ckpt-2.safetensors');
    assert.deepEqual(draw(() => sd.loadModel(path)), draw(() => sd.io.loadCheckpoint(path, { restoreGenerator: false })));
    assert.notDeepEqual(draw(() => sd.loadModel(path)), draw(() => sd.io.loadCheckpoint(path)));
  });
});
