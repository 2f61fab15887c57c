import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');
const int = (values: number[], shape?: number[]): sd.Tensor => sd.tensor(Int32Array.from(values), shape);

describeEachBackend('takeAlongAxis, scatterAdd', () => {
  it('takeAlongAxis matches torch.gather, forward and backward', () => {
    checkFixture(fixtures, 'take_along_axis1', (x, i) => sd.takeAlongAxis(x, i, 1));
    checkFixture(fixtures, 'take_along_axis0_smaller', (x, i) => sd.takeAlongAxis(x, i, 0));
    checkFixture(fixtures, 'take_along_3d_negative_axis', (x, i) => sd.takeAlongAxis(x, i, -1));
  });

  it('scatterAdd matches torch.scatter_add, forward and backward in x and src', () => {
    checkFixture(fixtures, 'scatter_add_axis0', (x, i, s) => sd.scatterAdd(x, 0, i, s));
    checkFixture(fixtures, 'scatter_add_src_larger', (x, i, s) => sd.scatterAdd(x, 1, i, s));
    checkFixture(fixtures, 'scatter_add_int32', (x, i, s) => sd.scatterAdd(x, 0, i, s));
  });

  it('match PyTorch with empty indices and on a transposed input', () => {
    checkFixture(fixtures, 'scatter_add_empty_indices', (x, i, s) => sd.scatterAdd(x, 1, i, s));
    checkFixture(fixtures, 'take_along_of_transposed', (x, i) => sd.takeAlongAxis(sd.transpose(x), i, 1));
  });

  it('picks labels from transposed input and counts classes', () => {
    const logits = sd.tensor([[1, 4], [2, 5], [3, 6]]);
    assertClose(sd.takeAlongAxis(sd.transpose(logits), [[0], [2]], 1), [[1], [6]]);
    assertClose(sd.scatterAdd(sd.zeros([3]), 0, [2, 0, 2, 2], sd.ones([4])), [1, 0, 3]);
    assert.deepEqual(sd.takeAlongAxis(sd.zeros([2, 3]), int([], [2, 0]), 1).shape, [2, 0]);
  });

  it('rejects bad ranks, extents, dtypes and indices', () => {
    const x = sd.zeros([3, 4]);
    assertThrows(() => sd.takeAlongAxis(x, [0, 1], 1), sd.ShapeError, /takeAlongAxis: indices \[2\] must have the rank of x \[3,4\] \(2\)/);
    assertThrows(() => sd.takeAlongAxis(x, int([0, 0, 0, 0, 0], [5, 1]), 1), sd.ShapeError, /takeAlongAxis: indices \[5,1\] is larger than x \[3,4\] along axis 0 \(5 > 3\)/);
    assertThrows(() => sd.takeAlongAxis(x, sd.zeros([3, 1]), 1), sd.DTypeError, /takeAlongAxis: indices must be int32 \(indices\), got float32/);
    assertThrows(() => sd.takeAlongAxis(x, [[4]], 1), sd.ValueError, /takeAlongAxis: indices holds 4 at position 0, out of range for axis 1 of x \[3,4\] \(valid: 0..3\)/);
    assertThrows(() => sd.takeAlongAxis(x, [[-1]], 0), sd.ValueError, /takeAlongAxis: indices holds -1 .* \(valid: 0..2\)/);
    assertThrows(() => sd.takeAlongAxis(x, [[0]], 2), sd.ValueError, /takeAlongAxis: axis 2 is out of range for a tensor of rank 2/);
    assertThrows(() => sd.takeAlongAxis(sd.scalar(1), sd.scalar(0, 'int32'), 0), sd.ShapeError, /takeAlongAxis: x must have at least 1 dimension/);
    assertThrows(() => sd.scatterAdd(x, 0, [[0, 1]], sd.zeros([1, 1])), sd.ShapeError, /scatterAdd: indices \[1,2\] must have src's rank and no dimension larger than src \[1,1\]/);
    assertThrows(() => sd.scatterAdd(x, 0, [[0]], sd.zeros([1])), sd.ShapeError, /scatterAdd: indices \[1,1\] must have src's rank/);
    assertThrows(() => sd.scatterAdd(x, 0, [[3]], sd.zeros([1, 1])), sd.ValueError, /scatterAdd: indices holds 3 at position 0, out of range for axis 0 of x \[3,4\]/);
    assertThrows(() => sd.scatterAdd(x, 0, [[0]], sd.zeros([1, 1], 'int32')), sd.DTypeError, /scatterAdd: src must have x's dtype float32, got int32/);
    assertThrows(() => sd.scatterAdd(sd.zeros([2], 'bool'), 0, [0], sd.zeros([1], 'bool')), sd.DTypeError, /scatterAdd: x must be numeric, got bool/);
  });
});

it('takeAlongAxis and scatterAdd gradients pass gradcheck', () => {
  checkGrad((x) => sd.takeAlongAxis(x, int([0, 2, 2, 1], [2, 2]), 1), [sd.randn([2, 3])]);
  checkGrad((x) => sd.takeAlongAxis(x, int([1, 1, 0], [1, 3]), 0), [sd.randn([2, 4])]);
  checkGrad((x, s) => sd.scatterAdd(x, 1, int([0, 0, 2, 1], [2, 2]), s), [sd.randn([2, 3]), sd.randn([3, 3])]);
});
