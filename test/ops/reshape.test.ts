import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('reshape, flatten, squeeze, unsqueeze', () => {
  it('match PyTorch, forward and backward', () => {
    checkFixture(fixtures, 'reshape_infer', (x) => sd.reshape(x, [3, -1, 2]));
    checkFixture(fixtures, 'reshape_of_transposed', (x) => sd.reshape(sd.t(x), [-1]));
    checkFixture(fixtures, 'reshape_zero_size', (x) => sd.reshape(x, [-1, 3]));
    checkFixture(fixtures, 'reshape_scalar_to_1', (x) => sd.reshape(x, [1, 1]));
    checkFixture(fixtures, 'flatten_middle', (x) => sd.flatten(x, 1, 2));
    checkFixture(fixtures, 'squeeze_all', (x) => sd.squeeze(x));
    checkFixture(fixtures, 'squeeze_one', (x) => sd.squeeze(x, -2));
    checkFixture(fixtures, 'unsqueeze_negative', (x) => sd.unsqueeze(x, -1));
  });

  it('unsqueeze and squeeze match PyTorch on a transposed input', () => {
    checkFixture(fixtures, 'squeeze_unsqueeze_of_transposed', (x) => sd.squeeze(sd.unsqueeze(sd.transpose(x), 0), -1));
  });

  it('infers -1 and handles scalars and size 0', () => {
    const shape = (t: sd.Tensor): number[] => [...t.shape];
    assert.deepEqual(shape(sd.reshape(sd.zeros([2, 3, 4]), [-1])), [24]);
    assert.deepEqual(shape(sd.reshape(sd.zeros([2, 3, 4]), [4, -1])), [4, 6]);
    assert.deepEqual(shape(sd.reshape(sd.scalar(1), [])), []);
    assert.deepEqual(shape(sd.reshape(sd.scalar(1), [-1])), [1]);
    assert.deepEqual(shape(sd.reshape(sd.zeros([1, 1]), [])), []);
    assert.deepEqual(shape(sd.reshape(sd.zeros([0, 4]), [2, 0, 3])), [2, 0, 3]);
    assert.deepEqual(shape(sd.flatten(sd.zeros([2, 3, 4]))), [24]);
    assert.deepEqual(shape(sd.flatten(sd.zeros([2, 3, 4]), 1)), [2, 12]);
    assert.deepEqual(shape(sd.flatten(sd.scalar(1))), [1]);
    assert.deepEqual(shape(sd.flatten(sd.zeros([2, 0, 3]), 0, 1)), [0, 3]);
    assert.deepEqual(shape(sd.squeeze(sd.zeros([1, 1]))), []);
    assert.deepEqual(shape(sd.squeeze(sd.scalar(1))), []);
    assert.deepEqual(shape(sd.squeeze(sd.scalar(1), 0)), []);
    assert.deepEqual(shape(sd.squeeze(sd.scalar(1), -1)), []);
    assert.deepEqual(shape(sd.squeeze(sd.zeros([1, 0, 1]), [0, 2])), [0]);
    assert.deepEqual(shape(sd.unsqueeze(sd.scalar(1), 0)), [1]);
    assert.deepEqual(shape(sd.unsqueeze(sd.scalar(1), -1)), [1]);
    assert.deepEqual(shape(sd.unsqueeze(sd.zeros([2, 3]), 1)), [2, 1, 3]);
    assert.deepEqual(shape(sd.expandDims(sd.zeros([2, 3]), 2)), [2, 3, 1]);
    assert.deepEqual(shape(sd.unsqueeze(sd.zeros([0]), 0)), [1, 0]);
  });

  it('shares storage with the input and keeps dtype', () => {
    const x = sd.tensor(new Int32Array([1, 2, 3, 4]));
    const y = sd.reshape(x, [2, 2]);
    assert.equal(y.values, x.values);
    assert.equal(y.dtype, 'int32');
  });

  it('rejects impossible shapes and axes', () => {
    const x = sd.zeros([2, 3]);
    assertThrows(() => sd.reshape(x, [4, -1]), sd.ShapeError, /reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,-1\]/);
    assertThrows(() => sd.reshape(x, [5]), sd.ShapeError, /reshape: cannot reshape \[2,3\] \(6 elements\) into \[5\] \(5 elements\)/);
    assertThrows(() => sd.reshape(x, [-1, -1]), sd.ValueError, /reshape: only one dimension can be -1, got \[-1,-1\]/);
    assertThrows(() => sd.reshape(x, [-2, -3]), sd.ValueError, /reshape: dimensions must be non-negative integers or -1/);
    assertThrows(() => sd.reshape(x, [1.5, 4]), sd.ValueError, /reshape: dimensions must be non-negative integers or -1/);
    assertThrows(() => sd.reshape(sd.zeros([0, 3]), [0, -1]), sd.ShapeError, /reshape: cannot reshape \[0,3\] \(0 elements\) into \[0,-1\]/);
    assertThrows(() => sd.flatten(sd.zeros([2, 3, 4]), 2, 1), sd.ValueError, /flatten: startAxis \(2\) must not come after endAxis \(1\)/);
    assertThrows(() => sd.flatten(x, 3), sd.ValueError, /flatten: axis 3 is out of range for a tensor of rank 2/);
    assertThrows(() => sd.squeeze(x, 0), sd.ShapeError, /squeeze: axis 0 has size 2, not 1, in shape \[2,3\]/);
    assertThrows(() => sd.squeeze(x, 2), sd.ValueError, /squeeze: axis 2 is out of range for a tensor of rank 2/);
    assertThrows(() => sd.unsqueeze(x, 3), sd.ValueError, /^unsqueeze: axis 3 is out of range for inserting an axis into a tensor of rank 2 \(expected -3\.\.2\)$/);
    assertThrows(() => sd.unsqueeze(x, -4), sd.ValueError, /unsqueeze: axis -4 is out of range .* rank 2 \(expected -3\.\.2\)/);
    assertThrows(() => sd.unsqueeze(sd.scalar(1), 1), sd.ValueError, /unsqueeze: axis 1 is out of range .* rank 0 \(expected -1\.\.0\)/);
  });
});

it('reshape-family gradients pass gradcheck', () => {
  checkGrad((x) => sd.reshape(x, [3, -1]), [sd.randn([2, 3])]);
  checkGrad((x) => sd.flatten(x, 0, 1), [sd.randn([2, 2, 2])]);
  checkGrad((x) => sd.squeeze(x, 0), [sd.randn([1, 3])]);
  checkGrad((x) => sd.unsqueeze(x, 1), [sd.randn([3])]);
});
