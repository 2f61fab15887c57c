// The AVX2 + FMA path (compiled with -mavx2 -mfma). Only reached after CPUID confirmed
// the features (cpu.cc).
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "../kernels.h"

namespace shendu {
namespace {

#include "common.inc"

// GEMM micro-kernel: a 6 x 16 tile of C in 12 ymm accumulators (of 16 registers).
constexpr int MR = 6;
constexpr int NR = 16;

void micro(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 m, i64 n, int beta) {
  __m256 c0[MR], c1[MR];
  for (int r = 0; r < MR; r++) {
    c0[r] = _mm256_setzero_ps();
    c1[r] = _mm256_setzero_ps();
  }
  for (i64 p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
    for (int r = 0; r < MR; r++) {
      const __m256 av = _mm256_broadcast_ss(a + r);
      c0[r] = _mm256_fmadd_ps(av, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps(av, b1, c1[r]);
    }
    a += MR;
    b += NR;
  }
  if (m == MR && n == NR) {
    for (int r = 0; r < MR; r++) {
      float* cr = c + r * ldc;
      if (beta) {
        c0[r] = _mm256_add_ps(c0[r], _mm256_loadu_ps(cr));
        c1[r] = _mm256_add_ps(c1[r], _mm256_loadu_ps(cr + 8));
      }
      _mm256_storeu_ps(cr, c0[r]);
      _mm256_storeu_ps(cr + 8, c1[r]);
    }
    return;
  }
  alignas(32) float tile[MR * NR];
  for (int r = 0; r < MR; r++) {
    _mm256_store_ps(tile + r * NR, c0[r]);
    _mm256_store_ps(tile + r * NR + 8, c1[r]);
  }
  store_tile<MR, NR>(tile, c, ldc, m, n, beta);
}

void pack_a(int trans, const float* a, i64 lda, i64 mc, i64 kc, float* dst) { pack_a_impl<MR>(trans, a, lda, mc, kc, dst); }
void pack_b(int trans, const float* b, i64 ldb, i64 kc, i64 nc, float* dst) { pack_b_impl<NR>(trans, b, ldb, kc, nc, dst); }

const KernelSet kSet = {
    "avx2", MR, NR, 256, 96, 4096, micro, pack_a, pack_b,
    unary_impl, binary_impl, reduce_row_impl, reduce_into_impl, softmax_row_impl,
};

}  // namespace

const KernelSet* avx2_kernels() { return &kSet; }

}  // namespace shendu
