import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

describe('reading a tensor', () => {
  it('has shape, dtype, size and rank', () => {
    const x = sd.zeros([2, 3, 4], 'int32');
    assert.deepEqual([...x.shape], [2, 3, 4]);
    assert.equal(x.dtype, 'int32');
    assert.equal(x.size, 24);
    assert.equal(x.rank, 3);
    const s = sd.scalar(1);
    assert.equal(s.size, 1);
    assert.equal(s.rank, 0);
    assert.equal(sd.zeros([3, 0]).size, 0);
  });

  it('has a frozen shape, independent of the array it was made from', () => {
    const shape = [2, 2];
    const x = sd.zeros(shape);
    shape[0] = 5;
    assert.deepEqual([...x.shape], [2, 2]);
    assert.throws(() => (x.shape as number[]).push(1), TypeError);
  });

  it('.data and .dataSync() return the storage without copying', () => {
    const x = sd.tensor([1, 2, 3]);
    assert.ok(x.data instanceof Float32Array);
    assert.equal(x.data, x.values);
    assert.equal(x.dataSync(), x.values);
    assert.ok(sd.zeros([1], 'float64').data instanceof Float64Array);
    assert.ok(sd.zeros([1], 'int32').data instanceof Int32Array);
    assert.ok(sd.zeros([1], 'bool').data instanceof Uint8Array);
  });

  it('.array() nests like the shape, with booleans for bool and a number for a scalar', () => {
    assert.deepEqual(sd.tensor([1, 2, 3, 4, 5, 6], [2, 3]).array(), [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(sd.tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]).array(), [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    assert.deepEqual(sd.tensor([true, false], [2, 1]).array(), [[true], [false]]);
    assert.equal(sd.scalar(2.5).array(), 2.5);
    assert.equal(sd.scalar(true).array(), true);
    assert.deepEqual(sd.zeros([0]).array(), []);
    assert.deepEqual(sd.zeros([2, 0]).array(), [[], []]);
    assert.deepEqual(sd.zeros([2, 0, 3]).array(), [[], []]);
    assert.deepEqual(sd.zeros([1, 1, 1]).array(), [[[0]]]);
    // round trip
    const nested = [[[1, -2], [3, 4.5]], [[0, 7], [8, 9]]];
    assert.deepEqual(sd.tensor(nested).array(), nested);
  });

  it('.item() reads a one-element tensor of any rank and refuses others', () => {
    assert.equal(sd.scalar(3).item(), 3);
    assert.equal(sd.tensor([[4]]).item(), 4);
    assert.equal(sd.scalar(true).item(), 1);
    assertThrows(() => sd.tensor([1, 2]).item(), sd.ValueError, /^item: the tensor must have exactly one element, got shape \[2\]/);
    assertThrows(() => sd.zeros([0]).item(), sd.ValueError, /got shape \[0\]/);
  });

  it('the constructor refuses storage that does not fill the shape', () => {
    assertThrows(() => new sd.Tensor(new Float32Array(3), [2, 2], 'float32'), sd.ValueError, /^Tensor: 3 values do not fill shape \[2,2\] \(4 elements\)/);
  });
});

describe('graph state of a tensor', () => {
  it('detach shares storage and leaves the graph; clone copies', () => {
    const x = sd.tensor([1, 2]).requiresGrad_();
    const y = sd.mul(x, 2);
    const d = y.detach();
    assert.equal(d.values, y.values);
    assert.equal(d.requiresGrad, false);
    assert.equal(d.isLeaf, true);
    const c = y.clone();
    assert.notEqual(c.values, y.values);
    assert.deepEqual([...c.values], [...y.values]);
    assert.equal(c.requiresGrad, false);
  });

  it('results of recorded ops are not leaves; tensors made by the user are', () => {
    const x = sd.tensor([1, 2]).requiresGrad_();
    assert.equal(x.isLeaf, true);
    const y = sd.exp(x);
    assert.equal(y.isLeaf, false);
    assert.equal(y.requiresGrad, true);
    assert.equal(y.gradFn?.op, 'exp');
    assert.equal(sd.exp(sd.tensor([1])).isLeaf, true);
  });

  it('requiresGrad_ takes float leaves only', () => {
    assertThrows(() => sd.tensor(new Int32Array([1])).requiresGrad_(), sd.DTypeError, /^requiresGrad_: only float tensors can require gradients, got int32/);
    assertThrows(() => sd.tensor([true]).requiresGrad_(), sd.DTypeError, /got bool/);
    const y = sd.mul(sd.tensor([1]).requiresGrad_(), 2);
    assertThrows(() => y.requiresGrad_(false), sd.ValueError, /^requiresGrad_: only leaf tensors can change requiresGrad; use detach\(\) first/);
    const x = sd.tensor([1]).requiresGrad_();
    assert.equal(x.requiresGrad_(false).requiresGrad, false);
    assert.equal(sd.tensor(new Int32Array([1])).requiresGrad_(false).requiresGrad, false);
  });

  it('retainGrad needs a tensor that requires grad', () => {
    assertThrows(() => sd.tensor([1]).retainGrad(), sd.ValueError, /^retainGrad: the tensor does not require grad/);
  });
});
