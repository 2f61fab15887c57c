import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose } from '../helpers.js';

const nchw = (x: sd.Tensor): sd.Tensor => sd.transpose(x, [0, 3, 1, 2]);
const nhwc = (x: sd.Tensor): sd.Tensor => sd.transpose(x, [0, 2, 3, 1]);

describe('convolution and pooling layers', () => {
  it('conv2d on NHWC equals the PyTorch-layout convolution on NCHW with the same kernel', () => {
    sd.seed(0);
    for (const opts of [{ padding: 'valid' as const }, { padding: 'same' as const, strides: 2 }, { padding: 'same' as const, dilationRate: 2 }]) {
      const conv = sd.layers.conv2d({ filters: 4, kernelSize: 3, ...opts });
      const x = sd.randn([2, 7, 7, 3]);
      const y = conv.apply(x);
      const [w, b] = conv.weights;
      assert.deepEqual([...w.shape], [4, 3, 3, 3], 'kernel [filters, channels, kH, kW]');
      const ref = sd.conv2d(nchw(x), w, b, { stride: opts.strides ?? 1, padding: opts.padding, dilation: opts.dilationRate ?? 1 });
      assertClose(y, nhwc(ref), { atol: 1e-5 });
      assert.equal(conv.countParams(), 3 * 3 * 3 * 4 + 4, 'Keras count: k·k·C·filters + filters');
    }
  });

  it('channelsFirst runs in NCHW', () => {
    const conv = sd.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' });
    const s = conv.apply(sd.input({ shape: [3, 8, 8] }));
    assert.deepEqual([...s.shape], [null, 2, 6, 6]);
    const x = sd.randn([1, 3, 8, 8]);
    assertClose(conv.apply(x), sd.conv2d(x, conv.weights[0], conv.weights[1]), { atol: 1e-5 });
  });

  it('output shapes follow Keras for valid/same, strides and dilation', () => {
    const cases: [sd.layers.Layer, number[], (number | null)[]][] = [
      [sd.layers.conv2d({ filters: 5, kernelSize: 5 }), [28, 28, 1], [null, 24, 24, 5]],
      [sd.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same' }), [7, 7, 1], [null, 4, 4, 5]],
      [sd.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2 }), [7, 8, 1], [null, 3, 3, 5]],
      [sd.layers.conv1d({ filters: 5, kernelSize: 3, dilationRate: 2 }), [10, 2], [null, 6, 5]],
      [sd.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2 }), [7, 7, 2], [null, 15, 15, 3]],
      [sd.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), [7, 7, 2], [null, 14, 14, 3]],
      [sd.layers.conv2dTranspose({ filters: 3, kernelSize: 1, strides: 3 }), [4, 4, 2], [null, 12, 12, 3]],
      [sd.layers.conv2dTranspose({ filters: 3, kernelSize: 1, strides: 2, padding: 'same' }), [4, 4, 2], [null, 8, 8, 3]],
      [sd.layers.maxPooling2d(), [7, 7, 2], [null, 3, 3, 2]],
      [sd.layers.maxPooling2d({ padding: 'same' }), [7, 7, 2], [null, 4, 4, 2]],
      [sd.layers.averagePooling1d({ poolSize: 3, strides: 1 }), [7, 2], [null, 5, 2]],
      [sd.layers.globalMaxPooling1d(), [7, 2], [null, 2]],
    ];
    for (const [layer, inShape, expected] of cases) {
      const s = layer.apply(sd.input({ shape: inShape }));
      assert.deepEqual([...s.shape], expected, layer.className);
      assert.deepEqual([...layer.apply(sd.randn([1, ...inShape])).shape], [1, ...expected.slice(1)], `${layer.className} on data`);
    }
    assert.deepEqual([...sd.layers.conv1d({ filters: 2, kernelSize: 3 }).apply(sd.input({ shape: [null, 4] })).shape], [null, null, 2]);
  });

  it('pooling values: max, and average with "same" padding counting only real cells', () => {
    const x = sd.reshape(sd.arange(9, undefined, 1, 'float32'), [1, 3, 3, 1]);
    assertClose(sd.layers.maxPooling2d().apply(x), [[[[4]]]]);
    // 'same' on 3x3 with pool 2: windows at the edge hold 2 or 1 real values
    assertClose(sd.reshape(sd.layers.averagePooling2d({ padding: 'same' }).apply(x), [4]), [2, 3.5, 6.5, 8]);
    assertClose(sd.layers.globalAveragePooling2d().apply(x), [[4]]);
    assertClose(sd.layers.globalMaxPooling2d().apply(x), [[8]]);
    const seq = sd.reshape(sd.tensor([1, 5, 2, 8, 3, 0]), [1, 6, 1]);
    assertClose(sd.layers.maxPooling1d().apply(seq), [[[5], [8], [3]]]);
    assertClose(sd.layers.globalAveragePooling1d().apply(seq), [[19 / 6]]);
  });

  it('conv2dTranspose equals the PyTorch-layout transposed convolution', () => {
    const layer = sd.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
    const x = sd.randn([1, 4, 4, 3]);
    const y = layer.apply(x);
    const [w, b] = layer.weights;
    assert.deepEqual([...w.shape], [3, 2, 3, 3], 'kernel [channels, filters, kH, kW]');
    assertClose(y, nhwc(sd.conv2dTranspose(nchw(x), w, b, { stride: 2, padding: 'same' })), { atol: 1e-5 });
  });
});
