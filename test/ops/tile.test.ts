import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('tile', () => {
  it('matches torch.tile, forward and backward', () => {
    checkFixture(fixtures, 'tile_same_rank', (x) => sd.tile(x, [2, 3]));
    checkFixture(fixtures, 'tile_more_reps', (x) => sd.tile(x, [2, 1, 2]));
    checkFixture(fixtures, 'tile_fewer_reps', (x) => sd.tile(x, [3]));
    checkFixture(fixtures, 'tile_zero_rep', (x) => sd.tile(x, [0, 2]));
    checkFixture(fixtures, 'tile_int32', (x) => sd.tile(x, [2]));
  });

  it('matches torch.tile on a strided slice, forward and backward', () => {
    checkFixture(fixtures, 'tile_of_sliced', (x) => sd.tile(sd.index(x, '::2'), [2, 1]));
  });

  it('tiles scalars, transposed input and bool', () => {
    assertClose(sd.tile(sd.scalar(3), [2, 2]), [[3, 3], [3, 3]]);
    assertClose(sd.tile(sd.transpose(sd.tensor([[1, 2]])), [1, 2]), [[1, 1], [2, 2]]);
    assert.deepEqual(sd.tile(sd.tensor([true, false]), [2]).array(), [true, false, true, false]);
    assert.deepEqual(sd.tile(sd.zeros([2]), [1, 1]).shape, [1, 2]);
  });

  it('rejects bad reps', () => {
    assertThrows(() => sd.tile(sd.zeros([2]), [-1]), sd.ValueError, /tile: reps must be a list of non-negative integers, got \[-1\]/);
    assertThrows(() => sd.tile(sd.zeros([2]), [1.5]), sd.ValueError, /tile: reps must be a list of non-negative integers/);
  });
});

it('tile gradients pass gradcheck', () => {
  checkGrad((x) => sd.tile(x, [2, 3]), [sd.randn([2, 2])]);
  checkGrad((x) => sd.tile(x, [2, 1, 3]), [sd.randn([3, 1])]);
  checkGrad((x) => sd.tile(x, [2]), [sd.randn([2, 3])]);
});
