/** sd.loadModel of model URIs: models:/name@alias through the registry, unknown schemes named. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as sd from '../../src/index.js';
import { tempHome } from '../track/helpers.js';

it('loads models:/name@alias and models:/name/version through the registry', () => {
  const previous = process.env.SHENDU_HOME;
  process.env.SHENDU_HOME = tempHome();
  try {
    sd.seed(5);
    const model = sd.sequential([sd.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);
    const file = path.join(process.env.SHENDU_HOME, 'm.safetensors');
    model.save(file);
    const version = sd.registry.register(file, 'tiny');
    sd.registry.setAlias('tiny', 'champion', version.version);

    const x = sd.randn([2, 4]);
    const expected = model.predict(x) as sd.Tensor;
    for (const uri of ['models:/tiny@champion', `models:/tiny/${version.version}`]) {
      const loaded = sd.loadModel(uri);
      assert.deepEqual([...(loaded.predict(x) as sd.Tensor).values], [...expected.values], uri);
    }
    assert.throws(() => sd.loadModel('models:/tiny@canary'), /canary/);
  } finally {
    if (previous === undefined) delete process.env.SHENDU_HOME;
    else process.env.SHENDU_HOME = previous;
  }
});

it('names an unknown URI scheme and the known ones', () => {
  assert.throws(() => sd.loadModel('s3://bucket/model.safetensors'), /no resolver for 's3:\/' URIs .*known: models:\/, runs:\//);
});
