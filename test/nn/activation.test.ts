import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, layerFixtures, parameterCount } from './layer-helpers.js';

const nn = sd.nn;

const ACTIVATIONS = ['ReLU', 'LeakyReLU', 'ELU', 'SELU', 'GELU', 'Sigmoid', 'Tanh', 'SiLU', 'Softplus', 'Softmax', 'LogSoftmax'];

describeEachBackend('activation layers', () => {
  it('match their torch.nn modules: values, gradients and printouts', () => {
    const names = [...layerFixtures().values()].filter((c) => c.layers.length === 1 && ACTIVATIONS.includes(c.layers[0][0])).map((c) => c.name);
    assert.equal(names.length, 15);
    for (const name of names) checkLayerFixture(name);
  });
});

describe('activation layers', () => {
  it('are their functional ops, with PyTorch defaults', () => {
    const x = sd.tensor([[-2, -0.5, 0, 1.5]]);
    assertClose(new nn.ReLU().call(x), sd.relu(x));
    assertClose(new nn.LeakyReLU().call(x), [[-0.02, -0.005, 0, 1.5]]);
    assertClose(new nn.LeakyReLU(0.2).call(x), sd.leakyRelu(x, 0.2));
    assertClose(new nn.ELU(0.5).call(x), sd.elu(x, 0.5));
    assertClose(new nn.SELU().call(x), sd.selu(x));
    assertClose(new nn.GELU('tanh').call(x), sd.gelu(x, 'tanh'));
    assertClose(new nn.Sigmoid().call(x), sd.sigmoid(x));
    assertClose(new nn.Tanh().call(x), sd.tanh(x));
    assertClose(new nn.SiLU().call(x), sd.silu(x));
    assertClose(new nn.Softplus(2, 1).call(x), sd.softplus(x, 2, 1));
    assertClose(new nn.Softmax(1).call(x), sd.softmax(x, 1));
    assertClose(new nn.LogSoftmax(-1).call(x), sd.logSoftmax(x, -1));
  });

  it('Softmax without dim takes PyTorch legacy axis: 0 for 1-D and 3-D input, 1 otherwise', () => {
    const softmax = new nn.Softmax();
    assertClose(softmax.call(sd.tensor([1, 2])), sd.softmax(sd.tensor([1, 2]), 0));
    const x2 = sd.randn([2, 3]);
    assertClose(softmax.call(x2), sd.softmax(x2, 1));
    const x3 = sd.randn([2, 3, 4]);
    assertClose(new nn.LogSoftmax().call(x3), sd.logSoftmax(x3, 0));
    const x4 = sd.randn([2, 3, 1, 2]);
    assertClose(softmax.call(x4), sd.softmax(x4, 1));
  });

  it('print as PyTorch, have no parameters, and rebuild from getConfig', () => {
    const printed: [sd.nn.Module, string][] = [
      [new nn.ReLU(), 'ReLU()'],
      [new nn.LeakyReLU(), 'LeakyReLU(negative_slope=0.01)'],
      [new nn.LeakyReLU(0.2), 'LeakyReLU(negative_slope=0.2)'],
      [new nn.ELU(), 'ELU(alpha=1.0)'],
      [new nn.SELU(), 'SELU()'],
      [new nn.GELU(), "GELU(approximate='none')"],
      [new nn.GELU({ approximate: 'tanh' }), "GELU(approximate='tanh')"],
      [new nn.Sigmoid(), 'Sigmoid()'],
      [new nn.Tanh(), 'Tanh()'],
      [new nn.SiLU(), 'SiLU()'],
      [new nn.Softplus(), 'Softplus(beta=1, threshold=20)'],
      [new nn.Softmax(), 'Softmax(dim=None)'],
      [new nn.Softmax(1), 'Softmax(dim=1)'],
      [new nn.LogSoftmax({ dim: -1 }), 'LogSoftmax(dim=-1)'],
    ];
    for (const [layer, text] of printed) {
      assert.equal(layer.toString(), text);
      assert.equal(parameterCount(layer), 0);
      const config = (layer as unknown as { getConfig(): object }).getConfig();
      const copy = new (layer.constructor as new (c: object) => sd.nn.Module)(config);
      assert.equal(copy.toString(), text);
    }
    assert.deepEqual(new nn.ELU(0.5).getConfig(), { alpha: 0.5 });
    assert.deepEqual(new nn.Softmax(1).getConfig(), { dim: 1 });
  });

  it('pass gradient checks', () => {
    const x = sd.tensor([[-1.3, -0.2, 0.4, 2.1], [0.7, -0.9, 1.1, -2.2]]);
    for (const layer of [new nn.LeakyReLU(0.1), new nn.ELU(), new nn.SELU(), new nn.GELU(), new nn.SiLU(), new nn.Softplus(), new nn.Softmax(0), new nn.LogSoftmax(1)]) {
      checkModuleGrad(layer, [x]);
    }
  });

  it('reject bad arguments and inputs, naming the layer', () => {
    assertThrows(() => new nn.GELU('fast' as never), sd.ValueError, /^GELU: approximate must be 'none' or 'tanh', got 'fast'$/);
    assertThrows(() => new nn.LeakyReLU(NaN), sd.ValueError, /^LeakyReLU: negativeSlope must be a finite number, got NaN$/);
    assertThrows(() => new nn.ELU({ alpha: Infinity }), sd.ValueError, /ELU: alpha must be a finite number, got Infinity/);
    assertThrows(() => new nn.Softplus(0), sd.ValueError, /Softplus: beta must be a number > 0, got 0/);
    assertThrows(() => new nn.Softmax(1.5), sd.ValueError, /^Softmax: dim must be an integer or null, got 1.5$/);
    assertThrows(() => new nn.LogSoftmax({ axis: 1 } as never), sd.ValueError, /LogSoftmax: unknown option 'axis' \(expected dim\)/);
    assertThrows(() => new nn.ReLU().call(sd.zeros([2], 'int32')), sd.DTypeError, /^ReLU\(\): relu: x must be float32 or float64, got int32/);
    assertThrows(() => new nn.Softmax(2).call(sd.randn([2, 2])), sd.ValueError, /^Softmax\(dim=2\): softmax: axis 2 is out of range/);
    assertThrows(() => new nn.Tanh().call(3 as never), sd.ValueError, /^Tanh\(\): input must be a Tensor, got 3$/);
  });
});
