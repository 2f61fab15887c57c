import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

function stats(t: sd.Tensor): { mean: number; std: number; max: number } {
  const v = [...t.values];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, max: Math.max(...v.map(Math.abs)) };
}

describe('initializers', () => {
  it("follow Keras' variance scaling (fans of [out, in, ...kernel])", () => {
    sd.seed(0);
    const w = (): sd.Tensor => sd.zeros([200, 300]); // fanIn 300, fanOut 200
    const gu = stats(sd.initializers.glorotUniform().apply(w()));
    assert.ok(gu.max <= Math.sqrt(6 / 500) + 1e-6 && gu.max > 0.99 * Math.sqrt(6 / 500), `glorot max ${gu.max}`);
    const he = stats(sd.initializers.heNormal().apply(w()));
    assert.ok(Math.abs(he.std - Math.sqrt(2 / 300)) < 0.003, `he std ${he.std}`);
    assert.ok(he.max <= 2 * Math.sqrt(2 / 300) / 0.87962566103423978 + 1e-6, `truncated at two std: ${he.max}`);
    const lecun = stats(sd.initializers.lecunUniform().apply(w()));
    assert.ok(lecun.max <= Math.sqrt(3 / 300) + 1e-6, `lecun max ${lecun.max}`);
    const gn = stats(sd.initializers.glorotNormal().apply(w()));
    assert.ok(Math.abs(gn.std - Math.sqrt(2 / 500)) < 0.002, `glorot normal std ${gn.std}`);
    const conv = stats(sd.initializers.heUniform().apply(sd.zeros([16, 8, 3, 3])));
    assert.ok(conv.max <= Math.sqrt(6 / (8 * 9)) + 1e-6, `he uniform max ${conv.max}`);
    const rn = stats(sd.initializers.randomNormal({ mean: 1, stddev: 0.1 }).apply(w()));
    assert.ok(Math.abs(rn.mean - 1) < 0.01 && Math.abs(rn.std - 0.1) < 0.01, `random normal ${rn.mean} ${rn.std}`);
    assert.ok(stats(sd.initializers.randomUniform().apply(w())).max <= 0.05 + 1e-6);
    assert.ok(stats(sd.initializers.truncatedNormal({ stddev: 1 }).apply(w())).max <= 2 + 1e-6);
    assert.deepEqual([...sd.initializers.constant({ value: 3 }).apply(sd.zeros([2])).values], [3, 3]);
    assert.deepEqual([...sd.initializers.ones().apply(sd.zeros([2])).values], [1, 1]);
    const q = sd.initializers.orthogonal().apply(sd.zeros([4, 4]));
    const eye = sd.matmul(q, sd.transpose(q));
    assert.ok([...sd.sub(eye, sd.eye(4)).values].every((v) => Math.abs(v) < 1e-5));
  });

  it('are reproducible with a seed, and resolve names in either spelling', () => {
    const a = sd.initializers.heNormal({ seed: 5 }).apply(sd.zeros([10, 10]));
    const b = sd.initializers.heNormal({ seed: 5 }).apply(sd.zeros([10, 10]));
    assert.deepEqual([...a.values], [...b.values]);
    const dense = sd.layers.dense({ units: 3, kernelInitializer: 'he_normal', biasInitializer: 'ones' });
    dense.apply(sd.zeros([1, 2]));
    assert.deepEqual([...dense.weights[1].values], [1, 1, 1]);
    assert.deepEqual(dense.getConfig().kernelInitializer, { className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' } });
    assertThrows(() => sd.layers.dense({ units: 2, biasInitializer: { className: 'Nope' } as never }), sd.ValueError, /Dense: unknown biasInitializer/);
  });
});
