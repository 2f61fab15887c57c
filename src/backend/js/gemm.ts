/**
 * Single-threaded GEMM for the js backend: C = op(A)·op(B) (+ C when `accumulate`),
 * row-major. op(A) is M×K (A stored K×M when transA), op(B) is K×N (B stored N×K when
 * transB). Offsets let batched callers address one matrix of a larger buffer.
 *
 * NOTE: reference implementation; to be replaced by a cache-blocked one with the same
 * signature.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  a: Float32Array | Float64Array,
  aOffset: number,
  b: Float32Array | Float64Array,
  bOffset: number,
  c: Float32Array | Float64Array,
  cOffset: number,
  accumulate = false,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = accumulate ? c[cOffset + i * N + j] : 0;
      for (let p = 0; p < K; p++) {
        const av = transA ? a[aOffset + p * M + i] : a[aOffset + i * K + p];
        const bv = transB ? b[bOffset + j * K + p] : b[bOffset + p * N + j];
        acc += av * bv;
      }
      c[cOffset + i * N + j] = acc;
    }
  }
}
