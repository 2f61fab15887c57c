import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

const F = sd.nn.functional;

describe('nn.functional', () => {
  it('re-exports the layer ops under PyTorch names', () => {
    assert.equal(F.linear, sd.linear);
    assert.equal(F.conv2d, sd.conv2d);
    assert.equal(F.conv1d, sd.conv1d);
    assert.equal(F.convTranspose2d, sd.conv2dTranspose);
    assert.equal(F.convTranspose1d, sd.conv1dTranspose);
    assert.equal(F.maxPool2d, sd.maxPool2d);
    assert.equal(F.avgPool1d, sd.avgPool1d);
    assert.equal(F.adaptiveAvgPool2d, sd.adaptiveAvgPool2d);
    assert.equal(F.relu, sd.relu);
    assert.equal(F.gelu, sd.gelu);
    assert.equal(F.tanh, sd.tanh);
    assert.equal(F.softmax, sd.softmax);
    assert.equal(F.logSoftmax, sd.logSoftmax);
    assert.equal(F.oneHot, sd.oneHot);
  });

  it('leakyRelu has PyTorch default slope 0.01', () => {
    assertClose(F.leakyRelu(sd.tensor([-1, 2])), [-0.01, 2]);
    assertClose(F.leakyRelu(sd.tensor([-1, 2]), 0.3), [-0.3, 2]);
  });

  it('dropout takes training positionally and is the identity when not training', () => {
    const x = sd.randn([10]);
    assert.equal(F.dropout(x, 0.5, false), x);
    sd.seed(1);
    const a = F.dropout(x, 0.5);
    sd.seed(1);
    assertClose(a, sd.dropout(x, 0.5));
  });

  it('embedding takes (input, weight, paddingIdx) as PyTorch', () => {
    const w = sd.randn([5, 2]).requiresGrad_();
    const idx = sd.tensor([[0, 3]], undefined, 'int32');
    assertClose(F.embedding(idx, w), sd.embedding(w, idx));
    sd.sum(F.embedding(idx, w, 0)).backward();
    assertClose(w.grad!, [[0, 0], [0, 0], [0, 0], [1, 1], [0, 0]]);
  });

  it('layerNorm and batchNorm are the layers computation', () => {
    const x = sd.randn([4, 3]);
    const ln = new sd.nn.LayerNorm(3);
    sd.nn.init.normal_(ln.weight!);
    assertClose(F.layerNorm(x, [3], ln.weight, ln.bias), ln.call(x));
    const bn = new sd.nn.BatchNorm1d(3);
    const rm = sd.zeros([3]);
    const rv = sd.ones([3]);
    assertClose(F.batchNorm(x, rm, rv, bn.weight, bn.bias, true), bn.call(x));
    assertClose(rm, bn.running_mean!);
    assertClose(rv, bn.running_var!);
  });

  it('normalize divides by the p-norm along dim, floored at eps', () => {
    assertClose(F.normalize(sd.tensor([[3, 4], [0, 0]])), [[0.6, 0.8], [0, 0]]);
    assertClose(F.normalize(sd.tensor([[3, 4], [1, 1]]), 1, 0), [[0.75, 0.8], [0.25, 0.2]]);
    assertThrows(() => F.normalize(sd.tensor([1]), 2, 0, -1), sd.ValueError, /normalize: eps must be a number >= 0, got -1/);
  });

  it('pad lists pairs from the last axis, as PyTorch', () => {
    const x = sd.tensor([[1, 2], [3, 4]]);
    assert.deepEqual(F.pad(x, [1, 0]).array(), [[0, 1, 2], [0, 3, 4]]);
    assert.deepEqual(F.pad(x, [0, 1, 1, 0], 'constant', 9).array(), [[9, 9, 9], [1, 2, 9], [3, 4, 9]]);
    assert.deepEqual(F.pad(sd.tensor([[1, 2, 3]]), [2, 1], 'reflect').array(), [[3, 2, 1, 2, 3, 2]]);
    assertThrows(() => F.pad(x, [1]), sd.ValueError, /^pad: pad must hold \[before, after\] pairs for at most 2 trailing axes, got \[1\]$/);
    assertThrows(() => F.pad(x, [1, 1, 1, 1, 1, 1]), sd.ValueError, /at most 2 trailing axes/);
  });
});
