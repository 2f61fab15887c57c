import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers.js';

const A = sd.data.augment;

/** A batch [n,c,h,w] whose value at (n, c, y, x) is `f(n, c, y, x)`. */
function batch(n: number, c: number, h: number, w: number, f: (n: number, c: number, y: number, x: number) => number): sd.Tensor {
  const v = new Float32Array(n * c * h * w);
  let i = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < c; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v[i++] = f(a, b, y, x);
  return sd.tensor(v, [n, c, h, w]);
}

describe('data.augment geometric', () => {
  it('flips every image with p = 1, none with p = 0, all channels together', () => {
    const x = batch(2, 2, 2, 3, (n, c, y, xx) => 100 * n + 10 * c + 3 * y + xx);
    const h = A.randomFlip('horizontal', { p: 1 })(x);
    assert.deepEqual(sd.data.takeRows(h, [0]).array(), [[[[2, 1, 0], [5, 4, 3]], [[12, 11, 10], [15, 14, 13]]]]);
    const v = A.randomFlip('vertical', { p: 1 })(x);
    assert.deepEqual(Array.from(v.values.subarray(0, 6)), [3, 4, 5, 0, 1, 2]);
    assert.deepEqual(Array.from(A.randomFlip('horizontalAndVertical', { p: 0 })(x).values), Array.from(x.values));
  });

  it('flips about half of a batch with p = 0.5, the same ones for the same seed', () => {
    const x = batch(200, 1, 1, 2, (_n, _c, _y, xx) => xx);
    const flipped = (t: sd.Tensor) => Array.from({ length: 200 }, (_, n) => t.values[2 * n] === 1);
    const a = flipped(A.randomFlip('horizontal', { seed: 5 })(x));
    const b = flipped(A.randomFlip('horizontal', { seed: 5 })(x));
    assert.deepEqual(a, b);
    const count = a.filter(Boolean).length;
    assert.ok(count > 70 && count < 130, `${count} of 200 flipped`);
  });

  it('rotates counter-clockwise about the centre; 0° is the identity', () => {
    const x = batch(1, 1, 3, 3, (_n, _c, y, xx) => 3 * y + xx);
    const r90 = A.randomRotation([90, 90])(x);
    // the top-middle pixel (1) moves to the left-middle
    assertClose(r90, [[[[2, 5, 8], [1, 4, 7], [0, 3, 6]]]], { atol: 1e-5 });
    assertClose(A.randomRotation([90, 90], { interpolation: 'nearest' })(x), [[[[2, 5, 8], [1, 4, 7], [0, 3, 6]]]]);
    assertClose(A.randomRotation(0)(x), x);
    // 45°: corners come from outside and get the fill value
    const r45 = A.randomRotation([45, 45], { fill: -1 })(batch(1, 1, 7, 7, () => 1));
    assert.equal(r45.values[0], -1);
    assert.equal(r45.values[24], 1);
  });

  it('translates by a sub-pixel shift: a linear ramp stays a ramp, offset by one constant', () => {
    const x = batch(4, 1, 4, 8, (_n, _c, _y, xx) => xx);
    const out = A.randomTranslation({ width: 0.25, seed: 2, fill: NaN })(x);
    for (let n = 0; n < 4; n++) {
      const row = Array.from(out.values.subarray(n * 32, n * 32 + 8));
      const shifts = row.map((v, xx) => xx - v).filter((d) => !Number.isNaN(d));
      assert.ok(shifts.length >= 6, `row ${n}: ${row}`);
      for (const d of shifts) assert.ok(Math.abs(d - shifts[0]) < 1e-5 && Math.abs(d) <= 2, `row ${n}: ${row}`);
      // every row of the image moved by the same amount
      assert.deepEqual(Array.from(out.values.subarray(n * 32 + 8, n * 32 + 16)), row);
    }
  });

  it('crops a window of the requested size from the padded image', () => {
    const x = batch(3, 2, 4, 4, (_n, c, y, xx) => 100 * c + 4 * y + xx);
    const out = A.randomCrop([2, 2], { seed: 1 })(x);
    assert.deepEqual([...out.shape], [3, 2, 2, 2]);
    for (let n = 0; n < 3; n++) {
      const [a, b, c, d, e] = Array.from(out.values.subarray(n * 8, n * 8 + 5));
      assert.deepEqual([b, c, d, e], [a + 1, a + 4, a + 5, a + 100]); // a 2×2 block, same place in both channels
    }
    const padded = A.randomCrop([4, 4], { padding: 2, fill: -1, seed: 3 })(x);
    assert.deepEqual([...padded.shape], [3, 2, 4, 4]);
    assert.ok(Array.from(padded.values).some((v) => v === -1));
    assertClose(A.randomCrop([4, 4])(x), x);
  });

  it('resizes bilinearly like PyTorch interpolate(align_corners=False)', () => {
    const x = sd.tensor([[[[1, 2], [3, 4]]]]);
    assertClose(A.resize([4, 4])(x), [[[[1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4]]]]);
    const big = batch(1, 1, 4, 4, (_n, _c, y, xx) => 4 * y + xx);
    assertClose(A.resize([2, 2])(big), [[[[2.5, 4.5], [10.5, 12.5]]]]);
    // [N,H,W] batches stay rank 3
    assert.deepEqual([...A.resize([3, 5])(sd.zeros([2, 4, 4])).shape], [2, 3, 5]);
  });

  it('random resized crop gives the requested size; the full box equals a resize', () => {
    const x = batch(2, 3, 8, 8, (n, c, y, xx) => n + c + y * xx);
    const out = A.randomResizedCrop([5, 5], { seed: 0 })(x);
    assert.deepEqual([...out.shape], [2, 3, 5, 5]);
    const full = A.randomResizedCrop([5, 5], { scale: [1, 1], ratio: [1, 1] })(x);
    assertClose(full, A.resize([5, 5])(x));
  });

  it('rejects non-float images, wrong ranks and bad options', () => {
    assertThrows(() => A.randomFlip()(sd.zeros([1, 2, 2], 'int32')), sd.DTypeError, /randomFlip: images must be float32 or float64, got int32/);
    assertThrows(() => A.randomFlip()(sd.zeros([2, 2])), sd.ShapeError, /images must be \[N,C,H,W\] or \[N,H,W\], got shape \[2,2\]/);
    assertThrows(() => A.randomFlip('horizontal', { p: 2 }), sd.ValueError, /p must be a probability in \[0, 1\], got 2/);
    assertThrows(() => A.randomRotation(-5), sd.ValueError, /degrees must be a non-negative number or an interval/);
    assertThrows(() => A.randomTranslation({ width: 2 }), sd.ValueError, /height and width must be fractions in \[0, 1\]/);
    assertThrows(() => A.randomCrop([5, 5])(sd.zeros([1, 1, 4, 4])), sd.ValueError, /size \[5,5\] is larger than the padded images \[4,4\]/);
    assertThrows(() => A.resize([0, 2]), sd.ValueError, /resize: size must be \[height, width\] of positive integers/);
  });
});
