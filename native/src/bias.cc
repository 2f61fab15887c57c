// y = act(x + bias) with the bias along one axis (x seen as [outer, C, inner]): the bias
// add of a dense or convolution layer and its relu in one pass over the activations
// instead of two (an NHWC bias is a period of C along the rows, which the generic
// broadcast walked in runs of C). Threads take whole rows of the outer axis when the
// tensor is large; each element is computed alone, so the split changes no result.
#include <algorithm>

#include "ops.h"
#include "threads.h"

namespace shendu {

namespace {

template <bool relu>
inline float act(float v) {
  if (relu) return v < 0.f ? 0.f : v;  // as the Relu kernel: NaN propagates
  return v;
}

template <bool relu>
void rows(const float* x, const float* b, float* y, i64 o0, i64 o1, i64 C, i64 inner) {
  for (i64 o = o0; o < o1; o++) {
    const i64 base = o * C * inner;
    if (inner == 1) {
      const float* xr = x + base;
      float* yr = y + base;
      for (i64 c = 0; c < C; c++) yr[c] = act<relu>(xr[c] + b[c]);
      continue;
    }
    for (i64 c = 0; c < C; c++) {
      const float bc = b[c];
      const float* xr = x + base + c * inner;
      float* yr = y + base + c * inner;
      for (i64 i = 0; i < inner; i++) yr[i] = act<relu>(xr[i] + bc);
    }
  }
}

}  // namespace

void bias_add(const float* x, const float* b, float* y, i64 outer, i64 C, i64 inner, int relu, int threads) {
  constexpr i64 kParallelElements = i64(1) << 16;
  auto run = [&](i64 o0, i64 o1) {
    if (relu) rows<true>(x, b, y, o0, o1, C, inner);
    else rows<false>(x, b, y, o0, o1, C, inner);
  };
  const i64 n = outer * C * inner;
  if (threads <= 1 || n < kParallelElements || outer < 2) return run(0, outer);
  const i64 parts = std::min<i64>(threads, outer);
  parallel_for(static_cast<int>(parts), [&](int k) { run(outer * k / parts, outer * (k + 1) / parts); });
}

}  // namespace shendu
