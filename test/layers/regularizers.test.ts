import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

describe('regularizers', () => {
  const w = sd.tensor([[1, -2], [0.5, 0]]);

  it('penalise l1·Σ|w| + l2·Σw², with Keras defaults of 0.01', () => {
    assertClose(sd.regularizers.l1().apply(w), 0.01 * 3.5, { atol: 1e-7 });
    assertClose(sd.regularizers.l2({ l2: 0.5 }).apply(w), 0.5 * 5.25);
    assertClose(sd.regularizers.l1l2({ l1: 1, l2: 2 }).apply(w), 3.5 + 10.5);
    assertClose(new sd.regularizers.L1L2().apply(w), 0);
    assertThrows(() => sd.regularizers.l2({ l2: -1 }), sd.ValueError, /l2 must be a number >= 0, got -1/);
  });

  it('reach the layer losses and the configs', () => {
    const dense = sd.layers.dense({ units: 2, kernelRegularizer: 'l1l2', biasRegularizer: sd.regularizers.l2({ l2: 3 }), biasInitializer: 'ones' });
    dense.apply(sd.zeros([1, 2]));
    const [kernelPenalty, biasPenalty] = dense.regularizationLosses();
    const k = dense.weights[0];
    assertClose(kernelPenalty, 0.01 * sd.sum(sd.abs(k)).item() + 0.01 * sd.sum(sd.square(k)).item(), { atol: 1e-7 });
    assertClose(biasPenalty, 3 * 2);
    assert.deepEqual(dense.getConfig().biasRegularizer, { className: 'L1L2', config: { l1: 0, l2: 3 } });
    const copy = sd.layers.layerFromConfig(dense.serialize()) as sd.layers.Dense;
    copy.apply(sd.zeros([1, 2]));
    assert.equal(copy.regularizationLosses().length, 2);
    assertThrows(() => sd.layers.dense({ units: 2, kernelRegularizer: 'l3' }), sd.ValueError, /Dense: unknown regularizer 'l3'; valid: l1, l2, l1l2/);
  });
});
