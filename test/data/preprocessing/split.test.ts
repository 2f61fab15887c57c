import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertThrows } from '../../helpers.js';

const count = (labels: ArrayLike<number>, c: number) => Array.from(labels).filter((v) => v === c).length;

describe('data.splitByRatios', () => {
  it('gives exact part sizes for 60:20:20, 70:10:20 and 95:2:3, covering every sample once', () => {
    const x = sd.tensor(Float32Array.from({ length: 1000 }, (_, i) => i), [1000, 1]);
    for (const [ratios, sizes] of [
      [[0.6, 0.2, 0.2], [600, 200, 200]],
      [[0.7, 0.1, 0.2], [700, 100, 200]],
      [[0.95, 0.02, 0.03], [950, 20, 30]],
      [[95, 2, 3], [950, 20, 30]],
    ]) {
      const parts = sd.data.splitByRatios([x], ratios, { seed: 1 });
      assert.deepEqual(parts.map(([p]) => p.shape[0]), sizes);
      const all = parts.flatMap(([p]) => Array.from(p.values)).sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: 1000 }, (_, i) => i));
    }
    // 7 samples at 60:20:20 → 4.2, 1.4, 1.4: largest remainders, earlier parts first on ties
    assert.deepEqual(sd.data.splitIndices(7, [0.6, 0.2, 0.2]).map((p) => p.length), [4, 2, 1]);
  });

  it('keeps rows of x and y together, is reproducible with a seed, and contiguous without shuffle', () => {
    const x = sd.tensor(Float32Array.from({ length: 20 }, (_, i) => i * 10), [10, 2]);
    const y = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const [[xa, ya], [xb, yb]] = sd.data.splitByRatios([x, y], [0.5, 0.5], { seed: 4 });
    ya.forEach((name, i) => assert.equal(`s${xa.values[2 * i] / 20}`, name));
    yb.forEach((name, i) => assert.equal(`s${xb.values[2 * i] / 20}`, name));
    const again = sd.data.splitByRatios([x, y], [0.5, 0.5], { seed: 4 });
    assert.deepEqual(again[0][1], ya);
    const ordered = sd.data.splitIndices(10, [0.7, 0.3], { shuffle: false });
    assert.deepEqual(Array.from(ordered[1]), [7, 8, 9]);
  });

  it('stratifies: each part keeps the class proportions', () => {
    const labels = sd.tensor(Int32Array.from({ length: 1000 }, (_, i) => (i < 800 ? 0 : 1)));
    const parts = sd.data.splitByRatios([labels], [0.6, 0.2, 0.2], { seed: 3, stratify: labels });
    assert.deepEqual(parts.map(([p]) => count(p.values, 1)), [120, 40, 40]);
    // uneven classes (101, 53, 46 of 200) at 70:10:20: sizes exact, each class within one sample of its share
    const uneven = Int32Array.from({ length: 200 }, (_, i) => (i < 101 ? 0 : i < 154 ? 1 : 2));
    const idx = sd.data.splitIndices(200, [0.7, 0.1, 0.2], { seed: 9, stratify: sd.tensor(uneven) });
    assert.deepEqual(idx.map((p) => p.length), [140, 20, 40]);
    [101, 53, 46].forEach((n, c) =>
      [0.7, 0.1, 0.2].forEach((f, p) => {
        const got = count(Array.from(idx[p], (i) => uneven[i]), c);
        assert.ok(Math.abs(got - n * f) <= 1, `class ${c} part ${p}: ${got} vs ${n * f}`);
      }),
    );
    // string labels work too
    const words = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];
    const [[w1], [w2]] = sd.data.splitByRatios([words], [0.5, 0.5], { seed: 0, stratify: words });
    assert.equal(w1.filter((w) => w === 'a').length, 2);
    assert.equal(w2.filter((w) => w === 'b').length, 2);
  });

  it('trainTestSplit splits x and y, stratified by y on request', () => {
    const x = sd.randn([100, 3]);
    const y = sd.tensor(Int32Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0)));
    const { xTrain, xTest, yTrain, yTest } = sd.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0, stratify: true });
    assert.deepEqual([xTrain.shape[0], xTest.shape[0], yTrain.shape[0], yTest.shape[0]], [80, 20, 80, 20]);
    assert.equal(count(yTest.values, 1), 5);
    assert.equal(sd.data.trainTestSplit(x, y).xTest.shape[0], 25);
  });

  it('rejects wrong ratios, mismatched lengths and bad options', () => {
    const x = sd.zeros([10, 2]);
    assertThrows(() => sd.data.splitByRatios([x], [0.6, 0.3, 0.2]), sd.ValueError, /split: ratios must sum to 1 \(or to 100 as percentages\), got \[0.6, 0.3, 0.2\] summing to 1.1/);
    assertThrows(() => sd.data.splitByRatios([x], [1.2, -0.2]), sd.ValueError, /every ratio must be a positive number, got \[1.2, -0.2\]/);
    assertThrows(() => sd.data.splitByRatios([x], [1]), sd.ValueError, /at least two parts/);
    assertThrows(() => sd.data.splitByRatios([x, sd.zeros([9])], [0.5, 0.5]), sd.ShapeError, /the inputs differ in length: input 0 has 10 samples but input 1 has 9 \(shape \[9\]\)/);
    assertThrows(() => sd.data.trainTestSplit(x, sd.zeros([10]), { testSize: 1.5 }), sd.ValueError, /testSize must be a fraction strictly between 0 and 1, got 1.5/);
    assertThrows(() => sd.data.splitIndices(10, [0.5, 0.5], { stratify: [0, 1] }), sd.ShapeError, /stratify has 2 labels but there are 10 samples/);
    assertThrows(() => sd.data.splitIndices(4, [0.5, 0.5], { shuffle: false, stratify: [0, 0, 1, 1] }), sd.ValueError, /stratify needs shuffle/);
  });
});
