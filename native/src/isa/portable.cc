// The portable path: plain C++ compiled for the architecture's baseline (SSE2 on x86-64,
// NEON on arm64). Runs everywhere.
#include <math.h>
#include <stdint.h>

#include "../kernels.h"

namespace shendu {
namespace {

#include "common.inc"

// GEMM micro-kernel: a 4 x 8 tile; the compiler keeps the accumulators in vector registers.
constexpr int MR = 4;
constexpr int NR = 8;

void micro(i64 kc, const float* SD_RESTRICT a, const float* SD_RESTRICT b, float* c, i64 ldc, i64 m, i64 n, int beta) {
  float acc[MR * NR] = {};
  for (i64 p = 0; p < kc; p++) {
    for (int r = 0; r < MR; r++) {
      const float av = a[r];
      for (int j = 0; j < NR; j++) acc[r * NR + j] += av * b[j];
    }
    a += MR;
    b += NR;
  }
  store_tile<MR, NR>(acc, c, ldc, m, n, beta);
}

void pack_a(int trans, const float* a, i64 lda, i64 mc, i64 kc, float* dst) { pack_a_impl<MR>(trans, a, lda, mc, kc, dst); }
void pack_b(int trans, const float* b, i64 ldb, i64 kc, i64 nc, float* dst) {
  pack_b_impl<NR>(trans, Rows{b, ldb, nullptr, 0}, kc, nc, dst);
}

void pack_b_rows(int trans, const float* const* rows, i64 offset, i64 kc, i64 nc, float* dst) {
  pack_b_impl<NR>(trans, Rows{nullptr, 0, rows, offset}, kc, nc, dst);
}

const KernelSet kSet = {
    "portable", MR, NR, 256, 128, 4096, micro, pack_a, pack_b, pack_b_rows,
    unary_impl, binary_impl, reduce_row_impl, reduce_into_impl, softmax_row_impl, adam_impl, sgd_impl,
    nullptr,  // no few-rows GEMM kernel: the packed path serves every product
};

}  // namespace

const KernelSet* portable_kernels() { return &kSet; }

#ifndef SHENDU_HAVE_AVX2
const KernelSet* avx2_kernels() { return nullptr; }
#endif
#ifndef SHENDU_HAVE_AVX512
const KernelSet* avx512_kernels() { return nullptr; }
#endif

}  // namespace shendu
