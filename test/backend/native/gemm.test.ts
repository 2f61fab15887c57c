import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/index.js';
import { gemm } from '../../../src/backend/js/gemm.js';
import { nativeAddon, nativeInfo, setIsa, setNumThreads, cpuFeatures } from '../../../src/backend/native/index.js';
import { findBackend } from '../../../src/backend/backend.js';
import { Generator } from '../../../src/tensor/random.js';

/**
 * The native SGEMM against the js GEMM: odd sizes (1, 3, 17, 1023), every transpose flag,
 * batches, every kernel path this CPU supports forced one by one, and bit-identical
 * results whatever the thread count.
 */

const addon = nativeAddon();
const skip = addon ? false : 'native addon not built';
const paths = addon ? addon.supportedIsas() : [];
const defaultIsa = addon?.isa() ?? '';
const defaultThreads = addon?.numThreads() ?? 1;

const gen = new Generator(11);
function random(n: number): Float32Array {
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) m[i] = gen.uniform() * 2 - 1;
  return m;
}

/** The native BatchMatMul kernel: out[i] = op(a[i])·op(b[i]). */
function nativeMatmul(ta: boolean, tb: boolean, batch: number, M: number, N: number, K: number, a: Float32Array, b: Float32Array): Float32Array {
  const kernel = findBackend('native')!.kernels.BatchMatMul!;
  const aData = { shape: ta ? [batch, K, M] : [batch, M, K], dtype: 'float32' as const, values: a };
  const bData = { shape: tb ? [batch, N, K] : [batch, K, N], dtype: 'float32' as const, values: b };
  const out = kernel([aData, bData], { transposeA: ta, transposeB: tb });
  assert.deepEqual(out.shape, [batch, M, N]);
  return out.values as Float32Array;
}

function jsMatmul(ta: boolean, tb: boolean, batch: number, M: number, N: number, K: number, a: Float32Array, b: Float32Array): Float64Array {
  const out = new Float64Array(batch * M * N);
  const a64 = Float64Array.from(a);
  const b64 = Float64Array.from(b);
  for (let i = 0; i < batch; i++) gemm(ta, tb, M, N, K, a64, i * M * K, b64, i * K * N, out, i * M * N);
  return out;
}

function assertNear(actual: Float32Array, expected: Float64Array, K: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  // float32 accumulation: the error grows about like sqrt(K)
  const atol = 2e-6 * Math.sqrt(Math.max(K, 1)) * 4;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= atol + 1e-5 * Math.abs(expected[i]))) {
      assert.fail(`${label}: element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 17, 5],
  [17, 3, 1023],
  [1023, 3, 17],
  [3, 1023, 17],
  [1, 1023, 3],
  [33, 65, 257],
  [129, 130, 131],
  [200, 100, 300],
];

describe('native SGEMM', { skip }, () => {
  afterEach(() => {
    setIsa(defaultIsa);
    setNumThreads(defaultThreads);
  });

  for (const path of paths) {
    it(`matches the js GEMM on odd sizes with every transpose flag (${path} path)`, () => {
      assert.ok(setIsa(path));
      for (const [M, N, K] of SHAPES) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            const a = random(M * K);
            const b = random(K * N);
            assertNear(nativeMatmul(ta, tb, 1, M, N, K, a, b), jsMatmul(ta, tb, 1, M, N, K, a, b), K, `${path} ${M}x${N}x${K} ta=${ta} tb=${tb}`);
          }
        }
      }
    });

    it(`computes batches, and empty products give zeros (${path} path)`, () => {
      assert.ok(setIsa(path));
      for (const [batch, M, N, K] of [[3, 17, 9, 33], [64, 8, 8, 8], [2, 40, 50, 60]]) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            const a = random(batch * M * K);
            const b = random(batch * K * N);
            assertNear(nativeMatmul(ta, tb, batch, M, N, K, a, b), jsMatmul(ta, tb, batch, M, N, K, a, b), K, `${path} batch ${batch}`);
          }
        }
      }
      assert.deepEqual([...nativeMatmul(false, false, 2, 2, 3, 0, new Float32Array(0), new Float32Array(0))], new Array(12).fill(0));
      // outputs this large are not zero-filled by allocation: the kernel must write the zeros
      assert.ok(nativeMatmul(true, false, 1, 128, 784, 0, new Float32Array(0), new Float32Array(0)).every((v) => v === 0));
    });

    it(`gives bit-identical results with 1, 2 and 3 threads (${path} path)`, () => {
      assert.ok(setIsa(path));
      // large enough to split: by columns, by rows, and a batch of small products
      for (const [batch, M, N, K] of [[1, 300, 280, 260], [1, 37, 1500, 200], [1, 1500, 21, 300], [64, 40, 40, 100]]) {
        const a = random(batch * M * K);
        const b = random(batch * K * N);
        const results = [1, 2, 3].map((n) => {
          assert.equal(setNumThreads(n), n);
          return nativeMatmul(false, true, batch, M, N, K, a, b);
        });
        assert.deepEqual(results[1], results[0], `${M}x${N}x${K}: 2 threads differ from 1`);
        assert.deepEqual(results[2], results[0], `${M}x${N}x${K}: 3 threads differ from 1`);
      }
    });
  }

  it('products with few rows of C (a dense layer on a batch; x·Wᵀ reads W in place) have the packed path\'s bits', () => {
    // rows [0, M) of a product with the same operands and more rows run the packed path;
    // both sum each element over k in the same blocks and order
    for (const [M, N, K] of [[32, 1024, 800], [1, 130, 385], [17, 49, 1000], [64, 300, 64], [8, 2000, 9]]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const big = 100; // above the few-rows limit
          const aBig = random(big * K);
          const b = random(K * N);
          // op(A) of the small product is rows [0, M) of op(A) of the big one
          const a = ta ? Float32Array.from({ length: M * K }, (_, i) => aBig[Math.floor(i / M) * big + (i % M)]) : aBig.slice(0, M * K);
          const small = nativeMatmul(ta, tb, 1, M, N, K, a, b);
          const rows = nativeMatmul(ta, tb, 1, big, N, K, aBig, b).subarray(0, M * N);
          assert.deepEqual(small, rows, `${M}x${N}x${K} ta=${ta} tb=${tb}`);
          assertNear(small, jsMatmul(ta, tb, 1, M, N, K, a, b), K, `${M}x${N}x${K} ta=${ta} tb=${tb} against js`);
          for (const threads of [1, 3]) {
            setNumThreads(threads);
            assert.deepEqual(nativeMatmul(ta, tb, 1, M, N, K, a, b), small, `${M}x${N}x${K} with ${threads} threads`);
          }
          setNumThreads(defaultThreads);
        }
      }
    }
  });

  it('runs the best path the CPU supports unless SHENDU_ISA names another', () => {
    const info = nativeInfo();
    assert.ok(info.available);
    assert.equal(info.isa, defaultIsa);
    assert.ok(paths.includes('portable'));
    const features = cpuFeatures();
    assert.equal(paths.includes('avx512'), features.includes('avx512f') && features.includes('avx512bw'));
    assert.equal(paths.includes('avx2'), features.includes('avx2') && features.includes('fma'));
    const wanted = process.env.SHENDU_ISA;
    assert.equal(info.isa, wanted && paths.includes(wanted) ? wanted : paths[0]);
    assert.equal(setIsa('no-such-path'), false);
    assert.equal(addon!.isa(), defaultIsa);
  });
});
