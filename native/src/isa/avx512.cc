// The AVX-512 path (compiled with -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma).
// Only reached after CPUID confirmed the features (cpu.cc).
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "../kernels.h"

namespace shendu {
namespace {

#include "common.inc"
#include "x86.inc"

// GEMM register block: 8 rows x 48 columns of C in 24 zmm accumulators; each k step loads
// three vectors of the B panel and broadcasts eight values of the A panel (embedded
// broadcasts need no register). Edge tiles run the same template with fewer rows or
// vectors and masked stores, so they cost what they compute.
constexpr int MR = 8;
constexpr int NR = 48;

template <int M, int NV>
void micro_tile(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 n, int beta) {
  __m512 acc[M][NV];
  for (int r = 0; r < M; r++) {
    for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
  }
  for (i64 p = 0; p < kc; p++) {
    __m512 bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = _mm512_load_ps(b + 16 * v);
    for (int r = 0; r < M; r++) {
      const __m512 av = _mm512_set1_ps(a[r]);
      for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
    a += MR;
    b += NR;
  }
  const i64 rest = n - 16 * (NV - 1);
  const __mmask16 last = rest >= 16 ? __mmask16(0xffff) : __mmask16((1u << rest) - 1);
  for (int r = 0; r < M; r++) {
    float* cr = c + r * ldc;
    for (int v = 0; v < NV; v++) {
      const __mmask16 mask = v == NV - 1 ? last : __mmask16(0xffff);
      __m512 out = acc[r][v];
      if (beta) out = _mm512_add_ps(out, _mm512_maskz_loadu_ps(mask, cr + 16 * v));
      _mm512_mask_storeu_ps(cr + 16 * v, mask, out);
    }
  }
}

using Tile = void (*)(i64, const float*, const float*, float*, i64, i64, int);

template <int M>
constexpr Tile tiles_for(int nv) {
  return nv == 1 ? micro_tile<M, 1> : nv == 2 ? micro_tile<M, 2> : micro_tile<M, 3>;
}

#define SD_ROW(M) {tiles_for<M>(1), tiles_for<M>(2), tiles_for<M>(3)}
const Tile kTiles[MR + 1][3] = {{nullptr, nullptr, nullptr}, SD_ROW(1), SD_ROW(2), SD_ROW(3), SD_ROW(4),
                                SD_ROW(5), SD_ROW(6), SD_ROW(7), SD_ROW(8)};
#undef SD_ROW

void micro(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 m, i64 n, int beta) {
  kTiles[m][(n + 15) / 16 - 1](kc, a, b, c, ldc, n, beta);
}

// M rows of A read in place (row r at a + r*lda, k contiguous), broadcast one k at a time
// against a packed B panel; the tile goes to `tile` (row stride NR). The sums run over k
// in the order of micro_tile, so Cᵀ computed this way has C's bits.
template <int M, int NV>
void rows_tile(i64 kc, const float* a, i64 lda, const float* b, float* tile) {
  __m512 acc[M][NV];
  const float* row[M];
  for (int r = 0; r < M; r++) {
    row[r] = a + r * lda;
    for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
  }
  for (i64 p = 0; p < kc; p++) {
    __m512 bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = _mm512_load_ps(b + 16 * v);
    for (int r = 0; r < M; r++) {
      const __m512 av = _mm512_set1_ps(row[r][p]);
      for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
    b += NR;
  }
  for (int r = 0; r < M; r++) {
    for (int v = 0; v < NV; v++) _mm512_storeu_ps(tile + r * NR + 16 * v, acc[r][v]);
  }
}

using RowsTile = void (*)(i64, const float*, i64, const float*, float*);

template <int M>
constexpr RowsTile rows_tiles_for(int nv) {
  return nv == 1 ? rows_tile<M, 1> : nv == 2 ? rows_tile<M, 2> : rows_tile<M, 3>;
}

#define SD_ROW(M) {rows_tiles_for<M>(1), rows_tiles_for<M>(2), rows_tiles_for<M>(3)}
const RowsTile kRowsTiles[MR + 1][3] = {{nullptr, nullptr, nullptr}, SD_ROW(1), SD_ROW(2), SD_ROW(3), SD_ROW(4),
                                        SD_ROW(5), SD_ROW(6), SD_ROW(7), SD_ROW(8)};
#undef SD_ROW

void micro_a_rows(i64 kc, const float* a, i64 lda, const float* b, float* tile, i64 m, i64 n) {
  kRowsTiles[m][(n + 15) / 16 - 1](kc, a, lda, b, tile);
}

void pack_a(int trans, const float* a, i64 lda, i64 mc, i64 kc, float* dst) {
  if (trans) return pack_a_impl<MR>(trans, a, lda, mc, kc, dst);
  i64 i0 = 0;
  const Rows rows{a, lda, nullptr, 0};
  for (; i0 + MR <= mc; i0 += MR, dst += kc * MR) interleave_rows<MR>(rows, i0, kc, dst);
  if (i0 < mc) pack_a_impl<MR>(trans, a + i0 * lda, lda, mc - i0, kc, dst);
}

void pack_b(int trans, const float* b, i64 ldb, i64 kc, i64 nc, float* dst) {
  pack_b_x86<NR>(trans, Rows{b, ldb, nullptr, 0}, kc, nc, dst);
}

void pack_b_rows(int trans, const float* const* rows, i64 offset, i64 kc, i64 nc, float* dst) {
  pack_b_x86<NR>(trans, Rows{nullptr, 0, rows, offset}, kc, nc, dst);
}

const KernelSet kSet = {
    "avx512", MR, NR, 384, 128, 4080, micro, pack_a, pack_b, pack_b_rows,
    unary_impl, binary_impl, reduce_row_impl, reduce_into_impl, softmax_row_impl, adam_impl, sgd_impl,
    micro_a_rows,
};

}  // namespace

const KernelSet* avx512_kernels() { return &kSet; }

}  // namespace shendu
