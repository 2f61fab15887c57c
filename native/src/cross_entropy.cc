// Softmax cross-entropy against class indices, fused (see src/backend/js/cross-entropy.ts,
// the reference): the loss of each row from its logits, and the gradient dy·(softmax − q)
// in one pass over the row, with q = (1 − ε)·onehot(label) + ε/C. Rows are independent;
// a label outside 0..C−1 gives a NaN row rather than a read out of bounds.
#include <cmath>
#include <limits>
#include <vector>

#include "kernels.h"
#include "ops.h"

namespace shendu {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

inline bool valid_label(int32_t label, i64 C) { return label >= 0 && label < C; }

}  // namespace

void sparse_softmax_cross_entropy(const KernelSet& ks, i64 N, i64 C, float smoothing, const float* x,
                                  const int32_t* labels, float* loss) {
  std::vector<float> log_p(static_cast<size_t>(C));
  for (i64 i = 0; i < N; i++) {
    if (!valid_label(labels[i], C)) {
      loss[i] = kNaN;
      continue;
    }
    ks.softmax_row(x + i * C, log_p.data(), C, 1);
    // −Σ q_c·log p_c = −(1 − ε)·log p_label − (ε/C)·Σ log p_c
    double spread = 0;
    if (smoothing != 0.f)
      for (i64 c = 0; c < C; c++) spread += log_p[c];
    loss[i] = static_cast<float>(-(1.0 - smoothing) * log_p[labels[i]] - smoothing / static_cast<double>(C) * spread);
  }
}

void sparse_softmax_cross_entropy_grad(const KernelSet& ks, i64 N, i64 C, float smoothing, const float* x,
                                       const int32_t* labels, const float* dy, float* dx) {
  const float uniform = smoothing / static_cast<float>(C);
  for (i64 i = 0; i < N; i++) {
    float* row = dx + i * C;
    if (!valid_label(labels[i], C)) {
      for (i64 c = 0; c < C; c++) row[c] = kNaN;
      continue;
    }
    ks.softmax_row(x + i * C, row, C, 0);
    const float g = dy[i];
    for (i64 c = 0; c < C; c++) row[c] = g * (row[c] - uniform);
    row[labels[i]] -= g * (1.f - smoothing);
  }
}

}  // namespace shendu
