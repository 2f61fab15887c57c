// 2-D max and average pooling and their gradients, one (image, channel) plane at a time.
#include <cstring>

#include "ops.h"

namespace shendu {

namespace {

// Window positions along one axis: index o covers inputs start + k*d for k < K that fall
// inside [0, size). Returns the first valid k and one past the last.
inline void window(i64 o, i64 stride, i64 pad, i64 dil, i64 K, i64 size, i64* k0, i64* k1) {
  const i64 start = o * stride - pad;
  i64 lo = 0, hi = K;
  if (start < 0) lo = (-start + dil - 1) / dil;
  if (start + (K - 1) * dil >= size) hi = size - start > 0 ? (size - start + dil - 1) / dil : 0;
  if (hi < lo) hi = lo;
  *k0 = lo;
  *k1 = hi;
}

template <class F>
void each_window(const PoolGeom& g, F&& f) {
  for (i64 plane = 0; plane < g.N * g.C; plane++) {
    for (i64 oh = 0; oh < g.OH; oh++) {
      i64 h0, h1;
      window(oh, g.sh, g.pt, g.dh, g.KH, g.H, &h0, &h1);
      for (i64 ow = 0; ow < g.OW; ow++) {
        i64 w0, w1;
        window(ow, g.sw, g.pl, g.dw, g.KW, g.W, &w0, &w1);
        f(plane, oh, ow, h0, h1, w0, w1);
      }
    }
  }
}

// Index (in the plane) of the first maximum of a window; -1 for an empty window.
inline i64 argmax(const PoolGeom& g, const float* plane, i64 oh, i64 ow, i64 h0, i64 h1, i64 w0, i64 w1) {
  i64 best = -1;
  float bv = -__builtin_inff();
  for (i64 kh = h0; kh < h1; kh++) {
    const i64 ih = oh * g.sh - g.pt + kh * g.dh;
    for (i64 kw = w0; kw < w1; kw++) {
      const i64 idx = ih * g.W + ow * g.sw - g.pl + kw * g.dw;
      const float v = plane[idx];
      if (best < 0 || v > bv || (v != v && bv == bv)) {
        best = idx;
        bv = v;
      }
    }
  }
  return best;
}

// Divisor of an average window: valid positions, or with count_include_pad the positions
// inside the padded input.
inline float divisor(const PoolGeom& g, i64 oh, i64 ow, i64 h0, i64 h1, i64 w0, i64 w1) {
  if (!g.count_include_pad) return float((h1 - h0) * (w1 - w0));
  i64 ph0, ph1, pw0, pw1;
  window(oh, g.sh, 0, g.dh, g.KH, g.H + g.pt + g.pb, &ph0, &ph1);
  window(ow, g.sw, 0, g.dw, g.KW, g.W + g.pl + g.pr, &pw0, &pw1);
  (void)h0, (void)h1, (void)w0, (void)w1;
  return float((ph1 - ph0) * (pw1 - pw0));
}

}  // namespace

void max_pool2d(const PoolGeom& g, const float* x, float* y) {
  each_window(g, [&](i64 plane, i64 oh, i64 ow, i64 h0, i64 h1, i64 w0, i64 w1) {
    const float* xp = x + plane * g.H * g.W;
    const i64 idx = argmax(g, xp, oh, ow, h0, h1, w0, w1);
    y[(plane * g.OH + oh) * g.OW + ow] = idx < 0 ? -__builtin_inff() : xp[idx];
  });
}

void max_pool2d_grad(const PoolGeom& g, const float* x, const float* dy, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.N * g.C * g.H * g.W);
  each_window(g, [&](i64 plane, i64 oh, i64 ow, i64 h0, i64 h1, i64 w0, i64 w1) {
    const i64 idx = argmax(g, x + plane * g.H * g.W, oh, ow, h0, h1, w0, w1);
    if (idx >= 0) dx[plane * g.H * g.W + idx] += dy[(plane * g.OH + oh) * g.OW + ow];
  });
}

void avg_pool2d(const PoolGeom& g, const float* x, float* y) {
  each_window(g, [&](i64 plane, i64 oh, i64 ow, i64 h0, i64 h1, i64 w0, i64 w1) {
    const float* xp = x + plane * g.H * g.W;
    float s = 0.f;
    for (i64 kh = h0; kh < h1; kh++) {
      const float* row = xp + (oh * g.sh - g.pt + kh * g.dh) * g.W + ow * g.sw - g.pl;
      for (i64 kw = w0; kw < w1; kw++) s += row[kw * g.dw];
    }
    y[(plane * g.OH + oh) * g.OW + ow] = s / divisor(g, oh, ow, h0, h1, w0, w1);
  });
}

void avg_pool2d_grad(const PoolGeom& g, const float* dy, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.N * g.C * g.H * g.W);
  each_window(g, [&](i64 plane, i64 oh, i64 ow, i64 h0, i64 h1, i64 w0, i64 w1) {
    float* xp = dx + plane * g.H * g.W;
    const float v = dy[(plane * g.OH + oh) * g.OW + ow] / divisor(g, oh, ow, h0, h1, w0, w1);
    for (i64 kh = h0; kh < h1; kh++) {
      float* row = xp + (oh * g.sh - g.pt + kh * g.dh) * g.W + ow * g.sw - g.pl;
      for (i64 kw = w0; kw < w1; kw++) row[kw * g.dw] += v;
    }
  });
}

}  // namespace shendu
