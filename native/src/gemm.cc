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
void gemm_serial(const KernelSet& ks, const OperandA& A, const OperandB& B, i64 M, i64 N, i64 K, float* C, i64 ldc,
                 int beta) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!beta) {
      for (i64 i = 0; i < M; i++) std::memset(C + i * ldc, 0, sizeof(float) * N);
    }
    return;
  }
  const i64 MR = ks.mr, NR = ks.nr, KC = ks.kc, MC = ks.mc, NC = ks.nc;
  float* bp = scratch(0, std::min(KC, K) * round_up(std::min(NC, N), NR));
  float* ap = A.packed ? nullptr : scratch(1, std::min(KC, K) * round_up(std::min(MC, M), MR));
  for (i64 jc = 0; jc < N; jc += NC) {
    const i64 nc = std::min(NC, N - jc);
    for (i64 pc = 0; pc < K; pc += KC) {
      const i64 kc = std::min(KC, K - pc);
      if (B.rows) {
        ks.pack_b_rows(B.trans, B.rows + (B.trans ? jc : pc), B.offset + (B.trans ? pc : jc), kc, nc, bp);
      } else {
        ks.pack_b(B.trans, B.trans ? B.p + jc * B.ld + pc : B.p + pc * B.ld + jc, B.ld, kc, nc, bp);
      }
      const int accumulate = beta || pc > 0;
      for (i64 ic = 0; ic < M; ic += MC) {
        const i64 mc = std::min(MC, M - ic);
        const float* panels;
        if (A.packed) {
          panels = A.packed + pc * round_up(M, MR) + ic * kc;
        } else {
          ks.pack_a(A.trans, A.trans ? A.p + pc * A.ld + ic : A.p + ic * A.ld + pc, A.ld, mc, kc, ap);
          panels = ap;
        }
        for (i64 jr = 0; jr < nc; jr += NR) {
          const i64 n = std::min(NR, nc - jr);
          for (i64 ir = 0; ir < mc; ir += MR) {
            ks.gemm_micro(kc, panels + ir * kc, bp + jr * kc, C + (ic + ir) * ldc + jc + jr, ldc,
                          std::min(MR, mc - ir), n, accumulate);
          }
        }
      }
    }
  }
}

// Columns [j0, j1) of op(B).
OperandB columns(const OperandB& B, i64 j0) {
  OperandB sub = B;
  if (B.rows) {
    if (B.trans) sub.rows += j0;
    else sub.offset += j0;
  } else {
    sub.p += B.trans ? j0 * B.ld : j0;
  }
  return sub;
}

// Rows [i0, i1) of op(A) (not for pre-packed A).
OperandA rows_of(const OperandA& A, i64 i0) {
  OperandA sub = A;
  sub.p += A.trans ? i0 : i0 * A.ld;
  return sub;
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

i64 packed_a_size(const KernelSet& ks, i64 M, i64 K) { return round_up(M, ks.mr) * K; }

void pack_a_full(const KernelSet& ks, int trans, const float* A, i64 lda, i64 M, i64 K, float* dst) {
  for (i64 pc = 0; pc < K; pc += ks.kc) {
    const i64 kc = std::min<i64>(ks.kc, K - pc);
    ks.pack_a(trans, trans ? A + pc * lda : A + pc, lda, M, kc, dst + pc * round_up(M, ks.mr));
  }
}

void gemm(const KernelSet& ks, const OperandA& A, const OperandB& B, i64 M, i64 N, i64 K, float* C, i64 ldc, int beta,
          int threads) {
  if (gemm_small(ks, A, B, M, N, K, C, ldc, beta, threads)) return;
  const i64 mblocks = (M + ks.mr - 1) / ks.mr;
  const i64 nblocks = (N + ks.nr - 1) / ks.nr;
  i64 parts = threads;
  if (M * N * std::max<i64>(K, 1) < kParallelMacs) parts = 1;
  // split C along its longer side (in register blocks), one part per thread; a pre-packed
  // A is only split by columns
  const bool split_n = nblocks >= mblocks || A.packed;
  const i64 blocks = split_n ? nblocks : mblocks;
  parts = std::min(parts, blocks);
  if (parts <= 1) return gemm_serial(ks, A, B, M, N, K, C, ldc, beta);
  parallel_for(static_cast<int>(parts), [&](int part) {
    const i64 b0 = blocks * part / parts, b1 = blocks * (part + 1) / parts;
    if (split_n) {
      const i64 j0 = b0 * ks.nr, j1 = std::min(N, b1 * ks.nr);
      gemm_serial(ks, A, columns(B, j0), M, j1 - j0, K, C + j0, ldc, beta);
    } else {
      const i64 i0 = b0 * ks.mr, i1 = std::min(M, b1 * ks.mr);
      gemm_serial(ks, rows_of(A, i0), B, i1 - i0, N, K, C + i0 * ldc, ldc, beta);
    }
  });
}

void sgemm(const KernelSet& ks, int ta, int tb, i64 M, i64 N, i64 K, const float* A, i64 lda, const float* B,
           i64 ldb, float* C, i64 ldc, int beta, int threads) {
  gemm(ks, OperandA{ta, A, lda, nullptr}, OperandB{tb, B, ldb, nullptr, 0}, M, N, K, C, ldc, beta, threads);
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
        sgemm(ks, ta, tb, M, N, K, A + b * strideA, lda, B + b * strideB, ldb, C + b * strideC, ldc, beta, 1);
      }
    });
    return;
  }
  for (i64 b = 0; b < batch; b++) {
    sgemm(ks, ta, tb, M, N, K, A + b * strideA, lda, B + b * strideB, ldb, C + b * strideC, ldc, beta, threads);
  }
}

}  // namespace shendu
