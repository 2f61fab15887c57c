import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, moments, parameterCount } from './layer-helpers.js';

const { Linear } = sd.nn;

describeEachBackend('Linear', () => {
  it('matches torch.nn.Linear: output, input and parameter gradients, printout', () => {
    for (const name of ['linear', 'linear_no_bias', 'linear_3d', 'linear_1d']) checkLayerFixture(name);
  });

  it('maps [..., in] to [..., out]', () => {
    const fc = new Linear(784, 128);
    assert.deepEqual(fc.call(sd.randn([32, 784])).shape, [32, 128]);
    assert.deepEqual(fc.call(sd.randn([2, 3, 784])).shape, [2, 3, 128]);
    assert.deepEqual(fc.call(sd.randn([784])).shape, [128]);
    assert.deepEqual(fc.call(sd.zeros([0, 784])).shape, [0, 128]);
  });
});

describe('Linear parameters', () => {
  it('has weight [out, in] and bias [out], as PyTorch counts them', () => {
    const fc = new Linear(784, 128);
    assert.deepEqual(fc.weight.shape, [128, 784]);
    assert.deepEqual(fc.bias!.shape, [128]);
    assert.equal(parameterCount(fc), 100480);
    assert.equal(parameterCount(new Linear(784, 128, { bias: false })), 100352);
    assert.deepEqual(fc.namedParameters().map(([n]) => n), ['weight', 'bias']);
    assert.equal(new Linear(3, 2, { bias: false }).bias, null);
  });

  it('initialises as PyTorch: kaimingUniform(a=√5) weight and U(±1/√in) bias', () => {
    sd.seed(0);
    const fc = new Linear(400, 300);
    const bound = 1 / Math.sqrt(400);
    const w = moments(fc.weight);
    assert.ok(w.min >= -bound && w.max <= bound, 'weight within ±1/√in');
    assert.ok(Math.abs(w.mean) < 0.02 * bound);
    assert.ok(Math.abs(w.std - bound / Math.sqrt(3)) < 0.01 * bound, `weight std ${w.std}`);
    const b = moments(fc.bias!);
    assert.ok(b.min >= -bound && b.max <= bound && b.std > 0.4 * bound, 'bias uniform within ±1/√in');
  });

  it('is reproducible under sd.seed, and resetParameters draws again', () => {
    sd.seed(5);
    const a = new Linear(4, 3);
    sd.seed(5);
    const b = new Linear(4, 3);
    assert.deepEqual([...a.weight.values], [...b.weight.values]);
    assert.deepEqual([...a.bias!.values], [...b.bias!.values]);
    const before = [...a.weight.values];
    a.resetParameters();
    assert.notDeepEqual([...a.weight.values], before);
  });

  it('takes a config object and describes itself with getConfig', () => {
    const fc = new Linear(5, 2, { bias: false, dtype: 'float64' });
    const config = fc.getConfig();
    assert.deepEqual(config, { inFeatures: 5, outFeatures: 2, bias: false, dtype: 'float64' });
    const copy = new Linear(config);
    assert.equal(copy.toString(), fc.toString());
    assert.equal(copy.weight.dtype, 'float64');
    assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
    assert.equal(new Linear(3, 4).toString(), 'Linear(in_features=3, out_features=4, bias=True)');
  });

  it('passes a gradient check over input, weight and bias', () => {
    checkModuleGrad(new Linear(4, 3), [sd.randn([2, 4])]);
    checkModuleGrad(new Linear(3, 2, { bias: false }), [sd.randn([2, 2, 3])]);
  });
});

describe('Linear errors', () => {
  it('rejects bad constructor arguments, naming the layer and the value', () => {
    assertThrows(() => new Linear(0, 3), sd.ValueError, /^Linear: inFeatures must be a positive integer, got 0$/);
    assertThrows(() => new Linear(3, 2.5), sd.ValueError, /outFeatures must be a positive integer, got 2.5/);
    assertThrows(() => new Linear(3, 2, { bias: 'yes' as never }), sd.ValueError, /bias must be true or false, got 'yes'/);
    assertThrows(() => new Linear(3, 2, { dtype: 'int32' as never }), sd.DTypeError, /dtype must be 'float32' or 'float64', got 'int32'/);
    assertThrows(() => new Linear({ in_features: 3, out_features: 2 } as never), sd.ValueError, /unknown option 'in_features' \(expected inFeatures, outFeatures, bias, dtype\)/);
    assertThrows(() => new Linear(3, 2, { inFeatures: 3 } as never), sd.ValueError, /inFeatures is given twice/);
    assertThrows(() => new (Linear as any)(3, 2, true), sd.ValueError, /takes at most 2 positional arguments/);
    assertThrows(() => new (Linear as any)(), sd.ValueError, /inFeatures must be a positive integer, got undefined/);
  });

  it('rejects inputs of the wrong size, rank or dtype at forward, naming the layer', () => {
    const fc = new Linear(784, 10);
    assertThrows(() => fc.call(sd.randn([32, 100])), sd.ShapeError,
      /^Linear\(in_features=784\): input has 100 features in its last dimension, expected 784 \(input shape \[32,100\]\)$/);
    assertThrows(() => fc.call(sd.scalar(1)), sd.ShapeError, /Linear\(in_features=784\): input is a scalar/);
    assertThrows(() => fc.call(sd.zeros([2, 784], 'int32')), sd.DTypeError, /^Linear\(in_features=784, out_features=10, bias=True\): linear: x must be float32/);
    assertThrows(() => fc.call([[1, 2]] as never), sd.ValueError, /input must be a Tensor, got an array/);
  });
});
