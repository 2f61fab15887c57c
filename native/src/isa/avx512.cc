// The AVX-512 path (compiled with -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma).
// Only reached after CPUID confirmed the features (cpu.cc).
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "../kernels.h"

namespace shendu {
namespace {

#include "common.inc"

// GEMM micro-kernel: a 14 x 32 tile of C in 28 zmm accumulators; each k step loads two
// vectors of the B panel and broadcasts 14 values of the A panel.
constexpr int MR = 14;
constexpr int NR = 32;

void micro(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 m, i64 n, int beta) {
  __m512 c0[MR], c1[MR];
  for (int r = 0; r < MR; r++) {
    c0[r] = _mm512_setzero_ps();
    c1[r] = _mm512_setzero_ps();
  }
  for (i64 p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_load_ps(b);
    const __m512 b1 = _mm512_load_ps(b + 16);
    _mm_prefetch(reinterpret_cast<const char*>(b + 8 * NR), _MM_HINT_T0);
    for (int r = 0; r < MR; r++) {
      const __m512 av = _mm512_set1_ps(a[r]);
      c0[r] = _mm512_fmadd_ps(av, b0, c0[r]);
      c1[r] = _mm512_fmadd_ps(av, b1, c1[r]);
    }
    a += MR;
    b += NR;
  }
  if (m == MR && n == NR) {
    for (int r = 0; r < MR; r++) {
      float* cr = c + r * ldc;
      if (beta) {
        c0[r] = _mm512_add_ps(c0[r], _mm512_loadu_ps(cr));
        c1[r] = _mm512_add_ps(c1[r], _mm512_loadu_ps(cr + 16));
      }
      _mm512_storeu_ps(cr, c0[r]);
      _mm512_storeu_ps(cr + 16, c1[r]);
    }
    return;
  }
  alignas(64) float tile[MR * NR];
  for (int r = 0; r < MR; r++) {
    _mm512_store_ps(tile + r * NR, c0[r]);
    _mm512_store_ps(tile + r * NR + 16, c1[r]);
  }
  store_tile<MR, NR>(tile, c, ldc, m, n, beta);
}

void pack_a(int trans, const float* a, i64 lda, i64 mc, i64 kc, float* dst) { pack_a_impl<MR>(trans, a, lda, mc, kc, dst); }
void pack_b(int trans, const float* b, i64 ldb, i64 kc, i64 nc, float* dst) { pack_b_impl<NR>(trans, b, ldb, kc, nc, dst); }

const KernelSet kSet = {
    "avx512", MR, NR, 256, 112, 4096, micro, pack_a, pack_b,
    unary_impl, binary_impl, reduce_row_impl, reduce_into_impl, softmax_row_impl,
};

}  // namespace

const KernelSet* avx512_kernels() { return &kSet; }

}  // namespace shendu
