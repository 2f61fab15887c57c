import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

function stats(t: sd.Tensor): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / t.size;
  let sq = 0;
  for (const v of t.values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / (t.size - 1)), min, max };
}

/** One draw of every random creation function, in a fixed order. */
function drawAll(): number[][] {
  return [
    sd.rand([5]),
    sd.randn([5]),
    sd.randint(0, 100, [5]),
    sd.truncatedNormal([5]),
    sd.bernoulli(0.5, [5]),
    sd.randperm(5),
    sd.randn([3], { dtype: 'float64' }),
  ].map((t) => [...t.values]);
}

describe('seeding', () => {
  it('the same seed gives identical values, bit for bit', () => {
    sd.seed(42);
    const a = drawAll();
    sd.seed(42);
    const b = drawAll();
    assert.deepEqual(a, b);
  });

  it('different seeds give different values', () => {
    sd.seed(1);
    const a = drawAll();
    sd.seed(2);
    const b = drawAll();
    for (let i = 0; i < 4; i++) assert.notDeepEqual(a[i], b[i]);
  });

  it('consecutive draws differ, and a generator option leaves the global stream alone', () => {
    sd.seed(5);
    const first = [...sd.randn([4]).values];
    assert.notDeepEqual([...sd.randn([4]).values], first);
    sd.seed(5);
    const own = new sd.Generator(99);
    const mine = [...sd.rand([3], { generator: own }).values];
    assert.deepEqual([...sd.randn([4]).values], first);
    assert.deepEqual([...sd.rand([3], { generator: new sd.Generator(99) }).values], mine);
  });

  it('reseeding drops the spare Box-Muller normal', () => {
    sd.seed(9);
    const pair = [...sd.randn([2]).values];
    sd.randn([1]); // leaves a spare normal behind
    sd.seed(9);
    assert.deepEqual([...sd.randn([2]).values], pair);
  });

  it('getState/setState continue the stream, spare normal included, through JSON', () => {
    const g = new sd.Generator(3);
    g.normal(); // leaves a spare normal behind
    const state = JSON.parse(JSON.stringify(g.getState())) as sd.GeneratorState;
    assert.equal(typeof state.spareNormal, 'number');
    const ahead = [...sd.randn([5], { generator: g }).values, ...sd.rand([3], { generator: g }).values];
    const other = new sd.Generator(1);
    other.setState(state);
    assert.deepEqual([...sd.randn([5], { generator: other }).values, ...sd.rand([3], { generator: other }).values], ahead);
    g.setState(state);
    assert.deepEqual([...sd.randn([5], { generator: g }).values, ...sd.rand([3], { generator: g }).values], ahead);
  });

  it('setState rejects what getState cannot have returned', () => {
    const g = new sd.Generator(3);
    const before = g.getState();
    const bad = (state: unknown): void => g.setState(state as sd.GeneratorState);
    assertThrows(() => bad({ words: [1, 2, 3], spareNormal: null }), sd.ValueError, /^Generator.setState: words must be four unsigned 32-bit integers, not all zero, got \[1,2,3\]/);
    assertThrows(() => bad({ words: [0, 0, 0, 0], spareNormal: null }), sd.ValueError, /not all zero/);
    assertThrows(() => bad({ words: [1, 2, 3, -4], spareNormal: null }), sd.ValueError, /words must be/);
    assertThrows(() => bad({ words: [1, 2, 3, 4], spareNormal: 'x' }), sd.ValueError, /spareNormal must be a finite number or null, got "x"/);
    assertThrows(() => bad(null), sd.ValueError, /words must be/);
    assert.deepEqual(g.getState(), before);
  });

  it('rejects a seed that is not an integer', () => {
    assertThrows(() => sd.seed(1.5), sd.ValueError, /^seed: expected an integer, got 1.5/);
    assertThrows(() => sd.seed(NaN), sd.ValueError, /^seed: expected an integer, got NaN/);
  });
});

describe('distributions', () => {
  it('rand is uniform in [0, 1)', () => {
    sd.seed(0);
    for (const dtype of ['float32', 'float64'] as const) {
      const x = sd.rand([10000], { dtype });
      assert.equal(x.dtype, dtype);
      const s = stats(x);
      assert.ok(s.min >= 0 && s.max < 1, `${dtype}: range [${s.min}, ${s.max}]`);
      assert.ok(Math.abs(s.mean - 0.5) < 0.02, `${dtype}: mean ${s.mean}`);
      assert.ok(Math.abs(s.std - Math.sqrt(1 / 12)) < 0.02, `${dtype}: std ${s.std}`);
    }
  });

  it('float32 rand never rounds up to 1, even for the largest draw', () => {
    class MaxGenerator extends sd.Generator {
      override nextUint32(): number {
        return 0xffffffff;
      }
    }
    const x = sd.rand([2], { generator: new MaxGenerator(0) });
    assert.ok(x.values[0] < 1, `got ${x.values[0]}`);
    assert.ok(sd.rand([1], { generator: new MaxGenerator(0), dtype: 'float64' }).values[0] < 1);
  });

  it('randn has mean 0 and standard deviation 1 over 10,000 samples', () => {
    sd.seed(0);
    const s = stats(sd.randn([100, 100]));
    assert.ok(Math.abs(s.mean) < 0.04, `mean ${s.mean}`);
    assert.ok(Math.abs(s.std - 1) < 0.03, `std ${s.std}`);
    assert.ok(s.min < -3 && s.max > 3, 'tails are present');
  });

  it('truncatedNormal stays within two standard deviations of the mean', () => {
    sd.seed(0);
    const s = stats(sd.truncatedNormal([10000]));
    assert.ok(s.min >= -2 && s.max <= 2, `range [${s.min}, ${s.max}]`);
    assert.ok(Math.abs(s.mean) < 0.03);
    // the standard deviation of N(0,1) truncated to [-2, 2] is 0.8796
    assert.ok(Math.abs(s.std - 0.8796) < 0.02, `std ${s.std}`);
    const shifted = stats(sd.truncatedNormal([10000], { mean: 5, std: 0.5, dtype: 'float64' }));
    assert.ok(shifted.min >= 4 && shifted.max <= 6, `range [${shifted.min}, ${shifted.max}]`);
    assert.ok(Math.abs(shifted.mean - 5) < 0.02);
  });

  it('randint draws every integer of [low, high) and nothing else', () => {
    sd.seed(0);
    const x = sd.randint(-2, 3, [2000]);
    assert.equal(x.dtype, 'int32');
    const counts = new Map<number, number>();
    for (const v of x.values) counts.set(v, (counts.get(v) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
    for (const c of counts.values()) assert.ok(Math.abs(c - 400) < 80, `count ${c}`);
  });

  it('bernoulli draws 1 with probability p, from a number or a tensor of probabilities', () => {
    sd.seed(0);
    const x = sd.bernoulli(0.3, [10000]);
    assert.equal(x.dtype, 'float32');
    assert.ok(x.values.every((v) => v === 0 || v === 1));
    assert.ok(Math.abs(stats(x).mean - 0.3) < 0.02);
    const p = sd.tensor([0, 1, 0, 1]);
    assert.deepEqual(sd.bernoulli(p).array(), [0, 1, 0, 1]);
    assert.equal(sd.bernoulli(sd.tensor([0.5], undefined, 'float64')).dtype, 'float64');
    assert.equal(sd.bernoulli(0.5, [3], { dtype: 'bool' }).dtype, 'bool');
  });

  it('randperm is a permutation of 0..n-1', () => {
    sd.seed(0);
    const p = sd.randperm(50);
    assert.equal(p.dtype, 'int32');
    assert.deepEqual([...p.values].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual([...p.values], Array.from({ length: 50 }, (_, i) => i));
    assert.equal(sd.randperm(0).size, 0);
  });

  it('give scalars and zero-size tensors', () => {
    assert.deepEqual([...sd.randn([]).shape], []);
    assert.equal(sd.rand([]).size, 1);
    assert.deepEqual([...sd.randn([0, 3]).shape], [0, 3]);
    assert.equal(sd.randint(0, 2, [4, 0]).size, 0);
    assert.equal(sd.truncatedNormal([0]).size, 0);
    assert.equal(sd.bernoulli(0.5, []).size, 1);
  });
});

describe('bad arguments', () => {
  it('are rejected with the function named', () => {
    assertThrows(() => sd.rand([2], { dtype: 'int32' }), sd.DTypeError, /^rand: dtype must be float32 or float64, got int32/);
    assertThrows(() => sd.randn([2], { dtype: 'bool' }), sd.DTypeError, /^randn: dtype must be float32 or float64, got bool/);
    assertThrows(() => sd.randn([-1]), sd.ValueError, /^randn: shape must hold non-negative integers, got \[-1\]/);
    assertThrows(() => sd.randint(3, 3, [2]), sd.ValueError, /^randint: expected integers with low < high, got low=3, high=3/);
    assertThrows(() => sd.randint(0, 2.5, [2]), sd.ValueError, /^randint: expected integers/);
    assertThrows(() => sd.truncatedNormal([2], { std: -1 }), sd.ValueError, /^truncatedNormal: std must be >= 0, got -1/);
    assertThrows(() => sd.bernoulli(1.5, [2]), sd.ValueError, /^bernoulli: p must be in \[0, 1\], got 1.5/);
    assertThrows(() => sd.bernoulli(0.5), sd.ValueError, /^bernoulli: a shape is required when p is a number/);
    assertThrows(() => sd.bernoulli(sd.tensor([0.5, -0.1])), sd.ValueError, /^bernoulli: every probability must be in \[0, 1\], got -0.1/);
    assertThrows(() => sd.bernoulli(sd.tensor(new Int32Array([1]))), sd.DTypeError, /^bernoulli: p must be a float tensor, got int32/);
    assertThrows(() => sd.randperm(-1), sd.ValueError, /^randperm: n must be a non-negative integer, got -1/);
  });
});

describe('Generator.fillBernoulli', () => {
  it('draws the stream of uniform() < p, element by element, and leaves the same state', () => {
    const a = new sd.Generator(11);
    const b = new sd.Generator(11);
    a.normal(); // the spare normal stays with the generator
    b.normal();
    const out = new Float32Array(1001);
    a.fillBernoulli(out, 0.3, 2.5);
    const expected = Float32Array.from({ length: out.length }, () => (b.uniform() < 0.3 ? 2.5 : 0));
    assert.deepEqual(out, expected);
    assert.deepEqual(a.getState(), b.getState());
    assert.equal(a.uniform(), b.uniform());
  });
  it('leaves the generator untouched for an empty array', () => {
    const a = new sd.Generator(3);
    const before = a.getState();
    a.fillBernoulli(new Float64Array(0), 0.5, 1);
    assert.deepEqual(a.getState(), before);
  });
});
