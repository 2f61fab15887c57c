import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('flip', () => {
  it('matches torch.flip, forward and backward', () => {
    checkFixture(fixtures, 'flip_axes_0_2', (x) => sd.flip(x, [0, 2]));
    checkFixture(fixtures, 'flip_negative_axis', (x) => sd.flip(x, -1));
    checkFixture(fixtures, 'flip_all', (x) => sd.reverse(x));
    checkFixture(fixtures, 'flip_of_transposed', (x) => sd.flip(sd.t(x), 0));
  });

  it('handles scalars, size-0 and size-1 axes and int32', () => {
    const s = sd.scalar(2);
    assert.equal(sd.flip(s), s);
    assert.deepEqual(sd.flip(sd.zeros([0, 3]), 0).shape, [0, 3]);
    assertClose(sd.flip(sd.tensor([[1, 2, 3]]), [0, 1]), [[3, 2, 1]]);
    const i = sd.flip(sd.tensor(new Int32Array([1, 2, 3])));
    assert.equal(i.dtype, 'int32');
    assertClose(i, [3, 2, 1]);
  });

  it('rejects invalid and repeated axes', () => {
    assertThrows(() => sd.flip(sd.zeros([2, 3]), 2), sd.ValueError, /flip: axis 2 is out of range for a tensor of rank 2/);
    assertThrows(() => sd.flip(sd.zeros([2, 3]), [1, -1]), sd.ValueError, /flip: axes contain a repeated axis: \[1,-1\]/);
  });
});

it('flip gradients pass gradcheck', () => {
  checkGrad((x) => sd.flip(x, [0, 2]), [sd.randn([2, 3, 2])]);
  checkGrad((x) => sd.flip(x), [sd.randn([3, 2])]);
});
