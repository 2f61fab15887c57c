import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('normalization');

function running(name: string, dtype: sd.DType = 'float32'): { runningMean: sd.Tensor; runningVar: sd.Tensor } {
  const args = fixtures.get(name)!.args as { runningMean: number[]; runningVar: number[] };
  return { runningMean: sd.tensor(args.runningMean, undefined, dtype), runningVar: sd.tensor(args.runningVar, undefined, dtype) };
}

describeEachBackend('batchNorm and layerNorm', () => {
  it('match F.batch_norm with batch statistics, forward and backward', () => {
    checkFixture(fixtures, 'batch_norm_train_2d', (x) => sd.batchNorm(x, { training: true }));
    checkFixture(fixtures, 'batch_norm_train_affine_4d', (x, weight, bias) => sd.batchNorm(x, { training: true, weight, bias, eps: 1e-3 }));
  });

  it('match F.batch_norm with running statistics', () => {
    checkFixture(fixtures, 'batch_norm_eval_affine_3d', (x, weight, bias) => sd.batchNorm(x, { ...running('batch_norm_eval_affine_3d'), weight, bias }));
    checkFixture(fixtures, 'batch_norm_eval_float64', (x) => sd.batchNorm(x, { ...running('batch_norm_eval_float64', x.dtype), eps: 0.1 }));
  });

  it('match F.layer_norm over one and two axes, a 1-D input, an empty batch and constant rows', () => {
    checkFixture(fixtures, 'layer_norm_last', (x, weight, bias) => sd.layerNorm(x, 4, { weight, bias }));
    checkFixture(fixtures, 'layer_norm_two_axes', (x, weight) => sd.layerNorm(x, [2, 3], { weight, eps: 1e-2 }));
    checkFixture(fixtures, 'layer_norm_plain_1d', (x) => sd.layerNorm(x, [5]));
    checkFixture(fixtures, 'layer_norm_empty_batch', (x) => sd.layerNorm(x, [3]));
    checkFixture(fixtures, 'layer_norm_constant_rows', (x) => sd.layerNorm(x, [3]));
  });
});

describe('batchNorm running statistics', () => {
  it('updates runningMean and runningVar in place when training (unbiased variance)', () => {
    const runningMean = sd.zeros([2]);
    const runningVar = sd.ones([2]);
    const storage = runningMean.values;
    sd.batchNorm(sd.tensor([[1, 10], [3, 20], [5, 30]]), { runningMean, runningVar, training: true, momentum: 0.5 });
    assert.equal(runningMean.values, storage);
    assertClose(runningMean, [1.5, 10]);
    assertClose(runningVar, [0.5 + 0.5 * 4, 0.5 + 0.5 * 100]);
  });

  it('normalizes along a channels-last axis', () => {
    const x = sd.randn([2, 3, 4]);
    const y = sd.batchNorm(x, { training: true, axis: -1 });
    const expected = sd.transpose(sd.batchNorm(sd.transpose(x, [0, 2, 1]), { training: true }), [0, 2, 1]);
    assertClose(y, expected, { atol: 1e-5 });
  });

  it('is what F.batchNorm and F.layerNorm compute, with PyTorch argument order', () => {
    const F = sd.nn.functional;
    const rm = sd.zeros([3]);
    const rv = sd.ones([3]);
    const x = sd.randn([4, 3]);
    const w = sd.randn([3]);
    assertClose(F.batchNorm(x, rm, rv, w, null, true, 0.2), sd.batchNorm(x, { weight: w, training: true }));
    assert.ok(rm.values.some((v) => v !== 0), 'F.batchNorm updated the running mean');
    assertClose(F.batchNorm(x, rm, rv), sd.batchNorm(x, { runningMean: rm, runningVar: rv }));
    assertClose(F.layerNorm(x, [3], w, undefined, 1e-3), sd.layerNorm(x, 3, { weight: w, eps: 1e-3 }));
  });
});

describe('normalization gradients', () => {
  it('pass gradient checks (batch statistics, running statistics, layer norm)', () => {
    checkGrad((x, w, b) => sd.batchNorm(x, { training: true, weight: w, bias: b }), [sd.randn([4, 3]), sd.randn([3]), sd.randn([3])]);
    checkGrad((x) => sd.batchNorm(x, { training: true, axis: 2 }), [sd.randn([2, 2, 3])]);
    checkGrad((x, m, v) => sd.batchNorm(x, { runningMean: m, runningVar: v }), [sd.randn([3, 2, 2]), sd.randn([2]), sd.add(sd.rand([2]), 0.5)]);
    checkGrad((x, w, b) => sd.layerNorm(x, [2, 3], { weight: w, bias: b }), [sd.randn([2, 2, 3]), sd.randn([2, 3]), sd.randn([2, 3])]);
  });
});

describe('normalization errors', () => {
  it('batchNorm rejects bad arguments, naming them', () => {
    const x = sd.randn([4, 3]);
    assertThrows(() => sd.batchNorm(sd.randn([3])), sd.ShapeError, /^batchNorm: x must have at least 2 dimensions \[N, C, \.\.\.\], got \[3\]$/);
    assertThrows(() => sd.batchNorm(sd.zeros([2, 2], 'int32')), sd.DTypeError, /batchNorm: x must be float32 or float64, got int32/);
    assertThrows(() => sd.batchNorm(x, 0.1 as never), sd.ValueError, /batchNorm: options must be an object/);
    assertThrows(() => sd.batchNorm(x, { training: true, eps: -1 }), sd.ValueError, /batchNorm: eps must be a finite number >= 0, got -1/);
    assertThrows(() => sd.batchNorm(x, { training: true, momentum: 1.5 }), sd.ValueError, /batchNorm: momentum must be a number in \[0, 1\], got 1.5/);
    assertThrows(() => sd.batchNorm(x, { training: 1 as never }), sd.ValueError, /training must be a boolean/);
    assertThrows(() => sd.batchNorm(x), sd.ValueError, /runningMean and runningVar are required when not training/);
    assertThrows(() => sd.batchNorm(x, { runningMean: sd.zeros([3]) }), sd.ValueError, /pass both runningMean and runningVar or neither/);
    assertThrows(() => sd.batchNorm(x, { runningMean: [0, 0, 0] as never, runningVar: [1, 1, 1] as never }), sd.ValueError, /runningMean must be a Tensor \(it is updated in place\)/);
    assertThrows(() => sd.batchNorm(x, { training: true, weight: sd.ones([4]) }), sd.ShapeError,
      /^batchNorm: weight must have shape \[3\] \(one value per channel of x \[4,3\]\), got \[4\]$/);
    assertThrows(() => sd.batchNorm(x, { training: true, axis: 2 }), sd.ValueError, /batchNorm: axis 2 is out of range/);
    assertThrows(() => sd.batchNorm(sd.randn([1, 3]), { training: true }), sd.ValueError, /expected more than 1 value per channel when training, got x of shape \[1,3\]/);
  });

  it('layerNorm rejects bad arguments, naming them', () => {
    const x = sd.randn([2, 3]);
    assertThrows(() => sd.layerNorm(x, [4]), sd.ShapeError, /^layerNorm: normalizedShape \[4\] must match the last 1 dimension\(s\) of x, got x of shape \[2,3\]$/);
    assertThrows(() => sd.layerNorm(x, [2, 2, 3]), sd.ShapeError, /must match the last 3 dimension/);
    assertThrows(() => sd.layerNorm(x, []), sd.ValueError, /normalizedShape must be a positive integer or a non-empty list/);
    assertThrows(() => sd.layerNorm(x, 3, { weight: sd.ones([2]) }), sd.ShapeError, /layerNorm: weight must have the normalized shape \[3\], got \[2\]/);
    assertThrows(() => sd.layerNorm(x, 3, { bias: sd.zeros([3], 'int32') }), sd.DTypeError, /layerNorm: bias must be float32 or float64, got int32/);
    assertThrows(() => sd.layerNorm(x, 3, { eps: -0.1 }), sd.ValueError, /layerNorm: eps must be a finite number >= 0/);
    assertThrows(() => sd.layerNorm(sd.zeros([2, 3], 'bool'), 3), sd.DTypeError, /layerNorm: x must be float32 or float64, got bool/);
  });
});
