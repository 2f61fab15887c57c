import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gemm } from '../../../src/backend/js/gemm.js';
import { Generator } from '../../../src/tensor/random.js';

type Matrix = Float32Array | Float64Array;

/** The definition: C = op(A)·op(B) (+ C), one dot product per element, in float64. */
function naive(transA: boolean, transB: boolean, M: number, N: number, K: number, a: Matrix, aOff: number, b: Matrix, bOff: number, c: Float64Array, accumulate: boolean): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = accumulate ? c[i * N + j] : 0;
      for (let p = 0; p < K; p++) {
        const av = transA ? a[aOff + p * M + i] : a[aOff + i * K + p];
        const bv = transB ? b[bOff + j * K + p] : b[bOff + p * N + j];
        acc += av * bv;
      }
      c[i * N + j] = acc;
    }
  }
}

const gen = new Generator(7);
function random(Arr: typeof Float32Array | typeof Float64Array, n: number): Matrix {
  const m = new Arr(n);
  for (let i = 0; i < n; i++) m[i] = gen.uniform() * 2 - 1;
  return m;
}

/** Runs gemm on matrices placed at odd offsets in larger buffers and compares with naive. */
function check(Arr: typeof Float32Array | typeof Float64Array, transA: boolean, transB: boolean, M: number, N: number, K: number, accumulate: boolean): void {
  const aOff = 3;
  const bOff = 5;
  const cOff = 2;
  const a = random(Arr, aOff + M * K + 4);
  const b = random(Arr, bOff + K * N + 4);
  const c = random(Arr, cOff + M * N + 4);
  const guardBefore = c.slice(0, cOff);
  const guardAfter = c.slice(cOff + M * N);
  const expected = Float64Array.from(c.subarray(cOff, cOff + M * N));
  naive(transA, transB, M, N, K, a, aOff, b, bOff, expected, accumulate);
  gemm(transA, transB, M, N, K, a, aOff, b, bOff, c, cOff, accumulate);
  const tol = Arr === Float32Array ? 1e-5 * Math.max(1, Math.sqrt(K)) : 1e-12 * Math.max(1, K);
  const label = `${Arr.name} M=${M} N=${N} K=${K} transA=${transA} transB=${transB} accumulate=${accumulate}`;
  for (let i = 0; i < M * N; i++) {
    const got = c[cOff + i];
    const want = Arr === Float32Array ? Math.fround(expected[i]) : expected[i];
    if (!(Math.abs(got - want) <= tol * (1 + Math.abs(want)))) {
      assert.fail(`${label}: element ${i} is ${got}, expected ${want}`);
    }
  }
  assert.deepEqual(c.slice(0, cOff), guardBefore, `${label}: wrote before C`);
  assert.deepEqual(c.slice(cOff + M * N), guardAfter, `${label}: wrote after C`);
}

const flags = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('js gemm', () => {
  it('matches the triple loop for odd sizes, every transpose, both float types, with and without accumulate', () => {
    const sizes = [1, 3, 4, 5, 17, 65];
    for (const Arr of [Float32Array, Float64Array]) {
      for (const [transA, transB] of flags) {
        for (const M of sizes) {
          for (const N of sizes) {
            for (const K of [1, 3, 17, 65]) {
              check(Arr, transA, transB, M, N, K, false);
            }
          }
        }
        check(Arr, transA, transB, 65, 17, 33, true);
        check(Arr, transA, transB, 3, 130, 5, true);
      }
    }
  });

  it('crosses every block boundary: K beyond one depth block, M and N beyond a packed block', () => {
    for (const Arr of [Float32Array, Float64Array]) {
      for (const [transA, transB] of flags) {
        check(Arr, transA, transB, 130, 67, 300, false);
        check(Arr, transA, transB, 130, 67, 300, true);
        check(Arr, transA, transB, 9, 1030, 7, false);
        check(Arr, transA, transB, 71, 1027, 257, true);
      }
    }
  });

  it('handles matrix-vector shapes and empty dimensions', () => {
    for (const Arr of [Float32Array, Float64Array]) {
      for (const [transA, transB] of flags) {
        check(Arr, transA, transB, 1, 200, 130, false);
        check(Arr, transA, transB, 200, 1, 130, true);
        check(Arr, transA, transB, 1, 1, 500, false);
        check(Arr, transA, transB, 5, 7, 0, false);
        check(Arr, transA, transB, 5, 7, 0, true);
        check(Arr, transA, transB, 0, 7, 3, false);
      }
    }
  });

  it('propagates NaN and infinity like the definition', () => {
    const a = new Float64Array([0, 1, 2, 3]);
    const b = new Float64Array([NaN, 1, Infinity, 1]);
    const c = new Float64Array(4);
    gemm(false, false, 2, 2, 2, a, 0, b, 0, c, 0);
    assert.ok(Number.isNaN(c[0]));
    assert.equal(c[1], 1);
  });
});
