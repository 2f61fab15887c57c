#include <algorithm>
#include <cstring>
#include <vector>

#include "ops.h"

namespace shendu {

namespace {

constexpr int kMaxRank = 32;
constexpr int kMaxOperands = 3;

// Dimensions merged so that every run is contiguous (stride 1) or constant (stride 0) in
// every operand. Fixed arrays: a heap allocation would cost more than a small kernel.
struct Loop {
  int rank = 0;
  int operands = 0;
  i64 dims[kMaxRank];
  i64 strides[kMaxOperands][kMaxRank];  // outermost first
};

// Plans the broadcast of `k` operands (shapes padded to `rank`) to `out`.
void plan_broadcast(int rank, const i64* out, int k, const i64* const* shapes, Loop* loop) {
  i64 st[kMaxOperands][kMaxRank];
  for (int o = 0; o < k; o++) {
    i64 t = 1;
    for (int d = rank - 1; d >= 0; d--) {
      st[o][d] = (shapes[o][d] == 1 && out[d] != 1) ? 0 : t;
      t *= shapes[o][d];
    }
  }
  loop->operands = k;
  int& m = loop->rank;
  for (int d = 0; d < rank; d++) {
    if (out[d] == 1) continue;
    if (m > 0) {
      // merge d into the previous run when every operand continues it the same way
      bool ok = true;
      for (int o = 0; o < k && ok; o++) {
        const i64 prev = loop->strides[o][m - 1], cur = st[o][d];
        ok = (prev == 0 && cur == 0) || (cur != 0 && prev == cur * out[d]);
      }
      if (ok) {
        loop->dims[m - 1] *= out[d];
        for (int o = 0; o < k; o++) loop->strides[o][m - 1] = st[o][d];
        continue;
      }
    }
    loop->dims[m] = out[d];
    for (int o = 0; o < k; o++) loop->strides[o][m] = st[o][d];
    m++;
  }
}

// Calls run(offsets, out_offset, n, inner_strides) for every innermost run of the loop.
template <class F>
void for_each_run(const Loop& loop, F&& run) {
  const int k = loop.operands;
  i64 off[kMaxOperands] = {}, inner[kMaxOperands];
  if (loop.rank == 0) {
    for (int o = 0; o < k; o++) inner[o] = 1;
    run(off, i64(0), i64(1), inner);
    return;
  }
  const int last = loop.rank - 1;
  const i64 n = loop.dims[last];
  for (int o = 0; o < k; o++) inner[o] = loop.strides[o][last];
  i64 runs = 1;
  for (int d = 0; d < last; d++) runs *= loop.dims[d];
  i64 counter[kMaxRank] = {};
  for (i64 r = 0; r < runs; r++) {
    run(off, r * n, n, inner);
    for (int d = last - 1; d >= 0; d--) {
      for (int o = 0; o < k; o++) off[o] += loop.strides[o][d];
      if (++counter[d] < loop.dims[d]) break;
      for (int o = 0; o < k; o++) off[o] -= loop.strides[o][d] * loop.dims[d];
      counter[d] = 0;
    }
  }
}

bool empty(int rank, const i64* shape) {
  for (int d = 0; d < rank; d++) {
    if (shape[d] == 0) return true;
  }
  return false;
}

}  // namespace

void binary_broadcast(const KernelSet& ks, int op, int rank, const i64* out_shape, const i64* a_shape,
                      const i64* b_shape, const float* a, const float* b, void* out) {
  if (empty(rank, out_shape)) return;
  const bool cmp = is_comparison(op);
  float* yf = cmp ? nullptr : static_cast<float*>(out);
  uint8_t* yb = cmp ? static_cast<uint8_t*>(out) : nullptr;
  Loop loop;
  const i64* shapes[2] = {a_shape, b_shape};
  plan_broadcast(rank, out_shape, 2, shapes, &loop);
  for_each_run(loop, [&](const i64* off, i64 at, i64 n, const i64* inner) {
    ks.binary(op, a + off[0], inner[0], b + off[1], inner[1], yf ? yf + at : nullptr, yb ? yb + at : nullptr, n);
  });
}

void transpose_batched(i64 B, i64 R, i64 C, const float* x, float* y) {
  constexpr i64 T = 32;  // a 32x32 tile of each side stays in L1
  for (i64 b = 0; b < B; b++) {
    const float* xb = x + b * R * C;
    float* yb = y + b * R * C;
    for (i64 r0 = 0; r0 < R; r0 += T) {
      const i64 r1 = r0 + T < R ? r0 + T : R;
      for (i64 c0 = 0; c0 < C; c0 += T) {
        const i64 c1 = c0 + T < C ? c0 + T : C;
        for (i64 c = c0; c < c1; c++) {
          float* out = yb + c * R;
          for (i64 r = r0; r < r1; r++) out[r] = xb[r * C + c];
        }
      }
    }
  }
}

void where_broadcast(int rank, const i64* out_shape, const i64* c_shape, const i64* a_shape, const i64* b_shape,
                     const uint8_t* c, const float* a, const float* b, float* out) {
  if (empty(rank, out_shape)) return;
  Loop loop;
  const i64* shapes[3] = {c_shape, a_shape, b_shape};
  plan_broadcast(rank, out_shape, 3, shapes, &loop);
  for_each_run(loop, [&](const i64* off, i64 at, i64 n, const i64* inner) {
    const uint8_t* cc = c + off[0];
    const float* aa = a + off[1];
    const float* bb = b + off[2];
    float* y = out + at;
    const i64 sc = inner[0], sa = inner[1], sb = inner[2];
    if (sc && sa && sb) {
      for (i64 i = 0; i < n; i++) y[i] = cc[i] ? aa[i] : bb[i];
    } else if (sc && sa) {
      const float v = bb[0];
      for (i64 i = 0; i < n; i++) y[i] = cc[i] ? aa[i] : v;
    } else if (sc && sb) {
      const float v = aa[0];
      for (i64 i = 0; i < n; i++) y[i] = cc[i] ? v : bb[i];
    } else {
      for (i64 i = 0; i < n; i++) y[i] = cc[i * sc] ? aa[i * sa] : bb[i * sb];
    }
  });
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

void arg_reduce(int max, i64 outer, i64 n, i64 inner, const float* x, int32_t* out) {
  for (i64 o = 0; o < outer; o++) {
    for (i64 i = 0; i < inner; i++) {
      const float* line = x + o * n * inner + i;
      i64 best = 0;
      float bv = line[0];
      for (i64 k = 1; k < n && bv == bv; k++) {
        const float v = line[k * inner];
        if (v != v || (max ? v > bv : v < bv)) {
          best = k;
          bv = v;
        }
      }
      out[o * inner + i] = static_cast<int32_t>(best);
    }
  }
}

void cumsum(i64 outer, i64 n, i64 inner, int exclusive, int reverse, const float* x, float* out) {
  for (i64 o = 0; o < outer; o++) {
    for (i64 i = 0; i < inner; i++) {
      const i64 base = o * n * inner + i;
      double acc = 0;
      for (i64 j = 0; j < n; j++) {
        const i64 at = base + (reverse ? n - 1 - j : j) * inner;
        const double v = x[at];
        if (exclusive) {
          out[at] = static_cast<float>(acc);
          acc += v;
        } else {
          acc += v;
          out[at] = static_cast<float>(acc);
        }
      }
    }
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
