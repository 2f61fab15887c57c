import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

describe('core layers', () => {
  it('dense: y = activation(x·Wᵀ + b) on the last axis, Keras parameter count', () => {
    const dense = sd.layers.dense({ units: 4, activation: 'relu', inputDim: 3 });
    assert.deepEqual(dense.batchInputShape, [null, 3]);
    const x = sd.randn([2, 5, 3]);
    const y = dense.apply(x);
    assert.deepEqual([...y.shape], [2, 5, 4]);
    const [w, b] = dense.weights;
    assertClose(y, sd.relu(sd.add(sd.matmul(x, sd.transpose(w)), b)), { atol: 1e-6 });
    assert.equal(dense.countParams(), 3 * 4 + 4);
    const noBias = sd.layers.dense({ units: 4, useBias: false });
    noBias.apply(x);
    assert.equal(noBias.countParams(), 12);
  });

  it("dense starts from Keras' initializers: glorot-uniform kernel, zero bias", () => {
    sd.seed(0);
    const dense = sd.layers.dense({ units: 300 });
    dense.apply(sd.ones([1, 200]));
    const [w, b] = dense.weights;
    const limit = Math.sqrt(6 / (200 + 300));
    const values = [...w.values];
    assert.ok(values.every((v) => Math.abs(v) <= limit));
    assert.ok(Math.max(...values) > 0.95 * limit, 'uses the whole range');
    assert.ok([...b.values].every((v) => v === 0));
  });

  it('flatten and reshape', () => {
    assert.deepEqual([...sd.layers.flatten().apply(sd.zeros([2, 3, 4])).shape], [2, 12]);
    const r = sd.layers.reshape({ targetShape: [2, -1] });
    assert.deepEqual([...r.apply(sd.input({ shape: [6] })).shape], [null, 2, 3]);
    assert.deepEqual([...r.apply(sd.reshape(sd.arange(12), [2, 6])).shape], [2, 2, 3]);
    assertThrows(() => sd.layers.reshape({ targetShape: [4] }).apply(sd.input({ shape: [6] })), sd.ValueError, /cannot reshape \(None, 6\) \(6 elements per sample\) to targetShape \(4,\)/);
    assertThrows(() => sd.layers.reshape({ targetShape: [-1, -1] }), sd.ValueError, /at most one -1/);
  });

  it('dropout drops only in training; gaussianNoise adds noise only in training', () => {
    sd.seed(1);
    const x = sd.ones([1000]);
    const drop = sd.layers.dropout({ rate: 0.2 });
    assert.equal(drop.apply(x), x);
    const dropped = drop.apply(x, { training: true });
    const zeros = [...dropped.values].filter((v) => v === 0).length;
    assert.ok(zeros > 150 && zeros < 250, `${zeros} zeros`);
    assert.ok([...dropped.values].every((v) => v === 0 || Math.abs(v - 1.25) < 1e-6));
    assertThrows(() => sd.layers.dropout({ rate: 1 }), sd.ValueError, /rate must be a number in \[0, 1\), got 1/);
    const noise = sd.layers.gaussianNoise({ stddev: 0.5 });
    assert.equal(noise.apply(x), x);
    const noisy = noise.apply(x, { training: true });
    const std = sd.std(noisy).item();
    assert.ok(Math.abs(std - 0.5) < 0.05, `std ${std}`);
  });

  it('activation layers apply the named function', () => {
    const x = sd.tensor([[-2, 0.5, 3]]);
    const expect: Record<string, number[]> = {
      relu: [0, 0.5, 3],
      relu6: [0, 0.5, 3],
      linear: [-2, 0.5, 3],
      hardSigmoid: [0.1, 0.6, 1],
      softsign: [-2 / 3, 0.5 / 1.5, 0.75],
      sigmoid: [-2, 0.5, 3].map((v) => 1 / (1 + Math.exp(-v))),
      tanh: [-2, 0.5, 3].map(Math.tanh),
      exponential: [-2, 0.5, 3].map(Math.exp),
    };
    for (const [name, values] of Object.entries(expect)) {
      assertClose(sd.layers.activation({ activation: name }).apply(x), [values], { atol: 1e-6 });
    }
    const sm = sd.layers.activation({ activation: 'softmax' }).apply(sd.randn([3, 5]));
    assertClose(sd.sum(sm, -1), [1, 1, 1], { atol: 1e-6 });
    for (const name of ['elu', 'selu', 'softplus', 'swish', 'gelu', 'mish', 'leaky_relu', 'logSoftmax', 'silu']) {
      assert.equal(sd.layers.activation({ activation: name }).apply(x).size, 3, name);
    }
    sd.layers.registerActivation('double', (t) => sd.mul(t, 2));
    assertClose(sd.layers.dense({ units: 1, activation: 'double', kernelInitializer: 'ones' }).apply(sd.ones([1, 2])), [[4]]);
  });

  it('embedding looks up rows, casting float indices, starting from U(-0.05, 0.05)', () => {
    sd.seed(2);
    const emb = sd.layers.embedding({ inputDim: 100, outputDim: 8 });
    const table = emb.weights[0];
    assert.deepEqual([...table.shape], [100, 8]);
    assert.ok([...table.values].every((v) => Math.abs(v) <= 0.05));
    const ids = sd.tensor([[3, 7], [0, 99]], undefined, 'int32');
    const out = emb.apply(ids);
    assert.deepEqual([...out.shape], [2, 2, 8]);
    assertClose(sd.index(out, 0, 1), sd.index(table, 7));
    assertClose(emb.apply(sd.tensor([[3, 7], [0, 99]])), out);
    assert.deepEqual(emb.batchInputShape, null);
    assert.deepEqual(sd.layers.embedding({ inputDim: 5, outputDim: 2, inputLength: 9 }).batchInputShape, [null, 9]);
    assert.equal(emb.countParams(), 800);
  });
});
