// Max and average pooling of NHWC images and their gradients. The channels of a pixel are
// contiguous, so every loop runs along them: a window is a handful of taps, each a
// vector of C values combined with the output pixel's C values. Images are independent
// (a gradient's overlapping windows stay inside one image), so large calls split them over
// the thread pool; each output is computed the same way whatever the split.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ops.h"
#include "pool_grid.h"
#include "threads.h"

namespace shendu {

namespace {

// Runs fn(n) for every image, over the pool when there is enough work.
template <class F>
void each_image(const PoolGeom& g, F&& fn) {
  const i64 work = g.N * g.C * g.OH * g.OW * std::max<i64>(1, g.adaptive ? 4 : g.KH * g.KW);
  const int parts = work >= (i64(1) << 18) ? static_cast<int>(std::min<i64>(g.N, num_threads())) : 1;
  if (parts <= 1) {
    for (i64 n = 0; n < g.N; n++) fn(n);
    return;
  }
  parallel_for(parts, [&](int part) {
    for (i64 n = g.N * part / parts; n < g.N * (part + 1) / parts; n++) fn(n);
  });
}

// Calls tap(pixel) with the pixel index (ih·W + iw) in the image of each tap of window
// (oh, ow) inside the input, in row-major order.
template <class F>
inline void each_tap(const Grid& gr, i64 oh, i64 ow, F&& tap) {
  const PoolGeom& g = gr.g;
  for (i64 kh = gr.rows.lo[oh]; kh < gr.rows.hi[oh]; kh++) {
    const i64 row = (gr.rows.start[oh] + kh * g.dh) * g.W + gr.cols.start[ow];
    for (i64 kw = gr.cols.lo[ow]; kw < gr.cols.hi[ow]; kw++) tap(row + kw * g.dw);
  }
}

// NaN wins: once m is NaN no comparison replaces it.
inline float max_nan(float m, float v) { return (v > m || v != v) ? v : m; }

void max_pool2d_2x2(const PoolGeom& g, const float* x, float* y) {
  const i64 C = g.C, W = g.W;
  each_image(g, [&](i64 n) {
    const float* img = x + n * g.H * W * C;
    for (i64 oh = 0; oh < g.OH; oh++) {
      float* out = y + (n * g.OH + oh) * g.OW * C;
      const float* r0 = img + 2 * oh * W * C;
      const float* r1 = r0 + W * C;
      for (i64 ow = 0; ow < g.OW; ow++, out += C) {
        const float *a = r0 + 2 * ow * C, *b = a + C, *e = r1 + 2 * ow * C, *f = e + C;
        for (i64 c = 0; c < C; c++) out[c] = max_nan(max_nan(max_nan(a[c], b[c]), e[c]), f[c]);
      }
    }
  });
}

// The 2x2 / stride-2 windows tile the image; the gradient writes every element of dx
// (zeros for the odd last row or column), so dx needs no zeroing pass.
void max_pool2d_grad_2x2(const PoolGeom& g, const float* x, const float* dy, float* dx) {
  const i64 C = g.C, W = g.W;
  each_image(g, [&](i64 n) {
    const float* img = x + n * g.H * W * C;
    float* out = dx + n * g.H * W * C;
    for (i64 oh = 0; oh < g.OH; oh++) {
      const float* grad = dy + (n * g.OH + oh) * g.OW * C;
      const i64 r0 = 2 * oh * W, r1 = r0 + W;
      for (i64 ow = 0; ow < g.OW; ow++) {
        const i64 p[4] = {(r0 + 2 * ow) * C, (r0 + 2 * ow + 1) * C, (r1 + 2 * ow) * C, (r1 + 2 * ow + 1) * C};
        const float* d = grad + ow * C;
        for (i64 c = 0; c < C; c++) {
          const float a = img[p[0] + c], b = img[p[1] + c], e = img[p[2] + c], f = img[p[3] + c];
          // the first maximum in row-major order, NaN winning
          int best = 0;
          float bv = a;
          if (takes_max(b, bv)) best = 1, bv = b;
          if (takes_max(e, bv)) best = 2, bv = e;
          if (takes_max(f, bv)) best = 3;
          out[p[0] + c] = best == 0 ? d[c] : 0.f;
          out[p[1] + c] = best == 1 ? d[c] : 0.f;
          out[p[2] + c] = best == 2 ? d[c] : 0.f;
          out[p[3] + c] = best == 3 ? d[c] : 0.f;
        }
      }
      if (W % 2) {
        std::memset(out + (r0 + W - 1) * C, 0, sizeof(float) * C);
        std::memset(out + (r1 + W - 1) * C, 0, sizeof(float) * C);
      }
    }
    if (g.H % 2) std::memset(out + (g.H - 1) * W * C, 0, sizeof(float) * W * C);
  });
}

}  // namespace

void max_pool2d_nhwc(const PoolGeom& g, const float* x, float* y) {
  if (is_2x2(g)) return max_pool2d_2x2(g, x, y);
  const Grid gr(g);
  const i64 C = g.C;
  each_image(g, [&](i64 n) {
    const float* img = x + n * g.H * g.W * C;
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) {
        float* out = y + ((n * g.OH + oh) * g.OW + ow) * C;
        std::fill(out, out + C, -__builtin_inff());
        each_tap(gr, oh, ow, [&](i64 pixel) {
          const float* v = img + pixel * C;
          for (i64 c = 0; c < C; c++) out[c] = max_nan(out[c], v[c]);
        });
      }
    }
  });
}

void max_pool2d_grad_nhwc(const PoolGeom& g, const float* x, const float* dy, float* dx) {
  if (is_2x2(g)) return max_pool2d_grad_2x2(g, x, dy, dx);
  const Grid gr(g);
  const i64 C = g.C;
  std::memset(dx, 0, sizeof(float) * g.N * g.H * g.W * C);
  each_image(g, [&](i64 n) {
    const float* img = x + n * g.H * g.W * C;
    float* out = dx + n * g.H * g.W * C;
    thread_local std::vector<i64> best;
    thread_local std::vector<float> bv;
    best.resize(C), bv.resize(C);
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) {
        std::fill(best.begin(), best.end(), -1);
        each_tap(gr, oh, ow, [&](i64 pixel) {
          const float* v = img + pixel * C;
          for (i64 c = 0; c < C; c++) {
            const bool take = best[c] < 0 || takes_max(v[c], bv[c]);
            best[c] = take ? pixel : best[c];
            bv[c] = take ? v[c] : bv[c];
          }
        });
        const float* d = dy + ((n * g.OH + oh) * g.OW + ow) * C;
        for (i64 c = 0; c < C; c++) {
          if (best[c] >= 0) out[best[c] * C + c] += d[c];
        }
      }
    }
  });
}

void avg_pool2d_nhwc(const PoolGeom& g, const float* x, float* y) {
  const Grid gr(g);
  const i64 C = g.C;
  each_image(g, [&](i64 n) {
    const float* img = x + n * g.H * g.W * C;
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) {
        float* out = y + ((n * g.OH + oh) * g.OW + ow) * C;
        std::fill(out, out + C, 0.f);
        each_tap(gr, oh, ow, [&](i64 pixel) {
          const float* v = img + pixel * C;
          for (i64 c = 0; c < C; c++) out[c] += v[c];
        });
        const float div = gr.divisor(oh, ow);
        for (i64 c = 0; c < C; c++) out[c] /= div;
      }
    }
  });
}

void avg_pool2d_grad_nhwc(const PoolGeom& g, const float* dy, float* dx) {
  const Grid gr(g);
  const i64 C = g.C;
  std::memset(dx, 0, sizeof(float) * g.N * g.H * g.W * C);
  each_image(g, [&](i64 n) {
    float* out = dx + n * g.H * g.W * C;
    thread_local std::vector<float> share;
    share.resize(C);
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) {
        const float* d = dy + ((n * g.OH + oh) * g.OW + ow) * C;
        const float div = gr.divisor(oh, ow);
        for (i64 c = 0; c < C; c++) share[c] = d[c] / div;
        each_tap(gr, oh, ow, [&](i64 pixel) {
          float* v = out + pixel * C;
          for (i64 c = 0; c < C; c++) v[c] += share[c];
        });
      }
    }
  });
}

}  // namespace shendu
