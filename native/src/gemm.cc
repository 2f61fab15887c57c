#include "gemm.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "threads.h"

namespace shendu {

namespace {

struct Scratch {
  float* data[4] = {nullptr, nullptr, nullptr, nullptr};
  i64 size[4] = {0, 0, 0, 0};
  ~Scratch() {
    for (float* p : data) ::operator delete(p, std::align_val_t(64));
  }
};

i64 round_up(i64 x, i64 m) { return (x + m - 1) / m * m; }

// One thread's product: the BLIS loop nest jc (nc) > pc (kc) > ic (mc) > jr (nr) > ir (mr).
void gemm_serial(const KernelSet& ks, int ta, int tb, i64 M, i64 N, i64 K, const float* A, i64 lda,
                 const float* B, i64 ldb, float* C, i64 ldc, int beta) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!beta) {
      for (i64 i = 0; i < M; i++) std::memset(C + i * ldc, 0, sizeof(float) * N);
    }
    return;
  }
  const i64 MR = ks.mr, NR = ks.nr, KC = ks.kc, MC = ks.mc, NC = ks.nc;
  float* bp = scratch(0, std::min(KC, K) * round_up(std::min(NC, N), NR));
  float* ap = scratch(1, std::min(KC, K) * round_up(std::min(MC, M), MR));
  for (i64 jc = 0; jc < N; jc += NC) {
    const i64 nc = std::min(NC, N - jc);
    for (i64 pc = 0; pc < K; pc += KC) {
      const i64 kc = std::min(KC, K - pc);
      ks.pack_b(tb, tb ? B + jc * ldb + pc : B + pc * ldb + jc, ldb, kc, nc, bp);
      const int accumulate = beta || pc > 0;
      for (i64 ic = 0; ic < M; ic += MC) {
        const i64 mc = std::min(MC, M - ic);
        ks.pack_a(ta, ta ? A + pc * lda + ic : A + ic * lda + pc, lda, mc, kc, ap);
        for (i64 jr = 0; jr < nc; jr += NR) {
          const i64 n = std::min(NR, nc - jr);
          for (i64 ir = 0; ir < mc; ir += MR) {
            ks.gemm_micro(kc, ap + ir * kc, bp + jr * kc, C + (ic + ir) * ldc + jc + jr, ldc,
                          std::min(MR, mc - ir), n, accumulate);
          }
        }
      }
    }
  }
}

}  // namespace

float* scratch(int slot, i64 floats) {
  thread_local Scratch s;
  if (s.size[slot] < floats) {
    ::operator delete(s.data[slot], std::align_val_t(64));
    const i64 grown = std::max(floats, s.size[slot] * 3 / 2);
    s.data[slot] = static_cast<float*>(::operator new(sizeof(float) * grown, std::align_val_t(64)));
    s.size[slot] = grown;
  }
  return s.data[slot];
}

void sgemm(const KernelSet& ks, int ta, int tb, i64 M, i64 N, i64 K, const float* A, i64 lda, const float* B,
           i64 ldb, float* C, i64 ldc, int beta, int threads) {
  const i64 mblocks = (M + ks.mr - 1) / ks.mr;
  const i64 nblocks = (N + ks.nr - 1) / ks.nr;
  i64 parts = threads;
  if (M * N * std::max<i64>(K, 1) < kParallelMacs) parts = 1;
  // split C along its longer side (in register blocks), one part per thread
  const bool split_n = nblocks >= mblocks;
  parts = std::min(parts, split_n ? nblocks : mblocks);
  if (parts <= 1) return gemm_serial(ks, ta, tb, M, N, K, A, lda, B, ldb, C, ldc, beta);
  const i64 blocks = split_n ? nblocks : mblocks;
  parallel_for(static_cast<int>(parts), [&](int part) {
    const i64 b0 = blocks * part / parts, b1 = blocks * (part + 1) / parts;
    if (split_n) {
      const i64 j0 = b0 * ks.nr, j1 = std::min(N, b1 * ks.nr);
      gemm_serial(ks, ta, tb, M, j1 - j0, K, A, lda, tb ? B + j0 * ldb : B + j0, ldb, C + j0, ldc, beta);
    } else {
      const i64 i0 = b0 * ks.mr, i1 = std::min(M, b1 * ks.mr);
      gemm_serial(ks, ta, tb, i1 - i0, N, K, ta ? A + i0 : A + i0 * lda, lda, B, ldb, C + i0 * ldc, ldc, beta);
    }
  });
}

void sgemm_batched(const KernelSet& ks, int ta, int tb, i64 batch, i64 M, i64 N, i64 K, const float* A,
                   i64 strideA, const float* B, i64 strideB, float* C, i64 strideC, int beta, int threads) {
  const i64 lda = ta ? M : K, ldb = tb ? K : N, ldc = N;
  const i64 macs = M * N * std::max<i64>(K, 1);
  if (batch > 1 && threads > 1 && macs < kParallelMacs && batch * macs >= kParallelMacs) {
    // many small products: one contiguous range of the batch per thread
    const i64 parts = std::min<i64>(threads, batch);
    parallel_for(static_cast<int>(parts), [&](int part) {
      for (i64 b = batch * part / parts; b < batch * (part + 1) / parts; b++) {
        gemm_serial(ks, ta, tb, M, N, K, A + b * strideA, lda, B + b * strideB, ldb, C + b * strideC, ldc, beta);
      }
    });
    return;
  }
  for (i64 b = 0; b < batch; b++) {
    sgemm(ks, ta, tb, M, N, K, A + b * strideA, lda, B + b * strideB, ldb, C + b * strideC, ldc, beta, threads);
  }
}

}  // namespace shendu
