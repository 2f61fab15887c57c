import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers.js';

const A = sd.data.augment;

describe('data.augment photometric', () => {
  it('shifts each image by one brightness offset within ±delta, clipping on request', () => {
    const x = sd.rand([6, 3, 4, 4]);
    const out = A.randomBrightness(0.2, { seed: 1 })(x);
    for (let n = 0; n < 6; n++) {
      const d = out.values[n * 48] - x.values[n * 48];
      assert.ok(Math.abs(d) <= 0.2);
      for (let i = n * 48; i < (n + 1) * 48; i++) assert.ok(Math.abs(out.values[i] - x.values[i] - d) < 1e-6);
    }
    const clipped = A.randomBrightness([0.5, 0.5], { clip: [0, 1] })(sd.full([1, 1, 2, 2], 0.8));
    assertClose(clipped, [[[[1, 1], [1, 1]]]]);
  });

  it('scales contrast around each channel mean, keeping the mean', () => {
    const x = sd.tensor([[[[0, 1], [2, 3]], [[10, 10], [10, 30]]]]);
    assertClose(A.randomContrast([2, 2])(x), [[[[-1.5, 0.5], [2.5, 4.5]], [[5, 5], [5, 45]]]]);
    assertClose(A.randomContrast(0)(x), x);
    const out = A.randomContrast(0.5, { seed: 3 })(sd.rand([4, 2, 5, 5]));
    assert.deepEqual([...out.shape], [4, 2, 5, 5]);
    assertThrows(() => A.randomContrast(1.5), sd.ValueError, /contrast factor must stay ≥ 0/);
  });

  it('adds Gaussian noise of the given std, none with std 0', () => {
    const x = sd.zeros([10, 1, 20, 20]);
    const noisy = A.gaussianNoise(0.1, { seed: 4 })(x);
    const v = Array.from(noisy.values);
    const mean = v.reduce((s, a) => s + a, 0) / v.length;
    const std = Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length);
    assert.ok(Math.abs(mean) < 0.01 && Math.abs(std - 0.1) < 0.005, `mean ${mean}, std ${std}`);
    assertClose(A.gaussianNoise(0)(x), x);
    assertThrows(() => A.gaussianNoise(-1), sd.ValueError, /std must be a non-negative number, got -1/);
  });

  it('keeps float64', () => {
    assert.equal(A.gaussianNoise(0.1)(sd.zeros([1, 1, 2, 2], 'float64')).dtype, 'float64');
  });
});
