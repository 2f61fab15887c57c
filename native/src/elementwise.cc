#include <algorithm>
#include <cstring>
#include <vector>

#include "ops.h"

namespace shendu {

namespace {

constexpr int kMaxRank = 32;

// Dimensions merged so that every run is contiguous (stride 1) or constant (stride 0).
// Fixed arrays: a heap allocation would cost more than a small kernel.
struct Loop {
  int rank = 0;
  i64 dims[kMaxRank], sa[kMaxRank], sb[kMaxRank];  // outermost first
};

void plan_broadcast(int rank, const i64* out, const i64* ash, const i64* bsh, Loop* loop) {
  i64 as[kMaxRank], bs[kMaxRank];
  i64 ta = 1, tb = 1;
  for (int d = rank - 1; d >= 0; d--) {
    as[d] = (ash[d] == 1 && out[d] != 1) ? 0 : ta;
    bs[d] = (bsh[d] == 1 && out[d] != 1) ? 0 : tb;
    ta *= ash[d];
    tb *= bsh[d];
  }
  int& m = loop->rank;
  for (int d = 0; d < rank; d++) {
    if (out[d] == 1) continue;
    if (m > 0) {
      // merge d into the previous run when both inputs continue it the same way
      const i64 n = out[d];
      const i64 pa = loop->sa[m - 1], pb = loop->sb[m - 1];
      const bool a_ok = (pa == 0 && as[d] == 0) || (as[d] != 0 && pa == as[d] * n);
      const bool b_ok = (pb == 0 && bs[d] == 0) || (bs[d] != 0 && pb == bs[d] * n);
      if (a_ok && b_ok) {
        loop->dims[m - 1] *= n;
        loop->sa[m - 1] = as[d];
        loop->sb[m - 1] = bs[d];
        continue;
      }
    }
    loop->dims[m] = out[d];
    loop->sa[m] = as[d];
    loop->sb[m] = bs[d];
    m++;
  }
}

}  // namespace

void binary_broadcast(const KernelSet& ks, int op, int rank, const i64* out_shape, const i64* a_shape,
                      const i64* b_shape, const float* a, const float* b, void* out) {
  for (int d = 0; d < rank; d++) {
    if (out_shape[d] == 0) return;
  }
  const bool cmp = is_comparison(op);
  float* yf = cmp ? nullptr : static_cast<float*>(out);
  uint8_t* yb = cmp ? static_cast<uint8_t*>(out) : nullptr;
  Loop loop;
  plan_broadcast(rank, out_shape, a_shape, b_shape, &loop);
  if (loop.rank == 0) {
    ks.binary(op, a, 1, b, 1, yf, yb, 1);
    return;
  }
  const int outer = loop.rank - 1;
  const i64 n = loop.dims[outer], sa = loop.sa[outer], sb = loop.sb[outer];
  i64 runs = 1;
  for (int d = 0; d < outer; d++) runs *= loop.dims[d];
  i64 counter[kMaxRank] = {};
  i64 oa = 0, ob = 0;
  for (i64 r = 0; r < runs; r++) {
    ks.binary(op, a + oa, sa, b + ob, sb, yf ? yf + r * n : nullptr, yb ? yb + r * n : nullptr, n);
    for (int d = outer - 1; d >= 0; d--) {
      oa += loop.sa[d];
      ob += loop.sb[d];
      if (++counter[d] < loop.dims[d]) break;
      oa -= loop.sa[d] * loop.dims[d];
      ob -= loop.sb[d] * loop.dims[d];
      counter[d] = 0;
    }
  }
}

void reduce_axes(const KernelSet& ks, int op, int rank, const i64* shape, const bool* reduced, const float* x,
                 float* out) {
  // merge into alternating runs of kept and reduced dimensions, size-1 dimensions dropped
  i64 dims[2 * kMaxRank];
  bool red[2 * kMaxRank];
  int m = 0, nred = 0;
  i64 out_size = 1, in_size = 1;
  for (int d = 0; d < rank; d++) {
    in_size *= shape[d];
    if (!reduced[d]) out_size *= shape[d];
    if (shape[d] == 1) continue;
    if (m > 0 && red[m - 1] == reduced[d]) {
      dims[m - 1] *= shape[d];
    } else {
      dims[m] = shape[d];
      red[m] = reduced[d];
      nred += reduced[d];
      m++;
    }
  }
  if (out_size == 0) return;
  if (in_size == 0) {
    const float identity = op == kSum ? 0.f : op == kProd ? 1.f : op == kMax ? -__builtin_inff() : __builtin_inff();
    std::fill(out, out + out_size, identity);
    return;
  }
  if (nred == 0) {
    std::memcpy(out, x, sizeof(float) * out_size);
    return;
  }
  // Remove one reduced run per pass: a trailing run by folding rows, otherwise the run
  // before the trailing kept run by folding rows into an accumulator row. The last pass
  // writes straight into `out`.
  std::vector<float> a, b;
  const float* src = x;
  for (; nred > 0; nred--) {
    const bool trailing = red[m - 1];
    const int r = trailing ? m - 1 : m - 2;
    i64 outer = 1;
    for (int d = 0; d < r; d++) outer *= dims[d];
    const i64 n = dims[r];
    const i64 inner = trailing ? 1 : dims[m - 1];
    float* dst = out;
    if (nred > 1) {
      a.resize(outer * inner);
      dst = a.data();
    }
    if (trailing) {
      for (i64 o = 0; o < outer; o++) dst[o] = ks.reduce_row(op, src + o * n, n);
    } else {
      for (i64 o = 0; o < outer; o++) {
        const float* block = src + o * n * inner;
        float* acc = dst + o * inner;
        std::memcpy(acc, block, sizeof(float) * inner);
        for (i64 k = 1; k < n; k++) ks.reduce_into(op, acc, block + k * inner, inner);
      }
    }
    // drop the reduced run and merge the kept runs on either side of it
    for (int d = r; d + 1 < m; d++) dims[d] = dims[d + 1], red[d] = red[d + 1];
    m--;
    if (r > 0 && r < m && !red[r - 1] && !red[r]) {
      dims[r - 1] *= dims[r];
      for (int d = r; d + 1 < m; d++) dims[d] = dims[d + 1], red[d] = red[d + 1];
      m--;
    }
    std::swap(a, b);
    src = b.data();
  }
}

void softmax(const KernelSet& ks, i64 outer, i64 n, i64 inner, int log, const float* x, float* y) {
  if (inner == 1) {
    for (i64 o = 0; o < outer; o++) ks.softmax_row(x + o * n, y + o * n, n, log);
    return;
  }
  // strided lines: gather each into a contiguous row, transform, scatter back
  std::vector<float> in(n), res(n);
  for (i64 o = 0; o < outer; o++) {
    for (i64 i = 0; i < inner; i++) {
      const i64 base = o * n * inner + i;
      for (i64 k = 0; k < n; k++) in[k] = x[base + k * inner];
      ks.softmax_row(in.data(), res.data(), n, log);
      for (i64 k = 0; k < n; k++) y[base + k * inner] = res[k];
    }
  }
}

}  // namespace shendu
