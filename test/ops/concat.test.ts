import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('concat, stack, split, chunk', () => {
  it('concat matches PyTorch, forward and backward', () => {
    checkFixture(fixtures, 'concat_axis1', (a, b, c) => sd.concat([a, b, c], 1));
    checkFixture(fixtures, 'concat_negative_axis', (a, b) => sd.concat([a, b], -1));
    checkFixture(fixtures, 'concat_axis0_3d', (a, b) => sd.concat([a, b]));
    checkFixture(fixtures, 'concat_of_transposed', (a, b) => sd.concat([sd.transpose(a), b], 0));
    checkFixture(fixtures, 'concat_bool', (a, b) => sd.concat([a, b]));
  });

  it('promotes dtypes like torch.cat', () => {
    checkFixture(fixtures, 'concat_promotes_int32', (a, b) => sd.concat([a, b]));
    assert.equal(sd.concat([sd.tensor([true]), sd.tensor(new Int32Array([2]))]).dtype, 'int32');
  });

  it('stack matches PyTorch, including scalars', () => {
    checkFixture(fixtures, 'stack_axis0', (a, b, c) => sd.stack([a, b, c]));
    checkFixture(fixtures, 'stack_axis_last', (a, b) => sd.stack([a, b], -1));
    checkFixture(fixtures, 'stack_scalars', (a, b) => sd.stack([a, b]));
  });

  it('split and chunk pieces match PyTorch, forward and backward', () => {
    checkFixture(fixtures, 'split_piece_middle', (x) => sd.split(x, 2, 1)[1]);
    checkFixture(fixtures, 'split_piece_last_short', (x) => sd.split(x, 2, 1)[2]);
    checkFixture(fixtures, 'split_sizes_piece', (x) => sd.split(x, [1, 3])[1]);
    checkFixture(fixtures, 'chunk_piece', (x) => sd.chunk(x, 3, -1)[2]);
  });

  it('stack and split match PyTorch on inputs produced by transpose and a strided slice', () => {
    checkFixture(fixtures, 'stack_of_transposed_and_sliced', (a, b) => sd.stack([sd.transpose(a), sd.index(b, ':, ::2')], 1));
    checkFixture(fixtures, 'split_of_transposed_piece', (x) => sd.split(sd.transpose(x), 2, 0)[1]);
  });

  it('gives PyTorch piece sizes', () => {
    const sizes = (ts: sd.Tensor[]): number[] => ts.map((t) => t.shape[0]);
    const x = sd.arange(5, undefined, 1, 'float32');
    assert.deepEqual(sizes(sd.split(x, 2)), [2, 2, 1]);
    assert.deepEqual(sizes(sd.split(x, 5)), [5]);
    assert.deepEqual(sizes(sd.split(x, 9)), [5]);
    assert.deepEqual(sizes(sd.split(x, [0, 5, 0])), [0, 5, 0]);
    assert.deepEqual(sizes(sd.chunk(x, 4)), [2, 2, 1]);
    assert.deepEqual(sizes(sd.chunk(sd.zeros([6]), 4)), [2, 2, 2]);
    assert.deepEqual(sizes(sd.chunk(sd.zeros([0]), 3)), [0, 0, 0]);
    assert.deepEqual(sizes(sd.split(sd.zeros([0]), 2)), [0]);
    assertClose(sd.split(x, [2, 3])[1], [2, 3, 4]);
  });

  it('unstack removes the axis and round-trips with stack', () => {
    const x = sd.randn([3, 2, 4]);
    const parts = sd.unstack(x, 1);
    assert.equal(parts.length, 2);
    assert.deepEqual(parts[0].shape, [3, 4]);
    assertClose(sd.stack(parts, 1), x);
  });

  it('concat and split round-trip, and size-0 inputs are fine', () => {
    const x = sd.randn([2, 7, 3]);
    assertClose(sd.concat(sd.split(x, [3, 0, 4], 1), 1), x);
    assert.deepEqual(sd.concat([sd.zeros([0, 3]), sd.zeros([0, 3])]).shape, [0, 3]);
    const one = sd.randn([2]);
    assert.equal(sd.concat([one]), one);
  });

  it('rejects mismatched shapes, naming the tensor and both shapes', () => {
    assertThrows(
      () => sd.concat([sd.zeros([2, 3]), sd.zeros([2, 1]), sd.zeros([3, 1])], 1),
      sd.ShapeError,
      /concat: tensor 2 has shape \[3,1\] but tensor 0 has shape \[2,3\]; they must agree except along axis 1/,
    );
    assertThrows(() => sd.concat([sd.zeros([2, 3]), sd.zeros([6])]), sd.ShapeError, /concat: tensor 1 has shape \[6\] but tensor 0 has shape \[2,3\]/);
    assertThrows(() => sd.concat([sd.scalar(1), sd.scalar(2)]), sd.ShapeError, /concat: cannot concatenate scalars/);
    assertThrows(() => sd.concat([]), sd.ValueError, /concat: expected a non-empty list of tensors, got an empty list/);
    assertThrows(() => sd.concat([sd.zeros([2])], 1), sd.ValueError, /concat: axis 1 is out of range for a tensor of rank 1/);
    assertThrows(() => sd.stack([sd.zeros([2]), sd.zeros([3])]), sd.ShapeError, /stack: tensor 1 has shape \[3\] but tensor 0 has shape \[2\]; all must be equal/);
    assertThrows(() => sd.stack([sd.zeros([2])], 2), sd.ValueError, /stack: axis 2 is out of range for inserting an axis into a tensor of rank 1 \(expected -2\.\.1\)/);
    assertThrows(() => sd.split(sd.zeros([5]), [2, 2]), sd.ValueError, /split: sizes \[2,2\] must be non-negative integers summing to 5, the size of axis 0 of x \[5\]/);
    assertThrows(() => sd.split(sd.zeros([5]), 0), sd.ValueError, /split: the piece size must be a positive integer, got 0/);
    assertThrows(() => sd.split(sd.scalar(1), 1), sd.ShapeError, /split: x must have at least 1 dimension/);
    assertThrows(() => sd.chunk(sd.zeros([5]), 0), sd.ValueError, /chunk: chunks must be a positive integer, got 0/);
    assertThrows(() => sd.chunk(sd.zeros([5]), 2, 1), sd.ValueError, /chunk: axis 1 is out of range/);
  });
});

it('concat, stack and split gradients pass gradcheck', () => {
  checkGrad((a, b) => sd.concat([a, b], 1), [sd.randn([2, 3]), sd.randn([2, 2])]);
  checkGrad((a, b) => sd.concat([a, b, a], 0), [sd.randn([1, 3]), sd.randn([2, 3])]);
  checkGrad((a, b) => sd.stack([a, b], 1), [sd.randn([2, 3]), sd.randn([2, 3])]);
  checkGrad((x) => sd.mul(sd.split(x, 2, 1)[0], sd.split(x, 2, 1)[2]), [sd.randn([3, 5])]);
  checkGrad((x) => sd.concat(sd.chunk(x, 2).reverse()), [sd.randn([5, 2])]);
});
