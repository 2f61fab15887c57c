/** Thinning long metric series for charts: exact when short, extremes and gaps kept when long. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { downsample } from '../../src/ui/series.js';

describe('ui: downsample', () => {
  it('returns a short series exactly as logged', () => {
    const x = [0, 1, 2, 3];
    const y = [0.5, null, 0.25, 0.125];
    assert.deepEqual(downsample(x, y, 4), { x, y });
    assert.deepEqual(downsample([], [], 10), { x: [], y: [] });
  });

  it('thins a long series to about maxPoints, keeping first, last, min, max and every spike', () => {
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y: (number | null)[] = x.map((i) => Math.sin(i / 300));
    y[1234] = 50; // a spike
    y[7777] = -50; // a dip
    y[4321] = null; // a NaN
    const out = downsample(x, y, 500);
    assert.ok(out.x.length <= 502, `got ${out.x.length} points`);
    assert.ok(out.x.length >= 400, `got ${out.x.length} points`);
    assert.equal(out.x[0], 0);
    assert.equal(out.x[out.x.length - 1], n - 1);
    for (const [at, value] of [[1234, 50], [7777, -50], [4321, null]] as const) {
      const i = out.x.indexOf(at);
      assert.ok(i >= 0, `point ${at} kept`);
      assert.equal(out.y[i], value);
    }
    // kept points are real points, in x order
    for (let i = 0; i < out.x.length; i++) {
      assert.equal(out.y[i], y[out.x[i]]);
      if (i > 0) assert.ok(out.x[i] > out.x[i - 1]);
    }
  });

  it('buckets by x, so a dense stretch does not crowd out a sparse one', () => {
    // 9,000 points in [0, 1), then 1,000 points in [1, 1000]
    const x = [...Array.from({ length: 9000 }, (_, i) => i / 9000), ...Array.from({ length: 1000 }, (_, i) => 1 + i * 0.999)];
    const y = x.map((v) => v);
    const out = downsample(x, y, 200);
    const late = out.x.filter((v) => v >= 1).length;
    assert.ok(late > 150, `the sparse stretch keeps most buckets, got ${late}`);
  });

  it('thins a series whose x never changes by counts', () => {
    const x = new Array(1000).fill(5);
    const y = Array.from({ length: 1000 }, (_, i) => i % 7);
    const out = downsample(x, y, 100);
    assert.ok(out.x.length <= 102 && out.x.length > 20, `got ${out.x.length}`);
    assert.ok(out.y.includes(0) && out.y.includes(6));
  });
});
