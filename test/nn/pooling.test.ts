import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, parameterCount } from './layer-helpers.js';

const { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d } = sd.nn;

const FIXTURES = [
  'max_pool2d',
  'max_pool2d_padded_ceil',
  'max_pool2d_dilated_unbatched',
  'avg_pool2d',
  'avg_pool2d_exclude_pad',
  'max_pool1d',
  'avg_pool1d',
  'adaptive_avg_pool2d',
  'adaptive_avg_pool2d_keep_width',
  'adaptive_avg_pool2d_global',
  'adaptive_max_pool2d',
  'adaptive_avg_pool1d',
];

describeEachBackend('pooling layers', () => {
  it('match torch.nn pooling layers: values, input gradients and printouts', () => {
    for (const name of FIXTURES) checkLayerFixture(name);
  });

  it('give the output shapes of PyTorch, batched and unbatched', () => {
    const x = sd.randn([8, 32, 28, 28]);
    assert.deepEqual(new MaxPool2d(2).call(x).shape, [8, 32, 14, 14]);
    assert.deepEqual(new MaxPool2d(3, 2, 1).call(x).shape, [8, 32, 14, 14]);
    assert.deepEqual(new AvgPool2d(2).call(sd.randn([32, 28, 28])).shape, [32, 14, 14]);
    assert.deepEqual(new MaxPool1d(2).call(sd.randn([2, 4, 10])).shape, [2, 4, 5]);
    assert.deepEqual(new AvgPool1d(3, 1, 1).call(sd.randn([4, 10])).shape, [4, 10]);
    assert.deepEqual(new AdaptiveAvgPool2d(1).call(sd.randn([2, 5, 7, 7])).shape, [2, 5, 1, 1]);
    assert.deepEqual(new AdaptiveAvgPool2d([5, null]).call(sd.randn([1, 3, 10, 9])).shape, [1, 3, 5, 9]);
    assert.deepEqual(new AdaptiveMaxPool2d([2, 3]).call(sd.randn([3, 8, 9])).shape, [3, 2, 3]);
    assert.deepEqual(new AdaptiveAvgPool1d(4).call(sd.randn([2, 3, 9])).shape, [2, 3, 4]);
    assert.deepEqual(new AdaptiveMaxPool1d(1).call(sd.randn([2, 3, 9])).shape, [2, 3, 1]);
  });

  it('take channels-last input (NHWC / NWC) and Keras padding', () => {
    const x = sd.randn([2, 3, 5, 4]);
    const last = new MaxPool2d(2, { dataFormat: 'NHWC' }).call(sd.transpose(x, [0, 2, 3, 1]));
    assertClose(last, sd.transpose(new MaxPool2d(2).call(x), [0, 2, 3, 1]));
    assert.deepEqual(new AvgPool2d(2, null, 'same').call(x).shape, [2, 3, 3, 2]);
    assert.deepEqual(new AdaptiveAvgPool1d(2, { dataFormat: 'NWC' }).call(sd.randn([2, 6, 3])).shape, [2, 2, 3]);
  });
});

describe('pooling layers', () => {
  it('have no parameters', () => {
    for (const layer of [new MaxPool2d(2), new AvgPool1d(2), new AdaptiveAvgPool2d(1)]) {
      assert.equal(parameterCount(layer), 0);
      assert.deepEqual(Object.keys(layer.stateDict()), []);
    }
  });

  it('print as PyTorch and rebuild from getConfig', () => {
    assert.equal(new MaxPool2d(2).toString(), 'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    assert.equal(new MaxPool2d([2, 3], 1, 1, { ceilMode: true }).toString(), 'MaxPool2d(kernel_size=(2, 3), stride=1, padding=1, dilation=1, ceil_mode=True)');
    assert.equal(new MaxPool1d(2).toString(), 'MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    assert.equal(new AvgPool1d(2).toString(), 'AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))');
    assert.equal(new AvgPool2d(3, 1, 1, { countIncludePad: false }).toString(), 'AvgPool2d(kernel_size=3, stride=1, padding=1)');
    assert.equal(new AdaptiveAvgPool2d([2, null]).toString(), 'AdaptiveAvgPool2d(output_size=(2, None))');
    assert.equal(new AdaptiveAvgPool2d(1).toString(), 'AdaptiveAvgPool2d(output_size=1)');
    for (const layer of [new MaxPool2d([2, 3], 1, 1, { ceilMode: true, dilation: 2 }), new AvgPool1d(3, 2, 1, { countIncludePad: false }), new AdaptiveMaxPool2d([3, null])]) {
      const config = layer.getConfig();
      const copy = new (layer.constructor as new (c: unknown) => typeof layer)(config);
      assert.equal(copy.toString(), layer.toString());
      assert.deepEqual(copy.getConfig(), config);
    }
    assert.deepEqual(new AvgPool2d(2).getConfig(), { kernelSize: 2, stride: 2, padding: 0, ceilMode: false, dataFormat: 'NCHW', countIncludePad: true });
  });

  it('pass gradient checks', () => {
    checkModuleGrad(new MaxPool2d(2, 1), [sd.randn([1, 2, 3, 3])]);
    checkModuleGrad(new AvgPool2d(3, 2, 1, { countIncludePad: false, ceilMode: true }), [sd.randn([1, 2, 4, 5])]);
    checkModuleGrad(new AvgPool1d(2), [sd.randn([2, 5])]);
    checkModuleGrad(new AdaptiveAvgPool2d([2, 3]), [sd.randn([1, 2, 5, 4])]);
    checkModuleGrad(new AdaptiveMaxPool1d(2), [sd.randn([1, 2, 5])]);
  });
});

describe('pooling errors', () => {
  it('reject bad constructor arguments, naming the layer and the value', () => {
    assertThrows(() => new MaxPool2d(0), sd.ValueError, /^MaxPool2d: kernelSize must be a positive integer or 2 of them, got 0$/);
    assertThrows(() => new MaxPool1d([2, 2] as never), sd.ValueError, /MaxPool1d: kernelSize must be a positive integer, got \[2, 2\]/);
    assertThrows(() => new AvgPool2d(2, -1), sd.ValueError, /AvgPool2d: stride must be a positive integer or 2 of them, got -1/);
    assertThrows(() => new AvgPool2d(2, 2, 1.5), sd.ValueError, /padding must be a non-negative integer or 2 of them, 'valid' or 'same', got 1.5/);
    assertThrows(() => new MaxPool2d(2, { ceilMode: 1 as never }), sd.ValueError, /ceilMode must be true or false, got 1/);
    assertThrows(() => new AvgPool2d(2, { dilation: 2 } as never), sd.ValueError, /AvgPool2d: unknown option 'dilation'/);
    assertThrows(() => new AdaptiveAvgPool2d(0), sd.ValueError, /AdaptiveAvgPool2d: outputSize must be a positive integer or a pair of them/);
    assertThrows(() => new AdaptiveAvgPool1d([2, 2] as never), sd.ValueError, /AdaptiveAvgPool1d: outputSize must be a positive integer, got \[2,2\]/);
    assertThrows(() => new MaxPool2d(2, { dataFormat: 'NWC' as never }), sd.ValueError, /dataFormat must be 'NCHW' or 'NHWC', got 'NWC'/);
  });

  it('reject bad inputs at forward, naming the layer', () => {
    assertThrows(() => new MaxPool2d(2).call(sd.randn([28, 28])), sd.ShapeError,
      /^MaxPool2d\(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False\): expected a 3-D \[C,H,W\] or 4-D \[N,C,H,W\] input, got shape \[28,28\]$/);
    assertThrows(() => new MaxPool1d(2).call(sd.randn([1, 2, 3, 4])), sd.ShapeError, /expected a 2-D \[C,L\] or 3-D \[N,C,L\] input/);
    assertThrows(() => new MaxPool2d(2, 2, 2).call(sd.randn([1, 1, 6, 6])), sd.ValueError, /^MaxPool2d\(kernel_size=2, .*\): maxPool2d: /);
    assertThrows(() => new AvgPool2d(5).call(sd.randn([1, 1, 3, 3])), sd.ShapeError, /^AvgPool2d\(kernel_size=5, stride=5, padding=0\): avgPool2d: kernel 5x5/);
    assertThrows(() => new AdaptiveAvgPool2d(2).call(sd.zeros([1, 1, 2, 2], 'int32')), sd.DTypeError, /^AdaptiveAvgPool2d\(output_size=2\): adaptiveAvgPool2d: x must be float32/);
  });
});
