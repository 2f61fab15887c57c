// The table of inner loops compiled once per instruction-set path (isa/*.cc). Drivers
// (gemm.cc, elementwise.cc, conv.cc, ...) do the shape logic once and call these.
#pragma once
#include <cstddef>
#include <cstdint>

namespace shendu {

using i64 = std::int64_t;

// Unary ops; the order matches UNARY_OPS in src/backend/native/ops.ts.
enum UnaryOp : int {
  kNeg, kAbs, kSign, kExp, kLog, kLog1p, kExpm1, kSqrt, kRsqrt, kSquare, kReciprocal,
  kSin, kCos, kTanh, kErf, kSigmoid, kRelu, kLeakyRelu, kElu, kSelu, kGeluErf, kGeluTanh,
  kSoftplus, kSilu, kFloor, kCeil, kRound, kClip, kUnaryCount
};

// Binary ops; the order matches BINARY_OPS in src/backend/native/ops.ts. Comparisons
// write bytes (bool), the rest floats.
enum BinaryOp : int {
  kAdd, kSub, kMul, kDiv, kPow, kMaximum, kMinimum, kReluGrad,
  kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kBinaryCount
};
inline bool is_comparison(int op) { return op >= kEqual; }

// Reductions; the order matches REDUCE_OPS in src/backend/native/ops.ts.
enum ReduceOp : int { kSum, kProd, kMax, kMin, kReduceCount };

// One fused optimizer update of a float32 parameter tensor, in place (the formulas of
// src/optim/adam.ts and sgd.ts). Scalars derived from the step count come precomputed.
struct AdamStep {
  float* p;
  const float* g;
  float* m;
  float* v;
  float* vmax;  // AMSGrad's running maximum, or null
  i64 n;
  float beta1, beta2, eps, l2, shrink, sign, step_size, bc2_sqrt;
  // elements [a, b) as a step of their own
  AdamStep slice(i64 a, i64 b) const {
    AdamStep s = *this;
    s.p += a, s.g += a, s.m += a, s.v += a, s.n = b - a;
    if (s.vmax) s.vmax += a;
    return s;
  }
};

struct SgdStep {
  float* p;
  const float* g;
  float* buf;  // momentum buffer, or null
  i64 n;
  float lr, momentum, dampening, weight_decay, sign;
  int first, nesterov;
  // elements [a, b) as a step of their own
  SgdStep slice(i64 a, i64 b) const {
    SgdStep s = *this;
    s.p += a, s.g += a, s.n = b - a;
    if (s.buf) s.buf += a;
    return s;
  }
};

struct KernelSet {
  const char* name;

  // GEMM register block: the micro-kernel computes an mr x nr tile of C from an A panel
  // (kc x mr, column of mr per k) and a B panel (kc x nr, row of nr per k), both packed.
  // m <= mr and n <= nr give the valid part of the tile; beta is 0 or 1 (add into C).
  int mr, nr;
  int kc, mc, nc;  // cache blocking
  void (*gemm_micro)(i64 kc, const float* a, const float* b, float* c, i64 ldc, i64 m, i64 n, int beta);
  // Pack an mc x kc block of op(A) into mr-row panels, and a kc x nc block of op(B) into
  // nr-column panels, zero-padding the last panel. `a` points at the block's first element
  // of the stored matrix (element (i, p) of op(A) is a[i*lda + p], or a[p*lda + i] when
  // transposed; likewise for B).
  void (*pack_a)(int trans, const float* a, i64 lda, i64 mc, i64 kc, float* dst);
  void (*pack_b)(int trans, const float* b, i64 ldb, i64 kc, i64 nc, float* dst);
  // pack_b with op(B) given by row pointers: element (p, j) is rows[p][offset + j], or
  // rows[j][offset + p] when transposed (the implicit im2col of the convolutions).
  void (*pack_b_rows)(int trans, const float* const* rows, i64 offset, i64 kc, i64 nc, float* dst);

  // y[i] = op(x[i]) for n elements; p0, p1 are the op's parameters (alpha, beta, ...).
  void (*unary)(int op, const float* x, float* y, i64 n, float p0, float p1);
  // y[i] = op(a[i*sa], b[i*sb]) with sa, sb in {0, 1}; comparisons write to the bytes `yb`.
  void (*binary)(int op, const float* a, i64 sa, const float* b, i64 sb, float* y, uint8_t* yb, i64 n);
  // Folds a contiguous row: returns op over x[0..n) (the op's identity when n == 0).
  float (*reduce_row)(int op, const float* x, i64 n);
  // acc[i] = op(acc[i], x[i]) for i < n: reduction over a leading axis, row by row.
  void (*reduce_into)(int op, float* acc, const float* x, i64 n);
  // Softmax (or log-softmax) of one contiguous row.
  void (*softmax_row)(const float* x, float* y, i64 n, int log);
  void (*adam)(const AdamStep& s);
  void (*sgd)(const SgdStep& s);

  // Optional (null on paths without it): for products x·Wᵀ with few rows of C, where
  // packing W costs more than the multiply (gemm_small.cc). An m x n tile (m <= mr, n <= nr) of rows of A read in place (row r at a + r*lda,
  // contiguous along k) times a packed B panel, written to tile[r*nr + j].
  void (*micro_a_rows)(i64 kc, const float* a, i64 lda, const float* b, float* tile, i64 m, i64 n);
};

// The kernel sets compiled in; null when a path was not built on this architecture.
const KernelSet* portable_kernels();
const KernelSet* avx2_kernels();
const KernelSet* avx512_kernels();

}  // namespace shendu
