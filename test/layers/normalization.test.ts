import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

describe('normalization layers', () => {
  it('batchNormalization: batch statistics in training, moving ones (Keras momentum) in inference', () => {
    const bn = sd.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    const x = sd.tensor([[1, 10], [3, 30], [5, 50], [7, 70]]);
    const y = bn.apply(x, { training: true });
    const mean = [4, 40];
    const variance = [5, 500];
    const expected = [[1, 10], [3, 30], [5, 50], [7, 70]].map((row) => row.map((v, c) => (v - mean[c]) / Math.sqrt(variance[c] + 1e-3)));
    assertClose(y, expected, { atol: 1e-5 });
    const [gamma, beta, movingMean, movingVar] = bn.weights;
    assert.deepEqual([gamma, beta].map((w) => [...w.values]), [[1, 1], [0, 0]]);
    // moving = momentum·moving + (1 − momentum)·batch
    assertClose(movingMean, [0.1 * 4, 0.1 * 40], { atol: 1e-6 });
    assertClose(movingVar, [0.9 + 0.1 * (20 / 3), 0.9 + 0.1 * (2000 / 3)], { rtol: 1e-5 });
    const inference = bn.apply(x);
    assertClose(inference, sd.div(sd.sub(x, movingMean), sd.sqrt(sd.add(movingVar, 1e-3))), { atol: 1e-5 });
    assert.equal(bn.trainableWeights.length, 2);
    assert.equal(bn.nonTrainableWeights.length, 2);
    assert.equal(bn.countParams(), 8);
  });

  it('batchNormalization normalizes the channels of NHWC images (axis -1) or another axis', () => {
    sd.seed(0);
    const bn = sd.layers.batchNormalization();
    const x = sd.add(sd.mul(sd.randn([8, 4, 4, 3]), 3), 5);
    const y = bn.apply(x, { training: true });
    assertClose(sd.mean(y, [0, 1, 2]), [0, 0, 0], { atol: 1e-5 });
    assertClose(sd.variance(y, { axes: [0, 1, 2], correction: 0 }), [1, 1, 1], { atol: 1e-3 });
    const first = sd.layers.batchNormalization({ axis: 1 });
    assert.deepEqual([...first.apply(sd.input({ shape: [6, 2] })).shape], [null, 6, 2]);
    assert.equal(first.countParams(), 24);
    assertThrows(() => sd.layers.batchNormalization({ center: false }), sd.ValueError, /center and scale must both be true or both false/);
    assertThrows(() => bn.apply(sd.zeros([2, 5])), sd.ShapeError, /expected axis -1 of the input shape to be 3, got shape \(None, 5\)/);
  });

  it('layerNormalization normalizes each sample over the last axis', () => {
    const ln = sd.layers.layerNormalization({ epsilon: 1e-6 });
    const x = sd.tensor([[1, 2, 3, 4], [10, 0, 10, 0]]);
    const y = ln.apply(x);
    assertClose(y, [[-1.3416408, -0.4472136, 0.4472136, 1.3416408], [1, -1, 1, -1]], { atol: 1e-5 });
    assert.equal(ln.countParams(), 8);
    assert.equal(ln.apply(x, { training: true }).values[0], y.values[0], 'the same in training');
    assertThrows(() => sd.layers.layerNormalization({ axis: 1 }), sd.ValueError, /only axis -1/);
  });
});
