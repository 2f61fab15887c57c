/** Serving inside an application: `sd.serve.load(path)` and `predictor.predict(input)`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as sd from '../../src/index.js';
import { TrackingStore } from '../../src/track/store.js';
import { ModelRegistry } from '../../src/track/registry.js';
import { source, twoInputs } from './models.js';
import { saveSmallModel, tempDir } from './helpers.js';

const SAMPLE = [[[0.5, -1], [2, 0.25]], [[0, 1], [1, 0]]];

describe('serve: embedding with sd.serve.load', () => {
  const dir = tempDir();
  const file = path.join(dir, 'small.safetensors');
  const model = saveSmallModel(file);
  const expected = model.predict(sd.tensor(SAMPLE)) as sd.Tensor;

  it('loads a model file and predicts from a tensor or nested numbers, as model.predict', async () => {
    const predictor = await sd.serve.load(file);
    assert.deepEqual(predictor.signature.inputs.map((s) => s.shape), [[-1, 2, 2]]);
    const fromTensor = (await predictor.predict(sd.tensor(SAMPLE))) as sd.Tensor;
    assert.deepEqual(fromTensor.shape, [2, 3]);
    assert.deepEqual([...fromTensor.values], [...expected.values]);
    const fromArray = (await predictor.predict(SAMPLE)) as sd.Tensor;
    assert.deepEqual([...fromArray.values], [...expected.values]);
    await predictor.close();
  });

  it('runs in worker threads, with concurrent calls batched', async () => {
    const predictor = await sd.serve.load(file, { workers: 1, batching: { enabled: true, batchTimeoutMicros: 2000 } });
    try {
      const outs = (await Promise.all(SAMPLE.map((x) => predictor.predict([x])))) as sd.Tensor[];
      assert.deepEqual(outs.flatMap((t) => [...t.values]), [...expected.values]);
    } finally {
      await predictor.close();
    }
  });

  it('loads models:/name@alias from the registry', async () => {
    const home = tempDir('shendu-serve-registry-');
    const store = TrackingStore.open({ home });
    const registry = new ModelRegistry(store);
    registry.register(file, 'small');
    registry.setAlias('small', 'prod', 1);
    store.close();
    const previous = process.env.SHENDU_HOME;
    process.env.SHENDU_HOME = home;
    try {
      const predictor = await sd.serve.load('models:/small@prod');
      assert.deepEqual([...((await predictor.predict(SAMPLE)) as sd.Tensor).values], [...expected.values]);
    } finally {
      if (previous === undefined) delete process.env.SHENDU_HOME;
      else process.env.SHENDU_HOME = previous;
    }
  });

  it('takes several named inputs and returns several named outputs', async () => {
    const predictor = await sd.serve.load(twoInputs());
    const out = (await predictor.predict({ a: [[1, -2]], b: sd.tensor([[1, 2, 3]], undefined, 'int32') })) as Record<string, sd.Tensor>;
    assert.deepEqual([...out.total.values], [5]);
    assert.equal(out.flags.dtype, 'bool');
    assert.deepEqual([...out.flags.values], [1, 0]);
    const viaSource = await sd.serve.load(source('twoInputs'));
    assert.deepEqual(Object.keys((await viaSource.predict({ a: [[0, 0]], b: [[0, 0, 0]] })) as object), ['total', 'flags']);
  });

  it('checks inputs against the signature, saying the expected shape', async () => {
    const predictor = await sd.serve.load(file);
    await assert.rejects(predictor.predict(sd.zeros([1, 4])), /predict: input '.*' must have shape \[-1,2,2\], got \[1,4\]/);
    await assert.rejects(predictor.predict([[1, 2]]), /predict: input '.*': expected shape \[-1,2,2\], got \[1,2\]/);
    const two = await sd.serve.load(twoInputs());
    await assert.rejects(two.predict([[1, 2]]), /predict: the model has 2 inputs; give an object with 'a', 'b'/);
    await assert.rejects(two.predict({ a: [[1, 2]] }), /predict: missing input 'b'/);
  });

  it('refuses a corrupt model file at load time', async () => {
    const corrupt = path.join(dir, 'corrupt.safetensors');
    fs.writeFileSync(corrupt, fs.readFileSync(file).subarray(0, 100));
    await assert.rejects(sd.serve.load(corrupt), /corrupt\.safetensors/);
    await assert.rejects(sd.serve.load(path.join(dir, 'missing.safetensors')), /missing\.safetensors/);
  });
});
