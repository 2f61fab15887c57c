import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('broadcastTo', () => {
  it('matches Tensor.expand, forward and backward', () => {
    checkFixture(fixtures, 'broadcast_to_new_and_stretched', (x) => sd.broadcastTo(x, [2, 3, 4]));
    checkFixture(fixtures, 'broadcast_to_scalar', (x) => sd.broadcastTo(x, [2, 2]));
    checkFixture(fixtures, 'broadcast_to_middle', (x) => sd.expand(x, [2, 5, 3]));
    checkFixture(fixtures, 'broadcast_to_middle', (x) => sd.expand(x, [-1, 5, -1]));
    checkFixture(fixtures, 'broadcast_to_zero_size', (x) => sd.broadcastTo(x, [0, 3]));
    checkFixture(fixtures, 'broadcast_to_int32', (x) => sd.broadcastTo(x, [2, 3]));
  });

  it('matches Tensor.expand on a strided slice, forward and backward', () => {
    checkFixture(fixtures, 'broadcast_to_of_sliced', (x) => sd.broadcastTo(sd.index(x, ':, ::3'), [2, 4, 2]));
  });

  it('broadcasts transposed input and bool, and returns x when nothing changes', () => {
    const x = sd.tensor([[1, 2]]);
    assertClose(sd.broadcastTo(sd.transpose(x), [2, 3]), [[1, 1, 1], [2, 2, 2]]);
    assert.deepEqual(sd.broadcastTo(sd.tensor([true]), [2]).array(), [true, true]);
    assert.equal(sd.broadcastTo(x, [1, 2]), x);
    assert.equal(sd.broadcastTo(x, [-1, -1]), x);
  });

  it('unbroadcast sums a gradient back to the input shape', () => {
    const g = sd.ones([2, 3, 4]);
    assertClose(sd.unbroadcast(g, [3, 1]), [[4], [4], [4]].map((r) => r.map((v) => v * 2)));
    assert.deepEqual(sd.unbroadcast(g, []).shape, []);
    assert.equal(sd.unbroadcast(g, [2, 3, 4]), g);
  });

  it('rejects shapes x cannot broadcast to', () => {
    assertThrows(() => sd.broadcastTo(sd.zeros([2, 3]), [3]), sd.ShapeError, /broadcastTo: cannot broadcast \[2,3\] to fewer dimensions \[3\]/);
    assertThrows(
      () => sd.broadcastTo(sd.zeros([2, 3]), [4, 4, 3]),
      sd.ShapeError,
      /broadcastTo: cannot broadcast \[2,3\] to \[4,4,3\] \(dimension 0 is 2, expected 1 or 4\)/,
    );
    assertThrows(() => sd.broadcastTo(sd.zeros([3]), [-1, 3]), sd.ValueError, /broadcastTo: shape \[-1,3\] must hold non-negative integers/);
    assertThrows(() => sd.broadcastTo(sd.zeros([1]), [2.5]), sd.ValueError, /broadcastTo: shape \[2.5\] must hold non-negative integers/);
  });
});

it('broadcastTo gradients pass gradcheck', () => {
  checkGrad((x) => sd.broadcastTo(x, [2, 3, 4]), [sd.randn([3, 1])]);
  checkGrad((x) => sd.broadcastTo(x, [3, 2]), [sd.randn([])]);
  checkGrad((x) => sd.broadcastTo(x, [2, 4, 3]), [sd.randn([2, 1, 3])]);
});
