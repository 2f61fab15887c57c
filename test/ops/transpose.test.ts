import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((first, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]));
}

describeEachBackend('transpose', () => {
  it('matches PyTorch permute, forward and backward', () => {
    checkFixture(fixtures, 'transpose_default_3d', (x) => sd.transpose(x));
    checkFixture(fixtures, 'permute_nchw_to_nhwc', (x) => sd.permute(x, 0, 2, 3, 1));
    checkFixture(fixtures, 'permute_negative_axes', (x) => sd.transpose(x, [-2, -1, 0]));
    checkFixture(fixtures, 'transpose_2d_grad', (x) => sd.t(x));
    checkFixture(fixtures, 'transpose_size1_dims', (x) => sd.permute(x, [3, 1, 2, 0]));
    checkFixture(fixtures, 'transpose_zero_size', (x) => sd.transpose(x, [2, 0, 1]));
    checkFixture(fixtures, 'swapaxes_0_2', (x) => sd.swapAxes(x, 0, -1));
    checkFixture(fixtures, 'transpose_int32', (x) => sd.transpose(x));
  });

  it('copies matrices larger than one tile', () => {
    checkFixture(fixtures, 'transpose_2d_tiled', (x) => sd.transpose(x));
    checkFixture(fixtures, 'transpose_last_two_batched', (x) => sd.swapAxes(x, 1, 2));
  });

  it('agrees with a naive loop for every permutation, across tile edges', () => {
    for (const shape of [[3, 1, 4, 5], [34, 3, 35]]) {
      const x = sd.randn(shape);
      const inStrides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
      for (const perm of permutations(shape.map((_, d) => d))) {
        const y = sd.transpose(x, perm);
        const outShape = perm.map((p) => shape[p]);
        assert.deepEqual(y.shape, outShape);
        for (let i = 0; i < y.size; i++) {
          let rem = i;
          let src = 0;
          for (let d = outShape.length - 1; d >= 0; d--) {
            src += (rem % outShape[d]) * inStrides[perm[d]];
            rem = Math.floor(rem / outShape[d]);
          }
          if (y.values[i] !== x.values[src]) assert.fail(`shape [${shape}] perm [${perm}] element ${i}`);
        }
      }
    }
  });

  it('keeps bool and float64, returns x for the identity and leaves 0-D and 1-D to t', () => {
    const b = sd.tensor([[true, false], [false, false]]);
    assert.deepEqual(sd.transpose(b).array(), [[true, false], [false, false]].map((_, i, m) => m.map((r) => r[i])));
    assert.equal(sd.transpose(b).dtype, 'bool');
    const x = sd.randn([2, 3]);
    assert.equal(sd.transpose(x, [0, 1]), x);
    assert.equal(sd.t(sd.tensor([1, 2])).shape.length, 1);
    assert.deepEqual(sd.transpose(sd.scalar(3)).shape, []);
    assertClose(sd.t(sd.tensor([[1, 2, 3]])), [[1], [2], [3]]);
  });

  it('rejects bad permutations and ranks', () => {
    const x = sd.zeros([2, 3, 4]);
    assertThrows(() => sd.transpose(x, [0, 1]), sd.ValueError, /transpose: perm \[0,1\] has 2 entries but x has rank 3/);
    assertThrows(() => sd.transpose(x, [0, 1, 1]), sd.ValueError, /transpose: perm \[0,1,1\] is not a permutation/);
    assertThrows(() => sd.transpose(x, [0, -3, 2]), sd.ValueError, /not a permutation of the axes 0..2/);
    assertThrows(() => sd.permute(x, 0, 1, 3), sd.ValueError, /permute: axis 3 is out of range for a tensor of rank 3/);
    assertThrows(() => sd.swapAxes(x, 0, 5), sd.ValueError, /swapAxes: axis 5 is out of range/);
    assertThrows(() => sd.t(x), sd.ShapeError, /t: x must have at most 2 dimensions, got shape \[2,3,4\]/);
  });
});

it('transpose gradients pass gradcheck', () => {
  checkGrad((x) => sd.transpose(x), [sd.randn([2, 3, 4])]);
  checkGrad((x) => sd.permute(x, 1, 3, 0, 2), [sd.randn([2, 3, 2, 2])]);
  checkGrad((x) => sd.swapAxes(x, 0, 1), [sd.randn([3, 4])]);
  checkGrad((x) => sd.t(x), [sd.randn([4, 2])]);
});
