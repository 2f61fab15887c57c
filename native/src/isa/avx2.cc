// The AVX2 + FMA path (compiled with -mavx2 -mfma). Only reached after CPUID confirmed
// the features (cpu.cc).
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "../kernels.h"

namespace shendu {
namespace {

#include "common.inc"
#include "x86.inc"

// GEMM register block: 6 rows x 16 columns of C in 12 ymm accumulators (of 16
// registers). Edge tiles run the same template with fewer rows or one vector, and masked
// loads and stores.
constexpr int MR = 6;
constexpr int NR = 16;

inline __m256i lane_mask(i64 n) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), lanes);
}

// Writes an accumulated tile to C: full vectors, then the last one masked to n columns.
template <int M, int NV>
inline void store_acc(const __m256 (&acc)[M][NV], float* c, i64 ldc, i64 n, int beta) {
  const __m256i last = lane_mask(n - 8 * (NV - 1));
  const __m256i all = _mm256_set1_epi32(-1);
  for (int r = 0; r < M; r++) {
    float* cr = c + r * ldc;
    for (int v = 0; v < NV; v++) {
      const __m256i mask = v == NV - 1 ? last : all;
      __m256 out = acc[r][v];
      if (beta) out = _mm256_add_ps(out, _mm256_maskload_ps(cr + 8 * v, mask));
      _mm256_maskstore_ps(cr + 8 * v, mask, out);
    }
  }
}

template <int M, int NV>
void micro_tile(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 n, int beta) {
  __m256 acc[M][NV];
  for (int r = 0; r < M; r++) {
    for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_ps();
  }
  for (i64 p = 0; p < kc; p++) {
    __m256 bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = _mm256_load_ps(b + 8 * v);
    for (int r = 0; r < M; r++) {
      const __m256 av = _mm256_broadcast_ss(a + r);
      for (int v = 0; v < NV; v++) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
    }
    a += MR;
    b += NR;
  }
  store_acc<M, NV>(acc, c, ldc, n, beta);
}

// The full tile uses 15 of the 16 registers; with an array of accumulators GCC stores
// them to the stack on every step, so this one names its accumulators.
template <>
void micro_tile<6, 2>(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 n, int beta) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (i64 p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 av;
#define SD_ROW(r)                              \
  av = _mm256_broadcast_ss(a + r);             \
  c##r##0 = _mm256_fmadd_ps(av, b0, c##r##0); \
  c##r##1 = _mm256_fmadd_ps(av, b1, c##r##1);
    SD_ROW(0) SD_ROW(1) SD_ROW(2) SD_ROW(3) SD_ROW(4) SD_ROW(5)
#undef SD_ROW
    a += MR;
    b += NR;
  }
  const __m256 acc[6][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  store_acc<6, 2>(acc, c, ldc, n, beta);
}

using Tile = void (*)(i64, const float*, const float*, float*, i64, i64, int);

#define SD_ROW(M) {micro_tile<M, 1>, micro_tile<M, 2>}
const Tile kTiles[MR + 1][2] = {{nullptr, nullptr}, SD_ROW(1), SD_ROW(2), SD_ROW(3), SD_ROW(4), SD_ROW(5), SD_ROW(6)};
#undef SD_ROW

void micro(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 m, i64 n, int beta) {
  kTiles[m][(n + 7) / 8 - 1](kc, a, b, c, ldc, n, beta);
}

void pack_a(int trans, const float* a, i64 lda, i64 mc, i64 kc, float* dst) { pack_a_impl<MR>(trans, a, lda, mc, kc, dst); }

void pack_b(int trans, const float* b, i64 ldb, i64 kc, i64 nc, float* dst) {
  pack_b_x86<NR>(trans, Rows{b, ldb, nullptr, 0}, kc, nc, dst);
}

void pack_b_rows(int trans, const float* const* rows, i64 offset, i64 kc, i64 nc, float* dst) {
  pack_b_x86<NR>(trans, Rows{nullptr, 0, rows, offset}, kc, nc, dst);
}

const KernelSet kSet = {
    "avx2", MR, NR, 256, 96, 4096, micro, pack_a, pack_b, pack_b_rows,
    unary_impl, binary_impl, reduce_row_impl, reduce_into_impl, softmax_row_impl, adam_impl, sgd_impl,
    nullptr,  // no few-rows GEMM kernel: the packed path serves every product
};

}  // namespace

const KernelSet* avx2_kernels() { return &kSet; }

}  // namespace shendu
