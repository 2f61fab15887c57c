#include <algorithm>
#include <cstring>
#include <vector>

#include "ops.h"

namespace shendu {

namespace {

// Dimensions merged so that every run is contiguous (stride 1) or constant (stride 0).
struct Loop {
  std::vector<i64> dims, sa, sb;  // outermost first
};

Loop plan_broadcast(int rank, const i64* out, const i64* ash, const i64* bsh) {
  std::vector<i64> as(rank), bs(rank);
  i64 ta = 1, tb = 1;
  for (int d = rank - 1; d >= 0; d--) {
    as[d] = (ash[d] == 1 && out[d] != 1) ? 0 : ta;
    bs[d] = (bsh[d] == 1 && out[d] != 1) ? 0 : tb;
    ta *= ash[d];
    tb *= bsh[d];
  }
  Loop loop;
  for (int d = 0; d < rank; d++) {
    if (out[d] == 1) continue;
    if (!loop.dims.empty()) {
      // merge d into the previous run when both inputs continue it the same way
      const i64 n = out[d];
      i64& pd = loop.dims.back();
      const bool a_ok = (loop.sa.back() == 0 && as[d] == 0) || (as[d] != 0 && loop.sa.back() == as[d] * n);
      const bool b_ok = (loop.sb.back() == 0 && bs[d] == 0) || (bs[d] != 0 && loop.sb.back() == bs[d] * n);
      if (a_ok && b_ok) {
        pd *= n;
        loop.sa.back() = as[d];
        loop.sb.back() = bs[d];
        continue;
      }
    }
    loop.dims.push_back(out[d]);
    loop.sa.push_back(as[d]);
    loop.sb.push_back(bs[d]);
  }
  return loop;
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
  Loop loop = plan_broadcast(rank, out_shape, a_shape, b_shape);
  if (loop.dims.empty()) {
    ks.binary(op, a, 1, b, 1, yf, yb, 1);
    return;
  }
  const int outer = static_cast<int>(loop.dims.size()) - 1;
  const i64 n = loop.dims[outer], sa = loop.sa[outer], sb = loop.sb[outer];
  i64 runs = 1;
  for (int d = 0; d < outer; d++) runs *= loop.dims[d];
  std::vector<i64> counter(outer, 0);
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
  std::vector<i64> dims;
  std::vector<bool> red;
  i64 out_size = 1, in_size = 1;
  for (int d = 0; d < rank; d++) {
    in_size *= shape[d];
    if (!reduced[d]) out_size *= shape[d];
    if (shape[d] == 1) continue;
    if (!dims.empty() && red.back() == reduced[d]) {
      dims.back() *= shape[d];
    } else {
      dims.push_back(shape[d]);
      red.push_back(reduced[d]);
    }
  }
  if (out_size == 0) return;
  if (in_size == 0) {
    const float identity = op == kSum ? 0.f : op == kProd ? 1.f : op == kMax ? -__builtin_inff() : __builtin_inff();
    std::fill(out, out + out_size, identity);
    return;
  }
  // Remove one reduced run per pass: a trailing run by folding rows, otherwise the run
  // before the trailing kept run by folding rows into an accumulator row.
  std::vector<float> a, b;
  const float* src = x;
  for (;;) {
    const bool any = std::find(red.begin(), red.end(), true) != red.end();
    if (!any) break;
    const size_t last = dims.size() - 1;
    i64 outer = 1;
    const bool trailing = red[last];
    const size_t r = trailing ? last : last - 1;
    for (size_t d = 0; d < r; d++) outer *= dims[d];
    const i64 n = dims[r];
    const i64 inner = trailing ? 1 : dims[last];
    // the last pass writes straight into `out`
    const bool final_pass = std::count(red.begin(), red.end(), true) == 1;
    float* dst;
    if (final_pass) {
      dst = out;
    } else {
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
    if (final_pass) return;
    // drop the reduced run and merge the kept runs around it
    dims.erase(dims.begin() + r);
    red.erase(red.begin() + r);
    if (r > 0 && r < dims.size() && !red[r - 1] && !red[r]) {
      dims[r - 1] *= dims[r];
      dims.erase(dims.begin() + r);
      red.erase(red.begin() + r);
    }
    std::swap(a, b);
    src = b.data();
  }
  std::memcpy(out, src, sizeof(float) * out_size);
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
