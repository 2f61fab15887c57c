import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('pad', () => {
  it('constant padding matches PyTorch, forward and backward', () => {
    checkFixture(fixtures, 'pad_constant_2d', (x) => sd.pad(x, [[1, 2], [0, 3]]));
    checkFixture(fixtures, 'pad_constant_value', (x) => sd.pad(x, [[2, 0], [0, 0], [1, 1]], 'constant', 1.5));
    checkFixture(fixtures, 'pad_constant_value', (x) => sd.pad(x, [[2, 0], [0, 0], [1, 1]], 1.5));
    checkFixture(fixtures, 'pad_zero_size', (x) => sd.pad(x, [[0, 0], [1, 1]]));
    checkFixture(fixtures, 'pad_int32', (x) => sd.pad(x, [[0, 0], [1, 0]], 7));
  });

  it('reflect padding matches PyTorch and NumPy, forward and backward', () => {
    checkFixture(fixtures, 'pad_reflect_1d_torch', (x) => sd.pad(x, [[0, 0], [0, 0], [2, 3]], 'reflect'));
    checkFixture(fixtures, 'pad_reflect_2d_torch', (x) => sd.pad(x, [[0, 0], [0, 0], [2, 1], [1, 2]], 'reflect'));
    checkFixture(fixtures, 'pad_reflect_all_axes', (x) => sd.pad(x, [[1, 2], [2, 1], [0, 3]], 'reflect'));
  });

  it('reflect padding matches PyTorch on a transposed input', () => {
    checkFixture(fixtures, 'pad_reflect_of_transposed', (x) => sd.pad(sd.transpose(x), [[1, 1], [2, 0]], 'reflect'));
  });

  it('does not repeat the edge when reflecting', () => {
    assertClose(sd.pad(sd.tensor([1, 2, 3]), [[2, 2]], 'reflect'), [3, 2, 1, 2, 3, 2, 1]);
    assertClose(sd.pad(sd.tensor([1, 2]), [[1, 1]], 'reflect'), [2, 1, 2, 1]);
    assertClose(sd.pad(sd.tensor([[1, 2, 3]]), [[0, 0], [1, 0]], 'reflect'), [[2, 1, 2, 3]]);
  });

  it('pads input produced by transpose and keeps dtype; zero padding returns x', () => {
    const x = sd.tensor([[1, 2], [3, 4]]);
    assertClose(sd.pad(sd.transpose(x), [[1, 0], [0, 1]]), [[0, 0, 0], [1, 3, 0], [2, 4, 0]]);
    assert.equal(sd.pad(x, [[0, 0], [0, 0]]), x);
    assert.equal(sd.pad(sd.tensor([true]), [[1, 1]]).dtype, 'bool');
    assert.deepEqual(sd.pad(sd.scalar(2), []).shape, []);
  });

  it('rejects bad paddings, modes and too large reflections', () => {
    const x = sd.zeros([2, 3]);
    assertThrows(() => sd.pad(x, [[1, 1]]), sd.ValueError, /pad: paddings \[\[1,1\]\] must hold one \[before, after\] pair per axis of x \[2,3\] \(2\)/);
    assertThrows(() => sd.pad(x, [[1, 1], [-1, 0]]), sd.ValueError, /pad: paddings\[1\] must be \[before, after\] with non-negative integers, got \[-1,0\]/);
    assertThrows(() => sd.pad(x, [[1, 1], [0.5, 0]]), sd.ValueError, /pad: paddings\[1\] must be/);
    assertThrows(() => sd.pad(x, [[0, 0], [0, 3]], 'reflect'), sd.ValueError, /pad: reflect padding \[0,3\] of axis 1 must be smaller than its size 3 \(x is \[2,3\]\)/);
    assertThrows(() => sd.pad(x, [[2, 0], [0, 0]], 'reflect'), sd.ValueError, /reflect padding \[2,0\] of axis 0 must be smaller than its size 2/);
    assertThrows(() => sd.pad(x, [[0, 0], [1, 1]], 'edge' as 'reflect'), sd.ValueError, /pad: mode must be 'constant' or 'reflect', got 'edge'/);
  });
});

it('pad gradients pass gradcheck', () => {
  checkGrad((x) => sd.pad(x, [[1, 0], [2, 3]], 0.5), [sd.randn([2, 3])]);
  checkGrad((x) => sd.pad(x, [[1, 2], [2, 2]], 'reflect'), [sd.randn([4, 3])]);
  checkGrad((x) => sd.pad(x, [[0, 0], [1, 1], [2, 1]], 'reflect'), [sd.randn([2, 2, 4])]);
});
