/**
 * Single-threaded GEMM for the js backend: C = op(A)·op(B) (+ C when `accumulate`),
 * row-major. op(A) is M×K (A stored K×M when transA), op(B) is K×N (B stored N×K when
 * transB). Offsets let batched callers address one matrix of a larger buffer.
 *
 * The blocked path follows the Goto/BLIS layout: for each KC×NC block of op(B) and MC×KC
 * block of op(A), the blocks are packed into contiguous float64 scratch buffers as panels
 * of NR columns / MR rows (zero-padded at the edges), then a micro-kernel keeps an MR×NR
 * tile of C in local variables while it walks the shared K dimension. Packing is the only
 * copy, and it reads either transpose directly, so no caller matrix is ever transposed.
 * Computation is in float64 (V8 computes in doubles anyway); C is written in its own type.
 */

type Matrix = Float32Array | Float64Array;

/** Micro-tile: MR rows of A by NR columns of B held in 16 locals. */
const MR = 4;
const NR = 4;
/** Depth of a packed block: one A micro-panel (MR·KC doubles = 8 KB) stays in L1. */
const KC = 256;
/** Rows of A per packed block: MC·KC doubles = 128 KB, for L2. */
const MC = 64;
/** Columns of B per packed block: KC·NC doubles = 2 MB, for L3. */
const NC = 1024;
/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL = 24 * 24 * 24;

// Scratch reused across calls; grown on demand, never shrunk.
let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * NC);
const edgeTile = new Float64Array(MR * NR);

export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  a: Matrix,
  aOffset: number,
  b: Matrix,
  bOffset: number,
  c: Matrix,
  cOffset: number,
  accumulate = false,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    if (!accumulate) c.fill(0, cOffset, cOffset + M * N);
    return;
  }
  // Element (i, p) of op(A) is a[aOffset + i·rsA + p·csA]; likewise for op(B).
  const rsA = transA ? 1 : K;
  const csA = transA ? M : 1;
  const rsB = transB ? 1 : N;
  const csB = transB ? K : 1;
  if (M * N * K <= SMALL || N === 1 || M === 1) {
    gemmDirect(M, N, K, a, aOffset, rsA, csA, b, bOffset, rsB, csB, c, cOffset, accumulate);
    return;
  }
  const ncMax = Math.min(NC, roundUp(N, NR));
  const mcMax = Math.min(MC, roundUp(M, MR));
  const kcMax = Math.min(KC, K);
  if (packedB.length < kcMax * ncMax) packedB = new Float64Array(kcMax * ncMax);
  if (packedA.length < mcMax * kcMax) packedA = new Float64Array(mcMax * kcMax);
  const ap = packedA;
  const bp = packedB;

  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      // The first K block overwrites C unless the caller asked to accumulate.
      const add = accumulate || pc > 0;
      packPanels(bp, b, bOffset + pc * rsB + jc * csB, csB, rsB, nc, kc, NR);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanels(ap, a, aOffset + ic * rsA + pc * csA, rsA, csA, mc, kc, MR);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bStart = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const cStart = cOffset + (ic + ir) * N + jc + jr;
            if (mr === MR && nr === NR) {
              kernel4x4(kc, ap, ir * kc, bp, bStart, c, cStart, N, add);
            } else {
              kernel4x4(kc, ap, ir * kc, bp, bStart, edgeTile, 0, NR, false);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) {
                  const v = edgeTile[i * NR + j];
                  c[cStart + i * N + j] = add ? c[cStart + i * N + j] + v : v;
                }
              }
            }
          }
        }
      }
    }
  }
}

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}

/**
 * Packs `count` lines of length `depth` into panels of `width` lines: line l, element p
 * lands at panel(l)·width·depth + p·width + l%width. Line l element p is read at
 * src[offset + l·lineStride + p·depthStride]. Short last panels are zero-padded.
 */
function packPanels(
  dst: Float64Array,
  src: Matrix,
  offset: number,
  lineStride: number,
  depthStride: number,
  count: number,
  depth: number,
  width: number,
): void {
  let d = 0;
  for (let l0 = 0; l0 < count; l0 += width) {
    const lines = Math.min(width, count - l0);
    if (lines === 4 && width === 4) {
      // The common full panel, unrolled: four source lines read in step.
      let s0 = offset + l0 * lineStride;
      let s1 = s0 + lineStride;
      let s2 = s1 + lineStride;
      let s3 = s2 + lineStride;
      for (let p = 0; p < depth; p++) {
        dst[d] = src[s0];
        dst[d + 1] = src[s1];
        dst[d + 2] = src[s2];
        dst[d + 3] = src[s3];
        d += 4;
        s0 += depthStride;
        s1 += depthStride;
        s2 += depthStride;
        s3 += depthStride;
      }
      continue;
    }
    for (let p = 0; p < depth; p++) {
      const s = offset + l0 * lineStride + p * depthStride;
      for (let l = 0; l < width; l++) dst[d + l] = l < lines ? src[s + l * lineStride] : 0;
      d += width;
    }
  }
}

/**
 * C[0:4, 0:4] (+)= Σ_p ap[p·4 + i]·bp[p·4 + j], with C at c[cStart + i·ldc + j]. Sixteen
 * locals hold the tile, so each step loads 8 numbers for 16 multiply-adds.
 */
function kernel4x4(
  kc: number,
  ap: Float64Array,
  aStart: number,
  bp: Float64Array,
  bStart: number,
  c: Matrix,
  cStart: number,
  ldc: number,
  add: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aStart;
  let bi = bStart;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ai];
    const a1 = ap[ai + 1];
    const a2 = ap[ai + 2];
    const a3 = ap[ai + 3];
    const b0 = bp[bi];
    const b1 = bp[bi + 1];
    const b2 = bp[bi + 2];
    const b3 = bp[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += 4;
    bi += 4;
  }
  let r = cStart;
  if (add) {
    c[r] += c00; c[r + 1] += c01; c[r + 2] += c02; c[r + 3] += c03; r += ldc;
    c[r] += c10; c[r + 1] += c11; c[r + 2] += c12; c[r + 3] += c13; r += ldc;
    c[r] += c20; c[r + 1] += c21; c[r + 2] += c22; c[r + 3] += c23; r += ldc;
    c[r] += c30; c[r + 1] += c31; c[r + 2] += c32; c[r + 3] += c33;
  } else {
    c[r] = c00; c[r + 1] = c01; c[r + 2] = c02; c[r + 3] = c03; r += ldc;
    c[r] = c10; c[r + 1] = c11; c[r + 2] = c12; c[r + 3] = c13; r += ldc;
    c[r] = c20; c[r + 1] = c21; c[r + 2] = c22; c[r + 3] = c23; r += ldc;
    c[r] = c30; c[r + 1] = c31; c[r + 2] = c32; c[r + 3] = c33;
  }
}

/**
 * Unpacked GEMM for small products and matrix–vector shapes, where packing does not pay.
 * With op(B) row-contiguous (csB = 1) it streams rows of B (axpy form); otherwise each
 * output is a dot product along K.
 */
function gemmDirect(
  M: number,
  N: number,
  K: number,
  a: Matrix,
  aOffset: number,
  rsA: number,
  csA: number,
  b: Matrix,
  bOffset: number,
  rsB: number,
  csB: number,
  c: Matrix,
  cOffset: number,
  accumulate: boolean,
): void {
  if (csB === 1 && N > 1) {
    const row = new Float64Array(N);
    for (let i = 0; i < M; i++) {
      const ci = cOffset + i * N;
      if (accumulate) for (let j = 0; j < N; j++) row[j] = c[ci + j];
      else row.fill(0);
      for (let p = 0; p < K; p++) {
        const av = a[aOffset + i * rsA + p * csA];
        const bRow = bOffset + p * rsB;
        for (let j = 0; j < N; j++) row[j] += av * b[bRow + j];
      }
      for (let j = 0; j < N; j++) c[ci + j] = row[j];
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    const aRow = aOffset + i * rsA;
    for (let j = 0; j < N; j++) {
      const bCol = bOffset + j * csB;
      let acc = 0;
      for (let p = 0; p < K; p++) acc += a[aRow + p * csA] * b[bCol + p * rsB];
      const ci = cOffset + i * N + j;
      c[ci] = accumulate ? c[ci] + acc : acc;
    }
  }
}
