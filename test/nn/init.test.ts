import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

const init = sd.nn.init;

function stats(t: sd.Tensor): { mean: number; variance: number; min: number; max: number } {
  let sum = 0;
  let sq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.values) {
    sum += v;
    sq += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / t.size;
  return { mean, variance: sq / t.size - mean * mean, min, max };
}

/** Sample variance within 3% (≈ 7 standard errors at 100k samples), mean within 0.02·std. */
function assertMoments(t: sd.Tensor, mean: number, variance: number): void {
  const s = stats(t);
  assert.ok(Math.abs(s.mean - mean) < 0.02 * Math.sqrt(variance), `mean ${s.mean}, expected ${mean}`);
  assert.ok(Math.abs(s.variance / variance - 1) < 0.03, `variance ${s.variance}, expected ${variance}`);
}

describe('nn.init gains and fans', () => {
  it('calculateGain matches torch.nn.init.calculate_gain', () => {
    assert.equal(init.calculateGain('linear'), 1);
    assert.equal(init.calculateGain('conv2d'), 1);
    assert.equal(init.calculateGain('conv_transpose2d'), 1);
    assert.equal(init.calculateGain('sigmoid'), 1);
    assert.equal(init.calculateGain('tanh'), 5 / 3);
    assert.equal(init.calculateGain('relu'), Math.SQRT2);
    assert.equal(init.calculateGain('selu'), 0.75);
    assert.equal(init.calculateGain('leakyRelu'), Math.sqrt(2 / (1 + 0.01 ** 2)));
    assert.equal(init.calculateGain('leaky_relu', 0.2), Math.sqrt(2 / 1.04));
    assertThrows(() => init.calculateGain('swish'), sd.ValueError, /calculateGain: unknown nonlinearity 'swish' \(expected one of linear, identity, .*selu/);
    assertThrows(() => init.calculateGain('leakyRelu', NaN), sd.ValueError, /param must be a finite number, got NaN/);
  });

  it('fans of linear and convolution weights', () => {
    assert.deepEqual(init.calculateFanInAndFanOut([128, 784]), { fanIn: 784, fanOut: 128 });
    assert.deepEqual(init.calculateFanInAndFanOut(sd.zeros([16, 3, 5, 5])), { fanIn: 75, fanOut: 400 });
    assert.deepEqual(init.calculateFanInAndFanOut([8, 4, 3]), { fanIn: 12, fanOut: 24 });
    assertThrows(() => init.calculateFanInAndFanOut([10]), sd.ValueError, /calculateFanInAndFanOut: the weight needs at least 2 dimensions, got shape \[10\]/);
  });
});

describe('nn.init distributions', () => {
  const big = (): sd.Tensor => sd.zeros([250, 400]); // fanIn 400, fanOut 250, 100k samples

  it('uniform_ and normal_', () => {
    sd.seed(1);
    const u = init.uniform_(big(), -2, 3);
    assertMoments(u, 0.5, 25 / 12);
    const s = stats(u);
    assert.ok(s.min >= -2 && s.max < 3);
    assertMoments(init.normal_(big(), 1, 0.5), 1, 0.25);
    assertMoments(init.uniform_(big()), 0.5, 1 / 12);
  });

  it('truncNormal_ keeps samples inside [a, b]', () => {
    sd.seed(2);
    const t = init.truncNormal_(big(), 0, 1, -1, 2);
    const s = stats(t);
    assert.ok(s.min >= -1 && s.max <= 2);
    assertThrows(() => init.truncNormal_(big(), 0, 1, 1, 1), sd.ValueError, /truncNormal_: a must be < b, got a=1, b=1/);
  });

  it('xavier (glorot) variance is gain²·2/(fanIn + fanOut)', () => {
    sd.seed(3);
    assertMoments(init.xavierUniform_(big()), 0, 2 / 650);
    assertMoments(init.xavierNormal_(big(), 2), 0, (4 * 2) / 650);
    assert.equal(init.glorotUniform_, init.xavierUniform_);
    assert.equal(init.glorotNormal_, init.xavierNormal_);
  });

  it('kaiming (he) variance is gain²/fan', () => {
    sd.seed(4);
    assertMoments(init.kaimingUniform_(big()), 0, 2 / 400); // leakyRelu with a=0: gain √2
    assertMoments(init.kaimingNormal_(big(), { mode: 'fanOut', nonlinearity: 'relu' }), 0, 2 / 250);
    // PyTorch's Linear default: kaimingUniform_(w, a=√5) is U(−1/√fanIn, 1/√fanIn)
    const w = init.kaimingUniform_(big(), { a: Math.sqrt(5) });
    assertMoments(w, 0, 1 / 400 / 3);
    assert.ok(stats(w).max <= 1 / 20 && stats(w).min >= -1 / 20);
    assertMoments(init.kaimingNormal_(sd.zeros([64, 16, 5, 5]), { nonlinearity: 'tanh' }), 0, (25 / 9) / 400);
    assert.equal(init.heUniform_, init.kaimingUniform_);
    assert.equal(init.heNormal_, init.kaimingNormal_);
    assertThrows(() => init.kaimingUniform_(big(), { mode: 'fan_in' as never }), sd.ValueError, /kaimingUniform_: mode must be 'fanIn' or 'fanOut', got 'fan_in'/);
  });

  it('lecun variance is 1/fanIn; lecunNormal_ is truncated at two standard deviations', () => {
    sd.seed(5);
    assertMoments(init.lecunUniform_(big()), 0, 1 / 400);
    const n = init.lecunNormal_(big());
    assertMoments(n, 0, 1 / 400);
    const bound = (2 * Math.sqrt(1 / 400)) / 0.87962566103423978;
    assert.ok(stats(n).max <= bound && stats(n).min >= -bound);
  });

  it('orthogonal_ gives orthonormal rows or columns times the gain', () => {
    const gram = (t: sd.Tensor, rows: boolean): number[][] => {
      const r = t.shape[0];
      const c = t.size / r;
      const n = rows ? r : c;
      const at = (i: number, k: number): number => (rows ? t.values[i * c + k] : t.values[k * c + i]);
      const len = rows ? c : r;
      return Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => {
          let s = 0;
          for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
          return s;
        }),
      );
    };
    const eye = (n: number, v = 1): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? v : 0)));
    sd.seed(6);
    assertClose(sd.tensor(gram(init.orthogonal_(sd.zeros([4, 6])), true)), eye(4), { atol: 1e-5 });
    assertClose(sd.tensor(gram(init.orthogonal_(sd.zeros([6, 4])), false)), eye(4), { atol: 1e-5 });
    assertClose(sd.tensor(gram(init.orthogonal_(sd.zeros([5, 5]), 2), true)), eye(5, 4), { atol: 1e-5 });
    assertClose(sd.tensor(gram(init.orthogonal_(sd.zeros([8, 2, 3, 3])), true)), eye(8), { atol: 1e-5 });
    const d = init.orthogonal_(sd.zeros([30, 30], 'float64'));
    assertClose(sd.tensor(gram(d, true), undefined, 'float64'), eye(30), { atol: 1e-12, rtol: 0 });
    assertThrows(() => init.orthogonal_(sd.zeros([3])), sd.ValueError, /orthogonal_: the tensor needs at least 2 dimensions, got shape \[3\]/);
  });
});

describe('nn.init in place', () => {
  it('is reproducible with sd.seed and with an explicit generator', () => {
    const draw = (): number[] => {
      sd.seed(42);
      const w = sd.zeros([3, 4]);
      init.kaimingUniform_(w);
      init.orthogonal_(w);
      return [...init.normal_(w).values];
    };
    assert.deepEqual(draw(), draw());
    const g = (): number[] => [...init.uniform_(sd.zeros([5]), 0, 1, { generator: new sd.Generator(9) }).values];
    assert.deepEqual(g(), g());
    assert.notDeepEqual(g(), draw().slice(0, 5));
  });

  it('writes the storage of a parameter that requires grad and returns it', () => {
    const p = new sd.nn.Parameter(sd.zeros([2, 2]));
    const values = p.values;
    assert.equal(init.ones_(p), p);
    assert.equal(p.values, values);
    assertClose(p, [[1, 1], [1, 1]]);
    assert.ok(p.requiresGrad && p.isLeaf);
    assertClose(init.zeros_(p), [[0, 0], [0, 0]]);
    assertClose(init.constant_(p, 0.5), [[0.5, 0.5], [0.5, 0.5]]);
    assertClose(init.eye_(sd.zeros([2, 3])), [[1, 0, 0], [0, 1, 0]]);
    assert.deepEqual([...init.constant_(sd.zeros([2], 'int32'), 3).values], [3, 3]);
    assert.equal(init.uniform_(sd.zeros([0, 3])).size, 0);
  });

  it('rejects bad arguments', () => {
    const int = sd.zeros([2, 2], 'int32');
    assertThrows(() => init.uniform_(int), sd.DTypeError, /uniform_: the tensor must be float32 or float64, got int32/);
    assertThrows(() => init.xavierNormal_(int), sd.DTypeError, /normal_: the tensor must be float32 or float64, got int32/);
    assertThrows(() => init.uniform_(sd.zeros([2]), 1, 0), sd.ValueError, /uniform_: a must be <= b, got a=1, b=0/);
    assertThrows(() => init.normal_(sd.zeros([2]), 0, -1), sd.ValueError, /normal_: std must be >= 0, got -1/);
    assertThrows(() => init.normal_(sd.zeros([2]), Infinity), sd.ValueError, /normal_: mean must be a finite number, got Infinity/);
    assertThrows(() => init.eye_(sd.zeros([2])), sd.ValueError, /eye_: the tensor must be 2-D, got shape \[2\]/);
    assertThrows(() => init.xavierUniform_(sd.zeros([4])), sd.ValueError, /the weight needs at least 2 dimensions/);
  });
});
