import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, moments, parameterCount } from './layer-helpers.js';

const { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } = sd.nn;

const FIXTURES = [
  'conv2d',
  'conv2d_strided_dilated_grouped',
  'conv2d_same',
  'conv2d_reflect',
  'conv2d_unbatched',
  'conv1d',
  'conv1d_same_grouped',
  'conv1d_reflect',
  'conv_transpose2d',
  'conv_transpose2d_output_padding_grouped',
  'conv_transpose1d',
];

describeEachBackend('convolution layers', () => {
  it('match torch.nn Conv1d/Conv2d/ConvTranspose1d/ConvTranspose2d: stride, padding (numbers, same, reflect), dilation, groups, unbatched', () => {
    for (const name of FIXTURES) checkLayerFixture(name, { atol: 1e-4 });
  });

  it('give the output shapes of PyTorch', () => {
    assert.deepEqual(new Conv2d(1, 32, 5).call(sd.randn([8, 1, 28, 28])).shape, [8, 32, 24, 24]);
    assert.deepEqual(new Conv2d(1, 32, 5, 1, 2).call(sd.randn([8, 1, 28, 28])).shape, [8, 32, 28, 28]);
    assert.deepEqual(new Conv2d(3, 8, 3, { stride: 2, padding: 'same' }).call(sd.randn([2, 3, 9, 9])).shape, [2, 8, 5, 5]);
    assert.deepEqual(new Conv2d(3, 8, 3).call(sd.randn([3, 10, 12])).shape, [8, 8, 10]);
    assert.deepEqual(new Conv1d(16, 33, 3, 2).call(sd.randn([20, 16, 50])).shape, [20, 33, 24]);
    assert.deepEqual(new ConvTranspose2d(16, 8, 4, 2, 1).call(sd.randn([1, 16, 7, 7])).shape, [1, 8, 14, 14]);
    assert.deepEqual(new ConvTranspose1d(4, 3, 3, 2).call(sd.randn([2, 4, 10])).shape, [2, 3, 21]);
  });

  it('take channels-last input with dataFormat NHWC / NWC, same result as channels-first', () => {
    sd.seed(3);
    const first = new Conv2d(2, 3, 3, { padding: 1 });
    const last = new Conv2d(2, 3, 3, { padding: 1, dataFormat: 'NHWC' });
    last.loadStateDict(first.stateDict());
    const x = sd.randn([2, 2, 5, 4]);
    const expected = sd.transpose(first.call(x), [0, 2, 3, 1]);
    assertClose(last.call(sd.transpose(x, [0, 2, 3, 1])), expected, { atol: 1e-5 });
    const seq = new Conv1d(2, 3, 3, { dataFormat: 'NWC' });
    assert.deepEqual(seq.call(sd.randn([4, 10, 2])).shape, [4, 8, 3]);
    assert.ok(last.toString().endsWith(', padding=(1, 1), data_format=NHWC)'));
  });
});

describe('convolution parameters', () => {
  it('have PyTorch weight layouts and parameter counts', () => {
    const conv = new Conv2d(1, 32, 5);
    assert.deepEqual(conv.weight.shape, [32, 1, 5, 5]);
    assert.equal(parameterCount(conv), 832);
    assert.deepEqual(new Conv2d(4, 6, [3, 2], { groups: 2 }).weight.shape, [6, 2, 3, 2]);
    assert.deepEqual(new Conv1d(4, 6, 3).weight.shape, [6, 4, 3]);
    const up = new ConvTranspose2d(4, 6, 3, { groups: 2 });
    assert.deepEqual(up.weight.shape, [4, 3, 3, 3]);
    assert.deepEqual(up.bias!.shape, [6]);
    assert.equal(parameterCount(new Conv2d(32, 64, 5)), 51264);
    assert.equal(new Conv2d(3, 3, 3, { bias: false }).bias, null);
  });

  it('initialise as PyTorch: bound 1/√fanIn, fanIn = in/groups·kH·kW (out/groups·k for transposed)', () => {
    sd.seed(0);
    for (const [layer, fanIn] of [
      [new Conv2d(8, 16, 3, { groups: 2 }), 4 * 9],
      [new Conv1d(6, 10, 5), 30],
      [new ConvTranspose2d(8, 12, 3), 12 * 9],
    ] as const) {
      const bound = 1 / Math.sqrt(fanIn);
      const w = moments(layer.weight);
      assert.ok(w.min >= -bound && w.max <= bound, `${layer}: weight within ±${bound}`);
      assert.ok(Math.abs(w.std - bound / Math.sqrt(3)) < 0.1 * bound, `${layer}: weight std ${w.std}`);
      const b = moments(layer.bias!);
      assert.ok(b.min >= -bound && b.max <= bound, `${layer}: bias within ±${bound}`);
    }
  });

  it('print as PyTorch and rebuild from getConfig', () => {
    assert.equal(new Conv2d(2, 4, 3, 2, 1).toString(), 'Conv2d(2, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))');
    assert.equal(new Conv1d(2, 3, 3, { padding: 'valid' }).toString(), 'Conv1d(2, 3, kernel_size=(3,), stride=(1,), padding=valid)');
    assert.equal(
      new ConvTranspose2d(2, 4, 3, { stride: 2, outputPadding: 1, groups: 2, bias: false, dilation: 2 }).toString(),
      'ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), dilation=(2, 2), output_padding=(1, 1), groups=2, bias=False)',
    );
    for (const layer of [
      new Conv2d(2, 4, [3, 5], { padding: 'same', dilation: 2, groups: 2, paddingMode: 'reflect' }),
      new Conv1d(3, 6, 4, 2, 1, { bias: false }),
      new ConvTranspose2d(2, 3, 4, { stride: 2, padding: 1, outputPadding: 1 }),
      new ConvTranspose1d(2, 3, 3, { dtype: 'float64' }),
    ]) {
      const config = layer.getConfig();
      const copy = new (layer.constructor as new (c: unknown) => typeof layer)(config);
      assert.equal(copy.toString(), layer.toString());
      assert.deepEqual(copy.getConfig(), config);
      assert.deepEqual(copy.weight.shape, layer.weight.shape);
      assert.equal(copy.weight.dtype, layer.weight.dtype);
    }
    assert.deepEqual(new Conv1d(3, 6, 4, 2, 1).getConfig(), {
      inChannels: 3, outChannels: 6, kernelSize: 4, stride: 2, padding: 1, dilation: 1, groups: 1,
      bias: true, dataFormat: 'NCW', dtype: 'float32', paddingMode: 'zeros',
    });
  });

  it('pass gradient checks over input, weight and bias', () => {
    checkModuleGrad(new Conv2d(2, 3, 2, { padding: 1, stride: [2, 1] }), [sd.randn([1, 2, 3, 3])]);
    checkModuleGrad(new Conv2d(2, 2, 3, { padding: 1, paddingMode: 'reflect', groups: 2 }), [sd.randn([1, 2, 3, 4])]);
    checkModuleGrad(new Conv1d(2, 2, 3, { padding: 'same', dilation: 2 }), [sd.randn([2, 2, 5])]);
    checkModuleGrad(new ConvTranspose2d(2, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }), [sd.randn([1, 2, 2, 2])]);
    checkModuleGrad(new ConvTranspose1d(2, 1, 2, 2), [sd.randn([2, 3])]);
  });
});

describe('convolution errors', () => {
  it('reject bad constructor arguments, naming the layer and the value', () => {
    assertThrows(() => new Conv2d(0, 3, 3), sd.ValueError, /^Conv2d: inChannels must be a positive integer, got 0$/);
    assertThrows(() => new Conv2d(3, 4, 0), sd.ValueError, /Conv2d: kernelSize must be a positive integer or 2 of them, got 0/);
    assertThrows(() => new Conv2d(3, 4, [3, 3, 3] as never), sd.ValueError, /kernelSize must be a positive integer or 2 of them, got \[3, 3, 3\]/);
    assertThrows(() => new Conv1d(3, 4, 3, { stride: 0 }), sd.ValueError, /Conv1d: stride must be a positive integer, got 0/);
    assertThrows(() => new Conv2d(3, 4, 3, { padding: -1 }), sd.ValueError, /padding must be a non-negative integer or 2 of them, got -1/);
    assertThrows(() => new Conv2d(3, 4, 3, { padding: 'full' as never }), sd.ValueError, /padding must be 'valid' or 'same', got 'full'/);
    assertThrows(() => new Conv2d(3, 4, 3, { groups: 2 }), sd.ValueError, /Conv2d: inChannels \(3\) must be divisible by groups \(2\)/);
    assertThrows(() => new ConvTranspose2d(4, 3, 3, { groups: 2 }), sd.ValueError, /outChannels \(3\) must be divisible by groups \(2\)/);
    assertThrows(() => new Conv2d(3, 4, 3, { paddingMode: 'circular' as never }), sd.ValueError, /paddingMode must be 'zeros' or 'reflect', got 'circular'/);
    assertThrows(() => new Conv2d(3, 4, 3, { dataFormat: 'NCW' as never }), sd.ValueError, /dataFormat must be 'NCHW' or 'NHWC'/);
    assertThrows(() => new ConvTranspose2d(3, 4, 3, { paddingMode: 'zeros' } as never), sd.ValueError, /unknown option 'paddingMode'/);
    assertThrows(() => new Conv2d(3, 4, 3, { kernel_size: 3 } as never), sd.ValueError, /unknown option 'kernel_size'/);
  });

  it('reject inputs of the wrong rank or channel count at forward, naming the layer', () => {
    const conv = new Conv2d(3, 16, 3);
    assertThrows(() => conv.call(sd.randn([28, 28])), sd.ShapeError,
      /^Conv2d\(in_channels=3\): expected a 3-D \[C,H,W\] or 4-D \[N,C,H,W\] input, got shape \[28,28\]$/);
    assertThrows(() => conv.call(sd.randn([8, 1, 28, 28])), sd.ShapeError,
      /^Conv2d\(in_channels=3\): input has 1 channels on axis 1, expected 3 \(input shape \[8,1,28,28\]\)$/);
    assertThrows(() => new Conv1d(2, 2, 3, { dataFormat: 'NWC' }).call(sd.randn([1, 5, 3])), sd.ShapeError, /input has 3 channels on axis 2, expected 2/);
    assertThrows(() => new Conv2d(3, 3, 5).call(sd.randn([2, 3, 3, 3])), sd.ShapeError,
      /^Conv2d\(3, 3, kernel_size=\(5, 5\), stride=\(1, 1\)\): conv2d: kernel 5x5 \(dilation 1x1\) is larger than the padded input 3x3/);
    assertThrows(() => conv.call(sd.randn([1, 3, 5, 5], { dtype: 'float64' })), sd.DTypeError, /Conv2d\(3, 16.*\): conv2d: x is float64 but weight is float32/);
  });
});
