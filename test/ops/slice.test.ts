import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('slice and index', () => {
  it('slice (tfjs style) matches PyTorch, forward and backward', () => {
    checkFixture(fixtures, 'slice_box', (x) => sd.slice(x, [1, 0], [2, 2]));
    checkFixture(fixtures, 'slice_to_end', (x) => sd.slice(x, [0, 1], [-1, -1]));
  });

  it('index (Python style) matches PyTorch/NumPy, with negative steps and clipping', () => {
    checkFixture(fixtures, 'index_int_and_step', (x) => sd.index(x, '1:, ::2, -1'));
    checkFixture(fixtures, 'index_int_and_step', (x) => sd.index(x, [1], [null, null, 2], -1));
    checkFixture(fixtures, 'index_negative_steps', (x) => sd.index(x, '::-1, 4:0:-2'));
    checkFixture(fixtures, 'index_negative_steps', (x) => sd.index(x, [null, null, -1], [4, 0, -2]));
    checkFixture(fixtures, 'index_negative_bounds', (x) => sd.index(x, null, [-3, null, -1]));
    checkFixture(fixtures, 'index_clipped_bounds', (x) => sd.index(x, [-10, 10], [2, 100]));
    checkFixture(fixtures, 'index_ellipsis', (x) => sd.index(x, '...', 1));
    checkFixture(fixtures, 'index_empty', (x) => sd.index(x, '2:1'));
    checkFixture(fixtures, 'index_of_transposed', (x) => sd.index(sd.t(x), [1, 3], [null, null, 2]));
    checkFixture(fixtures, 'index_int32', (x) => sd.index(x, '::2, 1'));
  });

  it('follows Python for the corner cases of slices', () => {
    const x = sd.arange(5, undefined, 1, 'float32');
    assertClose(sd.index(x, '::-2'), [4, 2, 0]);
    assertClose(sd.index(x, '-1:-6:-1'), [4, 3, 2, 1, 0]);
    assertClose(sd.index(x, '10::-1'), [4, 3, 2, 1, 0]);
    assertClose(sd.index(x, '-10:2'), [0, 1]);
    assertClose(sd.index(x, '3:-10:-1'), [3, 2, 1, 0]);
    assert.deepEqual(sd.index(x, '0:0').shape, [0]);
    assert.deepEqual(sd.index(x, '4:5:-1').shape, [0]);
    assertClose(sd.index(x, -1), 4);
    assert.deepEqual(sd.index(x, -1).shape, []);
    assert.deepEqual(sd.index(sd.zeros([0, 3]), ':, 1:').shape, [0, 2]);
    assert.deepEqual(sd.index(sd.zeros([2, 3, 4]), '...').shape, [2, 3, 4]);
    assert.deepEqual(sd.index(sd.zeros([2, 3, 4]), 0, '...', 0).shape, [3]);
    const s = sd.scalar(7);
    assert.equal(sd.index(s), s);
    assert.equal(sd.slice(s, []), s);
  });

  it('slice of a slice, and of a flipped tensor, matches direct indexing', () => {
    const x = sd.reshape(sd.arange(24, undefined, 1, 'float32'), [4, 6]);
    const twice = sd.index(sd.index(x, '1:, ::-1'), '::2, 1:4');
    assertClose(twice, [[10, 9, 8], [22, 21, 20]]); // rows 1 and 3, reversed, columns 1..3
    assertClose(sd.index(sd.flip(x, 1), '0, :3'), [5, 4, 3]);
  });

  it('returns the input itself for a full slice and keeps dtypes', () => {
    const x = sd.randn([2, 3]);
    assert.equal(sd.slice(x, [0, 0], [-1, -1]), x);
    assert.equal(sd.index(x, ':, :'), x);
    assert.equal(sd.index(sd.tensor([true, false, true]), '1:').dtype, 'bool');
    assert.equal(sd.slice(sd.zeros([3], 'float64'), 1).dtype, 'float64');
  });

  it('rejects out-of-range boxes and bad specs', () => {
    const x = sd.zeros([3, 4]);
    assertThrows(() => sd.slice(x, [0, 5]), sd.ValueError, /slice: begin\[1\] = 5 is out of range for axis 1 of size 4 in \[3,4\] \(expected 0..4\)/);
    assertThrows(() => sd.slice(x, [-1, 0]), sd.ValueError, /slice: begin\[0\] = -1 is out of range/);
    assertThrows(() => sd.slice(x, [1, 0], [3, 2]), sd.ValueError, /slice: size\[0\] = 3 does not fit axis 0 of size 3 from begin 1 .*expected -1 or 0..2/);
    assertThrows(() => sd.slice(x, [0, 0, 0]), sd.ValueError, /slice: begin \[0,0,0\] and size \[\] must have at most rank 2 entries/);
    assertThrows(() => sd.slice(x, [0.5]), sd.ValueError, /slice: begin\[0\] = 0.5/);
    assertThrows(() => sd.index(x, 3), sd.ValueError, /index: index 3 is out of range for axis 0 of size 3 in \[3,4\] \(valid: -3..2\)/);
    assertThrows(() => sd.index(x, ':', -5), sd.ValueError, /index: index -5 is out of range for axis 1 of size 4/);
    assertThrows(() => sd.index(x, '::0'), sd.ValueError, /index: slice step must not be zero \(axis 0\)/);
    assertThrows(() => sd.index(x, 0, 0, 0), sd.ValueError, /index: 3 specs given for a tensor of rank 2/);
    assertThrows(() => sd.index(x, '...', '...'), sd.ValueError, /index: at most one '...' is allowed, got 2/);
    assertThrows(() => sd.index(x, '1:a'), sd.ValueError, /index: cannot parse '1:a'/);
    assertThrows(() => sd.index(x, '1:2:3:4'), sd.ValueError, /index: cannot parse '1:2:3:4'/);
    assertThrows(() => sd.index(x, 1.5), sd.ValueError, /index: an index must be an integer, got 1.5/);
    assertThrows(() => sd.index(x, [0.5, 2]), sd.ValueError, /index: slice \[0.5,2\] must hold integers or null/);
    assertThrows(() => sd.index(sd.scalar(1), 0), sd.ValueError, /index: 1 specs given for a tensor of rank 0/);
  });
});

it('slice gradients pass gradcheck, for any step', () => {
  checkGrad((x) => sd.slice(x, [1, 1], [2, -1]), [sd.randn([3, 4])]);
  checkGrad((x) => sd.index(x, '::-1, 1::2'), [sd.randn([3, 5])]);
  checkGrad((x) => sd.index(x, 1, '4:0:-3', '...'), [sd.randn([2, 6, 2])]);
  checkGrad((x) => sd.index(x, '...', -1), [sd.randn([2, 3])]);
  checkGrad((x) => sd.index(x, '5:2'), [sd.randn([6])]);
});

it('slice gradients accumulate when a tensor is sliced twice', () => {
  const x = sd.randn([4]).requiresGrad_();
  sd.sum(sd.add(sd.index(x, '::2'), sd.index(x, ':2'))).backward();
  assertClose(x.grad!, [2, 1, 1, 0]);
});
