import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('linalg');
const mm = (a: sd.Tensor, b: sd.Tensor): sd.Tensor => sd.matmul(a, b);

/** matmul with the transpose flags the fixture recorded. */
function matmulCase(name: string): (a: sd.Tensor, b: sd.Tensor) => sd.Tensor {
  const args = fixtures.get(name)!.args as sd.MatmulOptions;
  return (a, b) => sd.matmul(a, b, args);
}

describeEachBackend('matmul', () => {
  it('matches PyTorch for every rank combination, forward and backward', () => {
    for (const name of [
      'matmul_1d_1d', 'matmul_1d_2d', 'matmul_2d_1d', 'matmul_2d_2d', 'matmul_1d_3d', 'matmul_3d_1d',
      'matmul_3d_2d', 'matmul_2d_3d', 'matmul_3d_3d', 'matmul_large_odd',
    ]) {
      checkFixture(fixtures, name, mm);
    }
  });

  it('broadcasts batch dimensions, including size-1 ones, and reduces their gradients', () => {
    checkFixture(fixtures, 'matmul_broadcast_batch', mm);
    checkFixture(fixtures, 'matmul_broadcast_batch_both', mm);
    checkFixture(fixtures, 'matmul_size1_dims', mm);
  });

  it('reads operands transposed through the flags', () => {
    for (const name of [
      'matmul_tA', 'matmul_tB', 'matmul_tA_tB', 'matmul_tA_batch_broadcast', 'matmul_tB_3d_2d',
      'matmul_tA_tB_batch', 'matmul_tA_3d_2d', 'matmul_tB_1d_2d', 'matmul_large_tA_tB',
    ]) {
      checkFixture(fixtures, name, matmulCase(name));
    }
  });

  it('handles empty dimensions: no rows, an empty inner dimension (zeros), an empty batch', () => {
    checkFixture(fixtures, 'matmul_empty_rows', mm);
    checkFixture(fixtures, 'matmul_empty_inner', mm);
    checkFixture(fixtures, 'matmul_empty_batch', mm);
  });

  it('takes inputs produced by transpose and slice', () => {
    // matmul_tA stores a as [K,M]; transposing it explicitly must agree with the flag.
    checkFixture(fixtures, 'matmul_tA', (a, b) => sd.matmul(sd.transpose(a), b));
    checkFixture(fixtures, 'matmul_tA_tB_batch', (a, b) => sd.matmul(sd.swapAxes(a, -1, -2), sd.swapAxes(b, -1, -2)));
    const x = sd.reshape(sd.arange(12, undefined, 1, 'float32'), [3, 4]);
    const rows = sd.slice(x, [1, 0], [2, 4]); // rows 1..2
    assertClose(sd.matmul(rows, sd.ones([4, 1])), [[22], [38]]);
  });

  it('keeps the tfjs spelling matMul(a, b, transposeA, transposeB)', () => {
    const a = sd.tensor([[1, 2], [3, 4]]);
    const b = sd.tensor([[5, 6], [7, 8]]);
    assertClose(sd.matMul(a, b, false, true), [[17, 23], [39, 53]]);
    assertClose(sd.matMul(a, b, true, false), [[26, 30], [38, 44]]);
  });

  it('computes a 1-D dot product as a scalar and promotes float32 with float64', () => {
    const y = sd.matmul(sd.tensor([1, 2, 3]), sd.tensor([4, 5, 6]));
    assert.deepEqual([...y.shape], []);
    assert.equal(y.item(), 32);
    assert.equal(sd.matmul(sd.ones([2, 2]), sd.ones([2, 2], 'float64')).dtype, 'float64');
  });

  it('rejects mismatched shapes, scalars and non-float dtypes with messages naming the shapes', () => {
    assertThrows(
      () => sd.matmul(sd.zeros([32, 784]), sd.zeros([128, 10])),
      sd.ShapeError,
      /^matmul: inner dimensions differ: a is \[32,784\], b is \[128,10\] \(784 ≠ 128\)$/,
    );
    assertThrows(
      () => sd.matmul(sd.zeros([3, 4]), sd.zeros([3, 4]), { transposeB: true, transposeA: true }),
      sd.ShapeError,
      /matmul: inner dimensions differ: a is \[3,4\], b is \[3,4\] \(3 ≠ 4\) with transposeA, transposeB/,
    );
    assertThrows(() => sd.matmul(sd.zeros([3]), sd.zeros([4])), sd.ShapeError, /inner dimensions differ: a is \[3\], b is \[4\] \(3 ≠ 4\)/);
    assertThrows(
      () => sd.matmul(sd.zeros([2, 3, 4]), sd.zeros([5, 4, 6])),
      sd.ShapeError,
      /matmul: batch dimensions do not broadcast: a is \[2,3,4\], b is \[5,4,6\] \(batch \[2\] vs \[5\]\)/,
    );
    assertThrows(() => sd.matmul(sd.scalar(2), sd.zeros([2])), sd.ShapeError, /matmul: a must have at least 1 dimension, got a scalar/);
    assertThrows(() => sd.matmul(sd.zeros([2]), 3), sd.ShapeError, /matmul: b must have at least 1 dimension, got a scalar/);
    assertThrows(
      () => sd.matmul(sd.tensor(new Int32Array([1, 2])), sd.zeros([2])),
      sd.DTypeError,
      /matmul: a must be float32 or float64, got int32/,
    );
    assertThrows(() => sd.matmul(sd.zeros([2]), sd.tensor([true, false])), sd.DTypeError, /matmul: b must be float32 or float64, got bool/);
  });
});

it('matmul gradients pass gradcheck for every rank combination and transpose', () => {
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([5]), sd.randn([5])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([4]), sd.randn([4, 3])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([3, 4]), sd.randn([4])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([3, 4]), sd.randn([4, 2])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([2, 3, 4]), sd.randn([4, 2])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([3, 4]), sd.randn([2, 4, 2])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([2, 1, 3, 4]), sd.randn([3, 4, 2])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([4]), sd.randn([2, 4, 3])]);
  checkGrad((a, b) => sd.matmul(a, b), [sd.randn([2, 3, 4]), sd.randn([4])]);
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const opts = { transposeA, transposeB };
      // M = 3, K = 4, N = 2, each operand stored as its flag says
      const a = (...batch: number[]) => sd.randn([...batch, ...(transposeA ? [4, 3] : [3, 4])]);
      const b = (...batch: number[]) => sd.randn([...batch, ...(transposeB ? [2, 4] : [4, 2])]);
      checkGrad((x, y) => sd.matmul(x, y, opts), [a(), b()]);
      checkGrad((x, y) => sd.matmul(x, y, opts), [a(2, 1), b(3)]);
      checkGrad((x, y) => sd.matmul(x, y, opts), [a(2), b()]);
      checkGrad((x, y) => sd.matmul(x, y, opts), [a(), b(2)]);
    }
  }
});

it('matmul in float64 agrees with a direct sum over K for a blocked size', () => {
  const a = sd.randn([70, 300], { dtype: 'float64' });
  const b = sd.randn([300, 9], { dtype: 'float64' });
  const y = sd.matmul(a, b);
  let expected = 0;
  for (let p = 0; p < 300; p++) expected += a.values[69 * 300 + p] * b.values[p * 9 + 8];
  assert.ok(Math.abs(y.values[69 * 9 + 8] - expected) < 1e-10);
});
