// Products x·Wᵀ with few rows of C (a batch of 32 through a Linear layer, whose weight W
// is stored [out, in]), where the BLIS scheme would transpose-pack the whole weight every
// call: for M = 32 that packing took twice as long as the multiply. Here Cᵀ = W·xᵀ: W's
// rows are read in place (contiguous along k, broadcast one k at a time), only xᵀ (M
// columns) is packed, and each tile is written back transposed.
//
// (Reading a non-transposed B in place as well was tried and lost to packing by 2.5x: its
// rows are read 192 bytes at a time at a large stride, where packing streams them whole.)
//
// Every element of C is summed over k in the same order as in gemm_serial (kc blocks of
// the same size, k ascending inside a block), so the results are the packed path's, bit
// for bit, and do not depend on the thread count (threads take ranges of n).
#include <algorithm>

#include "gemm.h"
#include "threads.h"

namespace shendu {

namespace {

i64 round_up(i64 x, i64 m) { return (x + m - 1) / m * m; }

// Largest register block (mr x nr) of a kernel set with micro_a_rows.
constexpr i64 kMaxTile = 1024;

// Columns [n0, n1) of C = op(A)·Bᵀ computed as rows [n0, n1) of Cᵀ = B·op(A)ᵀ.
void rows_of_b(const KernelSet& ks, const OperandA& A, const OperandB& B, i64 M, i64 n0, i64 n1, i64 K, float* C,
               i64 ldc, int beta) {
  const i64 MR = ks.mr, NR = ks.nr, KC = ks.kc;
  float* bp = scratch(0, round_up(M, NR) * std::min(KC, K));
  // on the stack: the convolutions hold scratch slots 2 and 3 while they call the GEMM
  alignas(64) float tile[kMaxTile];
  for (i64 pc = 0; pc < K; pc += KC) {
    const i64 kc = std::min(KC, K - pc);
    // op(A)ᵀ as a B operand: element (p, m) is op(A)(m, pc + p)
    ks.pack_b(!A.trans, A.trans ? A.p + pc * A.ld : A.p + pc, A.ld, kc, M, bp);
    const int accumulate = beta || pc > 0;
    for (i64 ir = n0; ir < n1; ir += MR) {
      const i64 rows = std::min(MR, n1 - ir);
      for (i64 jr = 0; jr < M; jr += NR) {
        const i64 cols = std::min(NR, M - jr);
        ks.micro_a_rows(kc, B.p + ir * B.ld + pc, B.ld, bp + jr * kc, tile, rows, cols);
        for (i64 j = 0; j < cols; j++) {
          float* c = C + (jr + j) * ldc + ir;
          for (i64 i = 0; i < rows; i++) c[i] = accumulate ? c[i] + tile[i * NR + j] : tile[i * NR + j];
        }
      }
    }
  }
}

}  // namespace

bool gemm_small(const KernelSet& ks, const OperandA& A, const OperandB& B, i64 M, i64 N, i64 K, float* C, i64 ldc,
                int beta, int threads) {
  if (A.packed || B.rows || M > kSmallRows || K <= 0 || N <= 0 || M <= 0) return false;
  // the packing saved must be worth a separate path: a B of at least 16K elements
  if (K * N < (i64(1) << 14)) return false;
  if (!B.trans || !ks.micro_a_rows || ks.mr * ks.nr > kMaxTile) return false;
  // threads take ranges of n (rows of W) in whole register blocks
  const i64 unit = ks.mr;
  const i64 blocks = (N + unit - 1) / unit;
  const i64 parts = M * N * K < kParallelMacs ? 1 : std::min<i64>(threads, blocks);
  auto run = [&](i64 n0, i64 n1) { rows_of_b(ks, A, B, M, n0, n1, K, C, ldc, beta); };
  if (parts <= 1) {
    run(0, N);
    return true;
  }
  parallel_for(static_cast<int>(parts), [&](int part) {
    const i64 n0 = blocks * part / parts * unit, n1 = std::min(N, blocks * (part + 1) / parts * unit);
    run(n0, n1);
  });
  return true;
}

}  // namespace shendu
