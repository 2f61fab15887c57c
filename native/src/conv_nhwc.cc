// Convolutions of channels-last images (NHWC) without a layout change: im2col + GEMM with
// the output pixels as rows. Row p of the patch matrix holds, tap (kh, kw) after tap, the
// cg channels of the input pixel that tap reads: runs that are contiguous in the image.
// With the filter permuted to [taps·cg, O] (small, done per call):
//
// - forward:          y[P, og]  = patches[P, K] · wt[K, og]         (per group, columns of y)
// - backprop filter:  wt[K, og] = patches[P, K]ᵀ · dy[P, og], P summed in fixed chunks
// - backprop input:   stride 1: the forward of dy with the filter flipped and its channel
//                     axes swapped (pads (k − 1)·d − pad, negative ones crop); otherwise
//                     dpatches = dy · wtᵀ, added back into dx image by image (col2im)
//
// P = N·OH·OW, K = KH·KW·cg. Forward and backprop-input tasks are blocks of rows, each a
// one-thread GEMM, and the filter gradient adds its chunks in order with GEMMs that split
// columns: every element is summed in the same order whatever the thread count.
#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "ops.h"
#include "threads.h"

namespace shendu {

namespace {

// Copies n floats with fixed-size copies (a run is often a few channels, where a call to
// memcpy would cost more than the copy).
inline void copy_run(float* d, const float* s, i64 n) {
  if (n >= 64) {
    std::memcpy(d, s, sizeof(float) * n);
  } else if (n >= 8) {
    for (i64 i = 0; i + 8 <= n; i += 8) std::memcpy(d + i, s + i, 32);
    std::memcpy(d + n - 8, s + n - 8, 32);
  } else if (n >= 4) {
    std::memcpy(d, s, 16);
    std::memcpy(d + n - 4, s + n - 4, 16);
  } else if (n >= 2) {
    std::memcpy(d, s, 8);
    std::memcpy(d + n - 2, s + n - 2, 8);
  } else if (n == 1) {
    d[0] = s[0];
  }
}

// Zeros n floats; most runs of padding are empty, and a call to memset is not free.
inline void zero_run(float* d, i64 n) {
  if (n > 0) std::memset(d, 0, sizeof(float) * n);
}

inline void add_run(float* d, const float* s, i64 n) {
  for (i64 i = 0; i < n; i++) d[i] += s[i];
}

// Taps kw in [lo, hi) of an output column whose window starts at input column iw0 read
// inside the image.
inline void tap_range(const ConvGeom& g, i64 iw0, i64& lo, i64& hi) {
  lo = iw0 >= 0 ? 0 : (-iw0 + g.dw - 1) / g.dw;
  hi = iw0 + (g.KW - 1) * g.dw < g.W ? g.KW : (g.W - iw0 > 0 ? (g.W - iw0 + g.dw - 1) / g.dw : 0);
  lo = std::min(lo, g.KW);
  hi = std::max(lo, hi);
}

// One walk over patch rows [p0, p0 + rows) of group grp serves both directions: with
// `to_patches` it fills buf [rows, K] from x (im2col, zeros for padding); otherwise it adds
// buf back into x (col2im). It goes by output rows, so the input row of a tap and the
// image are found once per row rather than once per pixel.
template <bool to_patches>
void transfer(const ConvGeom& g, float* x, i64 grp, i64 p0, i64 rows, float* buf) {
  const i64 C = g.C, cg = C / g.groups, W = g.W, KW = g.KW, OW = g.OW, ohw = g.OH * OW;
  const i64 run = KW * cg, K = g.KH * run, sw = g.sw, dw = g.dw, pl = g.pl;
  const bool whole_pixels = dw == 1 && cg == C;  // a row of taps is one run of the image
  for (i64 p = p0, end = p0 + rows; p < end;) {
    const i64 n = p / ohw, oh = p % ohw / OW, ow0 = p % OW, ow1 = std::min(OW, ow0 + (end - p));
    float* img = x + n * g.H * W * C + grp * cg;
    float* first = buf + (p - p0) * K;
    for (i64 kh = 0; kh < g.KH; kh++) {
      float* col = first + kh * run;
      const i64 ih = oh * g.sh - g.pt + kh * g.dh;
      if (ih < 0 || ih >= g.H) {
        if (to_patches) {
          for (i64 ow = ow0; ow < ow1; ow++) zero_run(col + (ow - ow0) * K, run);
        }
        continue;
      }
      float* line = img + ih * W * C;
      for (i64 ow = ow0; ow < ow1; ow++) {
        float* row = col + (ow - ow0) * K;
        const i64 iw0 = ow * sw - pl;
        i64 lo, hi;
        tap_range(g, iw0, lo, hi);
        if (to_patches) {
          zero_run(row, lo * cg);
          zero_run(row + hi * cg, (KW - hi) * cg);
        }
        if (whole_pixels) {
          float* src = line + (iw0 + lo) * C;
          if (to_patches) copy_run(row + lo * cg, src, (hi - lo) * cg);
          else add_run(src, row + lo * cg, (hi - lo) * cg);
          continue;
        }
        for (i64 kw = lo; kw < hi; kw++) {
          float* src = line + (iw0 + kw * dw) * C;
          if (to_patches) copy_run(row + kw * cg, src, cg);
          else add_run(src, row + kw * cg, cg);
        }
      }
    }
    p += ow1 - ow0;
  }
}

void im2col(const ConvGeom& g, const float* x, i64 grp, i64 p0, i64 rows, float* buf) {
  transfer<true>(g, const_cast<float*>(x), grp, p0, rows, buf);
}

void col2im(const ConvGeom& g, const float* buf, i64 grp, i64 p0, i64 rows, float* dx) {
  transfer<false>(g, dx, grp, p0, rows, const_cast<float*>(buf));
}

// The filter as the GEMMs want it: wt[(kh·KW + kw)·cg + c][o] = w[o][c][kh][kw] (K x O;
// group grp's block is columns [grp·og, (grp + 1)·og)).
void filter_to_taps(const ConvGeom& g, const float* w, float* wt) {
  const i64 cg = g.C / g.groups, taps = g.KH * g.KW;
  for (i64 o = 0; o < g.O; o++) {
    for (i64 c = 0; c < cg; c++) {
      for (i64 t = 0; t < taps; t++) wt[(t * cg + c) * g.O + o] = w[(o * cg + c) * taps + t];
    }
  }
}

// 1x1, stride 1, no padding: x itself is the patch matrix (row stride C).
bool pointwise(const ConvGeom& g) {
  return g.KH == 1 && g.KW == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pb == 0 && g.pl == 0 && g.pr == 0 &&
         g.OH == g.H && g.OW == g.W;
}

// Rows of patches per task: about 1 MiB of them, at least a few tasks per thread. The
// results do not depend on it (each row's GEMM sums in the same order).
i64 rows_per_task(i64 K, i64 P, int threads) {
  i64 rows = std::max<i64>(64, (i64(1) << 18) / std::max<i64>(K, 1));
  rows = std::min(rows, std::max<i64>(64, (P + 4 * threads - 1) / (4 * threads)));
  return (rows + 7) / 8 * 8;
}

// Runs fn(t) for t in [0, tasks), on the pool when the work is worth waking it.
template <class F>
void run_tasks(i64 tasks, i64 macs, int threads, F&& fn) {
  if (threads <= 1 || tasks <= 1 || macs < (i64(1) << 21)) {
    for (i64 t = 0; t < tasks; t++) fn(t);
    return;
  }
  parallel_for(static_cast<int>(tasks), [&](int t) { fn(t); });
}

// The forward pass with the filter already in tap order (wt, K x O).
void forward(const KernelSet& ks, const ConvGeom& g, const float* x, const float* wt, float* y, int threads) {
  const i64 cg = g.C / g.groups, og = g.O / g.groups, K = g.KH * g.KW * cg, P = g.N * g.OH * g.OW;
  const bool direct = pointwise(g);
  const i64 rows = rows_per_task(K, P, threads), tasks = (P + rows - 1) / rows;
  run_tasks(tasks, P * K * g.O, threads, [&](i64 t) {
    const i64 p0 = t * rows, r = std::min(rows, P - p0);
    float* buf = direct ? nullptr : scratch(2, r * K);
    for (i64 grp = 0; grp < g.groups; grp++) {
      if (!direct) im2col(g, x, grp, p0, r, buf);
      const float* a = direct ? x + p0 * g.C + grp * cg : buf;
      sgemm(ks, 0, 0, r, og, K, a, direct ? g.C : K, wt + grp * og, g.O, y + p0 * g.O + grp * og, g.O, 0, 1);
    }
  });
}

}  // namespace

void conv2d_nhwc(const KernelSet& ks, const ConvGeom& g, const float* x, const float* w, float* y, int threads) {
  const i64 K = g.KH * g.KW * (g.C / g.groups), P = g.N * g.OH * g.OW;
  if (P == 0 || g.O == 0) return;
  if (K == 0) {
    std::memset(y, 0, sizeof(float) * P * g.O);
    return;
  }
  std::vector<float> wt(K * g.O);
  filter_to_taps(g, w, wt.data());
  forward(ks, g, x, wt.data(), y, threads);
}

void conv2d_nhwc_backprop_input(const KernelSet& ks, const ConvGeom& g, const float* dy, const float* w, float* dx,
                                int threads) {
  const i64 cg = g.C / g.groups, og = g.O / g.groups, taps = g.KH * g.KW, K = taps * cg, ohw = g.OH * g.OW;
  const i64 total = g.N * g.H * g.W * g.C;
  if (total == 0) return;
  if (g.sh == 1 && g.sw == 1 && ohw > 0 && og > 0) {
    // dx is the stride-1 correlation of dy (O channels) with the flipped filter whose
    // channel axes are swapped: wt'[(i·KW + j)·og + o][grp·cg + c] = w[grp·og + o][c][KH-1-i][KW-1-j]
    ConvGeom t = g;
    t.C = g.O, t.H = g.OH, t.W = g.OW, t.O = g.C, t.OH = g.H, t.OW = g.W;
    t.pt = (g.KH - 1) * g.dh - g.pt, t.pb = (g.KH - 1) * g.dh - g.pb;
    t.pl = (g.KW - 1) * g.dw - g.pl, t.pr = (g.KW - 1) * g.dw - g.pr;
    std::vector<float> wt(taps * og * g.C);
    for (i64 grp = 0; grp < g.groups; grp++) {
      for (i64 o = 0; o < og; o++) {
        for (i64 c = 0; c < cg; c++) {
          const float* src = w + ((grp * og + o) * cg + c) * taps;
          for (i64 k = 0; k < taps; k++) wt[(k * og + o) * g.C + grp * cg + c] = src[taps - 1 - k];
        }
      }
    }
    return forward(ks, t, dy, wt.data(), dx, threads);
  }
  std::memset(dx, 0, sizeof(float) * total);
  if (ohw == 0 || K == 0 || og == 0) return;
  std::vector<float> wt(K * g.O);
  filter_to_taps(g, w, wt.data());
  // images are tasks (col2im of one image touches only that image), rows in fixed blocks
  const i64 rows = std::min(ohw, std::max<i64>(64, (i64(1) << 18) / K));
  run_tasks(g.N, g.N * ohw * K * g.O, threads, [&](i64 n) {
    float* buf = scratch(2, rows * K);
    for (i64 q0 = 0; q0 < ohw; q0 += rows) {
      const i64 p0 = n * ohw + q0, r = std::min(rows, ohw - q0);
      for (i64 grp = 0; grp < g.groups; grp++) {
        // [r, og] x [og, K] (wt's block stored K x og)
        sgemm(ks, 0, 1, r, K, og, dy + p0 * g.O + grp * og, g.O, wt.data() + grp * og, g.O, buf, K, 0, 1);
        col2im(g, buf, grp, p0, r, dx);
      }
    }
  });
}

void conv2d_nhwc_backprop_filter(const KernelSet& ks, const ConvGeom& g, const float* x, const float* dy, float* dw,
                                 int threads) {
  const i64 cg = g.C / g.groups, og = g.O / g.groups, taps = g.KH * g.KW, K = taps * cg, P = g.N * g.OH * g.OW;
  if (K == 0 || g.O == 0) return;
  // dw in tap order, [O, K]: dw_taps[o][t·cg + c] = dw[o][c][t]
  std::vector<float> wo(g.O * K, 0.f);
  const bool direct = pointwise(g);
  // chunks of rows (from the shapes only), added in order
  const i64 rows = direct ? std::max<i64>(P, 1) : std::max<i64>(64, (i64(1) << 20) / K);
  for (i64 p0 = 0; p0 < P; p0 += rows) {
    const i64 r = std::min(rows, P - p0);
    float* buf = direct ? nullptr : scratch(2, r * K);
    for (i64 grp = 0; grp < g.groups; grp++) {
      if (!direct) {
        const i64 parts = std::min<i64>((r + 63) / 64, 4 * threads);
        run_tasks(parts, r * K * og, threads, [&](i64 t) {
          const i64 a = r * t / parts, b = r * (t + 1) / parts;
          im2col(g, x, grp, p0 + a, b - a, buf + a * K);
        });
      }
      const float* patches = direct ? x + p0 * g.C + grp * cg : buf;
      // [og, r] (dy's block stored r x og) x [r, K]
      sgemm(ks, 1, 0, og, K, r, dy + p0 * g.O + grp * og, g.O, patches, direct ? g.C : K, wo.data() + grp * og * K, K,
            p0 > 0, threads);
    }
  }
  for (i64 o = 0; o < g.O; o++) {
    for (i64 c = 0; c < cg; c++) {
      for (i64 t = 0; t < taps; t++) dw[(o * cg + c) * taps + t] = wo[o * K + t * cg + c];
    }
  }
}

}  // namespace shendu
