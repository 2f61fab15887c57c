import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');
const int = (values: number[], shape?: number[]): sd.Tensor => sd.tensor(Int32Array.from(values), shape);

describeEachBackend('indexSelect, gather, indexAdd', () => {
  it('indexSelect and gather match PyTorch, forward and backward (repeats accumulate)', () => {
    checkFixture(fixtures, 'index_select_axis1', (x, i) => sd.indexSelect(x, 1, i));
    checkFixture(fixtures, 'index_select_axis0', (x, i) => sd.indexSelect(x, -2, i));
    checkFixture(fixtures, 'index_select_empty', (x, i) => sd.indexSelect(x, 0, i));
    checkFixture(fixtures, 'index_select_axis0', (x, i) => sd.gather(x, i));
    checkFixture(fixtures, 'gather_2d_indices', (x, i) => sd.gather(x, i, 0));
    checkFixture(fixtures, 'gather_axis_last_2d_indices', (x, i) => sd.gather(x, i, -1));
  });

  it('indexAdd matches PyTorch, forward and backward', () => {
    checkFixture(fixtures, 'index_add_axis1', (x, i, s) => sd.indexAdd(x, 1, i, s));
    checkFixture(fixtures, 'index_add_int32', (x, i, s) => sd.indexAdd(x, 0, i, s));
  });

  it('indexSelect matches PyTorch on a sliced input', () => {
    checkFixture(fixtures, 'index_select_of_sliced', (x, i) => sd.indexSelect(sd.index(x, ':, 1:'), 1, i));
  });

  it('accepts plain JS integer arrays as indices and works on transposed input', () => {
    const x = sd.tensor([[1, 2, 3], [4, 5, 6]]);
    assertClose(sd.indexSelect(x, 1, [2, 0]), [[3, 1], [6, 4]]);
    assertClose(sd.gather(sd.transpose(x), [2, 0]), [[3, 6], [1, 4]]);
    assertClose(sd.gather(x, 1, 1), [2, 5]);
    assert.deepEqual(sd.gather(x, 1, 1).shape, [2]);
    assertClose(sd.indexAdd(sd.zeros([3]), 0, [0, 2, 0], sd.tensor([1, 2, 3])), [4, 0, 2]);
  });

  it('rejects non-int32 indices, bad shapes and out-of-range or negative indices', () => {
    const x = sd.zeros([3, 4]);
    assertThrows(() => sd.indexSelect(x, 0, sd.tensor([0, 1])), sd.DTypeError, /indexSelect: indices must be int32 \(indices\), got float32/);
    assertThrows(() => sd.gather(x, [0.5]), sd.DTypeError, /gather: indices must be int32 \(indices\), got float32/);
    assertThrows(() => sd.indexAdd(x, 0, sd.tensor([true]), sd.zeros([1, 4])), sd.DTypeError, /indexAdd: indices must be int32 \(indices\), got bool/);
    assertThrows(() => sd.indexSelect(x, 1, [0, 4]), sd.ValueError, /indexSelect: indices holds 4 at position 1, out of range for axis 1 of x \[3,4\] \(valid: 0..3\)/);
    assertThrows(() => sd.gather(x, [[-1]]), sd.ValueError, /gather: indices holds -1 at position 0, out of range for axis 0 of x \[3,4\] \(valid: 0..2\)/);
    assertThrows(() => sd.indexSelect(sd.zeros([0, 2]), 0, [0]), sd.ValueError, /valid: none: the axis is empty/);
    assertThrows(() => sd.indexSelect(x, 0, int([0, 1], [1, 2])), sd.ShapeError, /indexSelect: indices must be 1-D, got shape \[1,2\]/);
    assertThrows(() => sd.indexSelect(x, 2, [0]), sd.ValueError, /indexSelect: axis 2 is out of range for a tensor of rank 2/);
    assertThrows(() => sd.gather(sd.scalar(1), [0]), sd.ShapeError, /gather: x must have at least 1 dimension, got a scalar/);
    assertThrows(() => sd.indexAdd(x, 1, [0, 1], sd.zeros([3, 3])), sd.ShapeError, /indexAdd: src must have shape \[3,2\] .* got \[3,3\]/);
    assertThrows(() => sd.indexAdd(x, 1, [0], sd.zeros([3, 1], 'float64')), sd.DTypeError, /indexAdd: src must have x's dtype float32, got float64/);
    assertThrows(() => sd.indexAdd(sd.zeros([2], 'bool'), 0, [0], sd.zeros([1], 'bool')), sd.DTypeError, /indexAdd: x must be numeric, got bool/);
    assertThrows(() => sd.indexAdd(x, 0, [5], sd.zeros([1, 4])), sd.ValueError, /indexAdd: indices holds 5 at position 0, out of range for axis 0 of x \[3,4\]/);
  });
});

it('gather and indexAdd gradients pass gradcheck', () => {
  checkGrad((x) => sd.indexSelect(x, 1, [2, 0, 2]), [sd.randn([2, 3])]);
  checkGrad((x) => sd.gather(x, int([1, 1, 0, 2], [2, 2]), 0), [sd.randn([3, 2])]);
  checkGrad((x, s) => sd.indexAdd(x, 0, [1, 1, 0], s), [sd.randn([2, 3]), sd.randn([3, 3])]);
});
