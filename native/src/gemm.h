// SGEMM in the style of BLIS: op(B) packed into nr-column panels (kc x nc, L3/L2), op(A)
// into mr-row panels (mc x kc, L2), a register-blocked micro-kernel per instruction set.
#pragma once
#include "kernels.h"

namespace shendu {

// C = op(A)·op(B) (+ C when beta is 1), row-major. op(A) is M x K (A stored K x M when
// transA), op(B) is K x N (B stored N x K when transB); lda/ldb/ldc are row strides.
// Uses up to `threads` threads when the product is large enough to gain. Every element of
// C is summed in the same order whatever the thread count, so results are identical.
void sgemm(const KernelSet& ks, int transA, int transB, i64 M, i64 N, i64 K, const float* A, i64 lda,
           const float* B, i64 ldb, float* C, i64 ldc, int beta, int threads);

// An operand of the general driver. A: stored M x K (K x M when trans) with row stride ld,
// or `packed` by pack_a_full. B: stored K x N (N x K when trans) with row stride ld, or by
// row pointers (`rows`, see KernelSet::pack_b_rows) when the rows are not evenly spaced.
struct OperandA {
  int trans;
  const float* p;
  i64 ld;
  const float* packed;
};

struct OperandB {
  int trans;
  const float* p;
  i64 ld;
  const float* const* rows;
  i64 offset;
};

// C = op(A)·op(B) (+ C when beta is 1) for the operands above; threads as in sgemm.
void gemm(const KernelSet& ks, const OperandA& A, const OperandB& B, i64 M, i64 N, i64 K, float* C, i64 ldc, int beta,
          int threads);

// Packs all of op(A) (M x K) once, for products that reuse it; packed_a_size floats.
i64 packed_a_size(const KernelSet& ks, i64 M, i64 K);
void pack_a_full(const KernelSet& ks, int trans, const float* A, i64 lda, i64 M, i64 K, float* dst);

// `batch` independent products; matrix b of A starts at A + b * strideA (likewise B, C).
void sgemm_batched(const KernelSet& ks, int transA, int transB, i64 batch, i64 M, i64 N, i64 K, const float* A,
                   i64 strideA, const float* B, i64 strideB, float* C, i64 strideC, int beta, int threads);

// Multiply-adds below which a product runs on one thread: waking a sleeping worker costs
// tens of microseconds, more than splitting a smaller product saves.
constexpr i64 kParallelMacs = i64(1) << 23;

// Products with at most this many rows of C may take gemm_small's path.
constexpr i64 kSmallRows = 64;

// C = op(A)·Bᵀ for few rows of C without packing B (gemm_small.cc); false, doing
// nothing, when the product or the kernel set does not suit it.
bool gemm_small(const KernelSet& ks, const OperandA& A, const OperandB& B, i64 M, i64 N, i64 K, float* C, i64 ldc,
                int beta, int threads);

// 64-byte aligned scratch that belongs to the calling thread; `slot` tells buffers apart.
float* scratch(int slot, i64 floats);

}  // namespace shendu
