import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, parameterCount } from './layer-helpers.js';

const { BatchNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm } = sd.nn;

/** Per-channel mean and biased variance of an [N, C] tensor, in plain JS. */
function columnStats(x: sd.Tensor): { mean: number[]; variance: number[] } {
  const [n, c] = x.shape;
  const mean = Array.from({ length: c }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x.values[i * c + j];
    return s / n;
  });
  const variance = mean.map((m, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x.values[i * c + j] - m) ** 2;
    return s / n;
  });
  return { mean, variance };
}

describeEachBackend('normalization layers', () => {
  it('match torch.nn BatchNorm1d/2d in training: output, gradients and updated running statistics', () => {
    for (const name of ['batch_norm1d_train', 'batch_norm1d_train_3d', 'batch_norm2d_train', 'batch_norm2d_no_affine']) checkLayerFixture(name);
  });

  it('match torch.nn BatchNorm in evaluation, with loaded running statistics or none tracked', () => {
    for (const name of ['batch_norm1d_eval', 'batch_norm2d_eval', 'batch_norm1d_untracked_eval']) checkLayerFixture(name);
  });

  it('match torch after several training batches (momentum 0.1 and cumulative), then in eval', () => {
    for (const name of ['batch_norm2d_steps', 'batch_norm2d_steps_cumulative', 'batch_norm2d_steps_then_eval']) checkLayerFixture(name);
  });

  it('match torch.nn.LayerNorm over one and two trailing axes, with and without affine', () => {
    for (const name of ['layer_norm', 'layer_norm_2d', 'layer_norm_no_affine']) checkLayerFixture(name);
  });
});

describe('BatchNorm train and eval', () => {
  it('normalizes with batch statistics in training and moves the running ones (unbiased variance)', () => {
    const bn = new BatchNorm1d(3);
    const x = sd.add(sd.mul(sd.randn([50, 3]), 2), 5);
    const y = bn.call(x);
    const ys = columnStats(y);
    ys.mean.forEach((m) => assert.ok(Math.abs(m) < 1e-5));
    ys.variance.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-3));
    const xs = columnStats(x);
    assertClose(bn.running_mean!, xs.mean.map((m) => 0.1 * m), { atol: 1e-5 });
    assertClose(bn.running_var!, xs.variance.map((v) => 0.9 + 0.1 * v * (50 / 49)), { atol: 1e-5 });
    assert.equal(bn.numBatchesTracked, 1);
    assert.equal(bn.runningMean, bn.running_mean);
  });

  it('uses the running statistics in eval and leaves them unchanged', () => {
    const bn = new BatchNorm1d(2);
    bn.running_mean!.values.set([1, -2]);
    bn.running_var!.values.set([4, 0.25]);
    bn.weight!.values.set([2, 1]);
    bn.bias!.values.set([0, 3]);
    bn.eval();
    const y = bn.call(sd.tensor([[3, -2], [1, -1.5]]));
    const s0 = 1 / Math.sqrt(4 + 1e-5);
    const s1 = 1 / Math.sqrt(0.25 + 1e-5);
    assertClose(y, [[2 * 2 * s0, 3], [0, 0.5 * s1 + 3]]);
    assertClose(bn.running_mean!, [1, -2]);
    assert.equal(bn.numBatchesTracked, 0);
    // a single sample is fine in eval, not in training
    assert.deepEqual(bn.call(sd.randn([1, 2])).shape, [1, 2]);
    bn.train();
    assertThrows(() => bn.call(sd.randn([1, 2])), sd.ValueError, /^BatchNorm1d\(2, .*\): batchNorm: expected more than 1 value per channel when training, got x of shape \[1,2\]$/);
  });

  it('updates running statistics under noGrad too, as PyTorch', () => {
    const bn = new BatchNorm2d(2);
    sd.noGrad(() => bn.call(sd.add(sd.randn([4, 2, 3, 3]), 10)));
    assert.ok(bn.running_mean!.values[0] > 0.9);
    assert.equal(bn.numBatchesTracked, 1);
  });

  it('with momentum null keeps the cumulative average of the batches', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    for (const v of [[1, 3], [5, 7], [0, 2]]) bn.call(sd.tensor(v.map((a) => [a])));
    assertClose(bn.running_mean!, [(2 + 6 + 1) / 3]);
    assertClose(bn.running_var!, [(2 + 2 + 2) / 3]);
    assert.equal(bn.numBatchesTracked, 3);
  });

  it('without trackRunningStats has no buffers and always uses batch statistics', () => {
    const bn = new BatchNorm1d(2, { trackRunningStats: false });
    assert.deepEqual(Object.keys(bn.stateDict()), ['weight', 'bias']);
    assert.equal(bn.running_mean, null);
    bn.eval();
    const y = bn.call(sd.tensor([[1, 10], [3, 30]]));
    assertClose(y, [[-1, -1], [1, 1]], { atol: 1e-4 });
  });

  it('normalizes a channels-last input with axis −1 as BatchNorm2d does a channels-first one', () => {
    const x = sd.randn([3, 2, 4, 5]);
    const first = new BatchNorm2d(2);
    const last = new BatchNorm({ numFeatures: 2, axis: -1 });
    const y = last.call(sd.transpose(x, [0, 2, 3, 1]));
    assertClose(y, sd.transpose(first.call(x), [0, 2, 3, 1]), { atol: 1e-5 });
    assertClose(last.running_var!, first.running_var!);
    assert.equal(last.toString(), 'BatchNorm(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, axis=-1)');
  });

  it('has PyTorch state dict keys, parameter count and printout, and rebuilds from getConfig', () => {
    const bn = new BatchNorm2d(32);
    assert.deepEqual(Object.keys(bn.stateDict()), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    assert.equal(parameterCount(bn), 64);
    assert.equal(bn.stateDict().num_batches_tracked.dtype, 'int32');
    assert.deepEqual(bn.namedBuffers().map(([n]) => n), ['running_mean', 'running_var', 'num_batches_tracked']);
    assert.equal(new BatchNorm1d(3).toString(), 'BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
    assert.equal(
      new BatchNorm2d(4, { momentum: null, affine: false, trackRunningStats: false }).toString(),
      'BatchNorm2d(4, eps=1e-05, momentum=None, affine=False, track_running_stats=False)',
    );
    assert.equal(new BatchNorm1d(3, { eps: 1e-3, momentum: 0.01 }).toString(), 'BatchNorm1d(3, eps=0.001, momentum=0.01, affine=True, track_running_stats=True)');
    const layer = new BatchNorm3d(5, { eps: 1e-3, momentum: null, dtype: 'float64' });
    const copy = new BatchNorm3d(layer.getConfig());
    assert.deepEqual(copy.getConfig(), layer.getConfig());
    assert.equal(copy.running_mean!.dtype, 'float64');
    assert.deepEqual(new BatchNorm3d(2).call(sd.randn([2, 2, 2, 2, 2])).shape, [2, 2, 2, 2, 2]);
  });

  it('converts running statistics with to(float64) and resets them', () => {
    const bn = new BatchNorm1d(2);
    bn.call(sd.randn([4, 2]));
    bn.to('float64');
    assert.equal(bn.running_mean!.dtype, 'float64');
    assert.equal(bn.num_batches_tracked!.dtype, 'int32');
    bn.resetRunningStats();
    assertClose(bn.running_var!, [1, 1]);
    assert.equal(bn.numBatchesTracked, 0);
  });

  it('passes gradient checks in training and evaluation', () => {
    checkModuleGrad(new BatchNorm1d(3), [sd.randn([4, 3])]);
    checkModuleGrad(new BatchNorm2d(2), [sd.randn([2, 2, 2, 3])]);
    const bn = new BatchNorm1d(2, { momentum: 0.5 });
    bn.call(sd.randn([5, 2]));
    bn.eval();
    checkModuleGrad(bn, [sd.randn([3, 2, 4])]);
  });
});

describe('LayerNorm', () => {
  it('normalizes each sample over the trailing axes, the same in train and eval', () => {
    const ln = new LayerNorm([2, 3], { elementwiseAffine: false });
    const x = sd.randn([4, 2, 3]);
    const y = ln.call(x);
    const rows = sd.reshape(y, [4, 6]);
    assertClose(sd.mean(rows, 1), sd.zeros([4]), { atol: 1e-5 });
    assertClose(sd.variance(rows, { axes: 1, correction: 0 }), sd.ones([4]), { atol: 1e-3 });
    assertClose(ln.eval().call(x), y);
    assert.deepEqual(Object.keys(ln.stateDict()), []);
  });

  it('has weight and bias of the normalized shape, printout and config as PyTorch', () => {
    const ln = new LayerNorm(512);
    assert.deepEqual(ln.weight!.shape, [512]);
    assertClose(ln.weight!, sd.ones([512]));
    assert.equal(parameterCount(ln), 1024);
    assert.equal(ln.toString(), 'LayerNorm((512,), eps=1e-05, elementwise_affine=True)');
    assert.equal(new LayerNorm([3, 4], { eps: 1e-6, elementwiseAffine: false }).toString(), 'LayerNorm((3, 4), eps=1e-06, elementwise_affine=False)');
    assert.equal(new LayerNorm(4, { bias: false }).bias, null);
    const config = new LayerNorm([3, 4], { eps: 1e-3 }).getConfig();
    assert.deepEqual(config, { normalizedShape: [3, 4], eps: 1e-3, elementwiseAffine: true, bias: true, dtype: 'float32' });
    assert.equal(new LayerNorm(config).toString(), 'LayerNorm((3, 4), eps=0.001, elementwise_affine=True)');
  });

  it('passes gradient checks', () => {
    const ln = new LayerNorm(4);
    sd.nn.init.normal_(ln.weight!);
    sd.nn.init.normal_(ln.bias!);
    checkModuleGrad(ln, [sd.randn([2, 4])]);
    checkModuleGrad(new LayerNorm([2, 2], { bias: false }), [sd.randn([3, 2, 2])]);
  });
});

describe('normalization errors', () => {
  it('reject bad constructor arguments, naming the layer and the value', () => {
    assertThrows(() => new BatchNorm2d(0), sd.ValueError, /^BatchNorm2d: numFeatures must be a positive integer, got 0$/);
    assertThrows(() => new BatchNorm1d(3, { momentum: 2 }), sd.ValueError, /BatchNorm1d: momentum must be a number in \[0, 1\] or null, got 2/);
    assertThrows(() => new BatchNorm1d(3, { eps: -1 }), sd.ValueError, /eps must be a number >= 0, got -1/);
    assertThrows(() => new BatchNorm1d(3, { affine: 'no' as never }), sd.ValueError, /affine must be true or false/);
    assertThrows(() => new BatchNorm1d(3, { axis: 0.5 }), sd.ValueError, /axis must be an integer, got 0.5/);
    assertThrows(() => new BatchNorm2d(3, { num_features: 3 } as never), sd.ValueError, /unknown option 'num_features'/);
    assertThrows(() => new LayerNorm([]), sd.ValueError, /^LayerNorm: normalizedShape must be a positive integer or a non-empty list of them, got \[\]$/);
    assertThrows(() => new LayerNorm(0), sd.ValueError, /normalizedShape must be a positive integer/);
    assertThrows(() => new LayerNorm(4, { eps: NaN }), sd.ValueError, /LayerNorm: eps must be a number >= 0, got NaN/);
  });

  it('reject inputs of the wrong rank or channel count, naming the layer', () => {
    assertThrows(() => new BatchNorm2d(3).call(sd.randn([3, 28, 28])), sd.ShapeError,
      /^BatchNorm2d\(num_features=3\): expected a 4-D \[N,C,H,W\] input, got shape \[3,28,28\]$/);
    assertThrows(() => new BatchNorm1d(3).call(sd.randn([2, 3, 4, 5])), sd.ShapeError, /expected a 2-D \[N,C\] or 3-D \[N,C,L\] input/);
    assertThrows(() => new BatchNorm1d(3).call(sd.randn([5, 4])), sd.ShapeError,
      /^BatchNorm1d\(num_features=3\): input has 4 channels on axis 1, expected 3 \(input shape \[5,4\]\)$/);
    assertThrows(() => new BatchNorm({ numFeatures: 2, axis: 3 }).call(sd.randn([2, 2])), sd.ValueError, /batchNorm: axis 3 is out of range/);
    assertThrows(() => new LayerNorm([3, 4]).call(sd.randn([2, 4, 3])), sd.ShapeError,
      /^LayerNorm\(\(3, 4\)\): expected an input of shape \[\*,3,4\], got \[2,4,3\]$/);
    assertThrows(() => new LayerNorm(4).call(sd.zeros([2, 4], 'int32')), sd.DTypeError, /LayerNorm\(.*\): layerNorm: x must be float32/);
  });
});
