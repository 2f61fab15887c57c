// 2-D max and average pooling of NCHW images and their gradients, sliding or adaptive
// (PyTorch's windows from the output size); NHWC images go to pool_nhwc.cc. The windows
// along each axis are computed once per call (the taps inside the input, and the taps
// inside the padded input for count_include_pad), then every (image, channel) plane runs
// the same loops; planes are independent, so large calls split them over the thread pool.
#include <cstring>

#include "ops.h"
#include "pool_grid.h"
#include "threads.h"

namespace shendu {

Axis axis(i64 out, i64 in, i64 k, i64 stride, i64 dil, i64 pad_before, i64 pad_after) {
  Axis a;
  a.start.resize(out), a.lo.resize(out), a.hi.resize(out), a.padded.resize(out);
  for (i64 o = 0; o < out; o++) {
    const i64 first = o * stride - pad_before;
    i64 lo = first >= 0 ? 0 : (-first + dil - 1) / dil;
    i64 hi = first + (k - 1) * dil < in ? k : (in - first > 0 ? (in - first + dil - 1) / dil : 0);
    if (hi < lo) hi = lo;
    a.start[o] = first, a.lo[o] = lo, a.hi[o] = hi;
    // taps inside the padded extent [-pad_before, in + pad_after), as PyTorch counts them
    const i64 room = in + pad_after - first;
    const i64 taps = room > 0 ? (room + dil - 1) / dil : 0;
    a.padded[o] = taps < k ? taps : k;
  }
  return a;
}

Axis adaptive_axis(i64 out, i64 in) {
  Axis a;
  a.start.resize(out), a.lo.resize(out), a.hi.resize(out), a.padded.resize(out);
  for (i64 o = 0; o < out; o++) {
    const i64 lo = o * in / out, hi = ((o + 1) * in + out - 1) / out;
    a.start[o] = lo, a.lo[o] = 0, a.hi[o] = hi - lo, a.padded[o] = hi - lo;
  }
  return a;
}

Grid::Grid(const PoolGeom& geom)
    : g(geom),
      rows(geom.adaptive ? adaptive_axis(geom.OH, geom.H) : axis(geom.OH, geom.H, geom.KH, geom.sh, geom.dh, geom.pt, geom.pb)),
      cols(geom.adaptive ? adaptive_axis(geom.OW, geom.W) : axis(geom.OW, geom.W, geom.KW, geom.sw, geom.dw, geom.pl, geom.pr)) {}

float Grid::divisor(i64 oh, i64 ow) const {
  if (g.count_include_pad) return float(rows.padded[oh] * cols.padded[ow]);
  return float((rows.hi[oh] - rows.lo[oh]) * (cols.hi[ow] - cols.lo[ow]));
}

namespace {

// Runs fn(plane) for every (image, channel) plane, over the pool when there is enough work.
template <class F>
void each_plane(const PoolGeom& g, F&& fn) {
  const i64 planes = g.N * g.C;
  const i64 work = planes * g.OH * g.OW * g.KH * g.KW;
  const int parts = work >= (i64(1) << 18) ? static_cast<int>(planes < num_threads() ? planes : num_threads()) : 1;
  if (parts <= 1) {
    for (i64 p = 0; p < planes; p++) fn(p);
    return;
  }
  parallel_for(parts, [&](int part) {
    for (i64 p = planes * part / parts; p < planes * (part + 1) / parts; p++) fn(p);
  });
}

// Index in the plane of the first maximum of window (oh, ow) (NaN counts as the maximum,
// as in PyTorch); -1 when the window is empty. Selects rather than branches: on real data
// the comparisons are unpredictable.
inline i64 argmax(const Grid& gr, const float* plane, i64 oh, i64 ow) {
  const PoolGeom& g = gr.g;
  const i64 h0 = gr.rows.lo[oh], h1 = gr.rows.hi[oh], w0 = gr.cols.lo[ow], w1 = gr.cols.hi[ow];
  if (h0 >= h1 || w0 >= w1) return -1;
  const i64 first = (gr.rows.start[oh] + h0 * g.dh) * g.W + gr.cols.start[ow] + w0 * g.dw;
  i64 best = first;
  float bv = plane[first];
  for (i64 kh = h0; kh < h1; kh++) {
    const i64 row = (gr.rows.start[oh] + kh * g.dh) * g.W + gr.cols.start[ow];
    for (i64 kw = w0; kw < w1; kw++) {
      const i64 idx = row + kw * g.dw;
      const float v = plane[idx];
      const bool take = takes_max(v, bv);
      best = take ? idx : best;
      bv = take ? v : bv;
    }
  }
  return best;
}

// The maximum of window (oh, ow), NaN winning; -inf for an empty window.
inline float window_max(const Grid& gr, const float* plane, i64 oh, i64 ow) {
  const PoolGeom& g = gr.g;
  float m = -__builtin_inff();
  bool nan = false;
  for (i64 kh = gr.rows.lo[oh]; kh < gr.rows.hi[oh]; kh++) {
    const float* row = plane + (gr.rows.start[oh] + kh * g.dh) * g.W + gr.cols.start[ow];
    for (i64 kw = gr.cols.lo[ow]; kw < gr.cols.hi[ow]; kw++) {
      const float v = row[kw * g.dw];
      m = v > m ? v : m;
      nan |= v != v;
    }
  }
  return nan ? __builtin_nanf("") : m;
}

inline float max_of(float m, float v, bool& nan) {
  nan |= v != v;
  return v > m ? v : m;
}

void max_pool2d_2x2(const PoolGeom& g, const float* x, float* y) {
  each_plane(g, [&](i64 p) {
    const float* plane = x + p * g.H * g.W;
    float* out = y + p * g.OH * g.OW;
    for (i64 oh = 0; oh < g.OH; oh++) {
      const float* r0 = plane + 2 * oh * g.W;
      const float* r1 = r0 + g.W;
      for (i64 ow = 0; ow < g.OW; ow++) {
        bool nan = false;
        float m = max_of(-__builtin_inff(), r0[2 * ow], nan);
        m = max_of(m, r0[2 * ow + 1], nan);
        m = max_of(m, r1[2 * ow], nan);
        m = max_of(m, r1[2 * ow + 1], nan);
        out[oh * g.OW + ow] = nan ? __builtin_nanf("") : m;
      }
    }
  });
}

// Writes every element of dx (the windows tile the input but for an odd last row or
// column), so dx needs no zeroing pass.
void max_pool2d_grad_2x2(const PoolGeom& g, const float* x, const float* dy, float* dx) {
  each_plane(g, [&](i64 p) {
    const float* plane = x + p * g.H * g.W;
    const float* grad = dy + p * g.OH * g.OW;
    float* out = dx + p * g.H * g.W;
    for (i64 oh = 0; oh < g.OH; oh++) {
      const i64 r0 = 2 * oh * g.W, r1 = r0 + g.W;
      for (i64 ow = 0; ow < g.OW; ow++) {
        const i64 taps[4] = {r0 + 2 * ow, r0 + 2 * ow + 1, r1 + 2 * ow, r1 + 2 * ow + 1};
        int best = 0;
        float bv = plane[taps[0]];
        for (int k = 1; k < 4; k++) {
          const float v = plane[taps[k]];
          const bool take = takes_max(v, bv);
          best = take ? k : best;
          bv = take ? v : bv;
        }
        const float d = grad[oh * g.OW + ow];
        for (int k = 0; k < 4; k++) out[taps[k]] = k == best ? d : 0.f;
      }
      if (g.W % 2) out[r0 + g.W - 1] = out[r1 + g.W - 1] = 0.f;
    }
    if (g.H % 2) std::memset(out + (g.H - 1) * g.W, 0, sizeof(float) * g.W);
  });
}

}  // namespace

void max_pool2d(const PoolGeom& g, const float* x, float* y) {
  if (g.channels_last) return max_pool2d_nhwc(g, x, y);
  if (is_2x2(g)) return max_pool2d_2x2(g, x, y);
  const Grid gr(g);
  each_plane(g, [&](i64 p) {
    const float* plane = x + p * g.H * g.W;
    float* out = y + p * g.OH * g.OW;
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) out[oh * g.OW + ow] = window_max(gr, plane, oh, ow);
    }
  });
}

void max_pool2d_grad(const PoolGeom& g, const float* x, const float* dy, float* dx) {
  if (g.channels_last) return max_pool2d_grad_nhwc(g, x, dy, dx);
  if (is_2x2(g)) return max_pool2d_grad_2x2(g, x, dy, dx);
  const Grid gr(g);
  each_plane(g, [&](i64 p) {
    const float* plane = x + p * g.H * g.W;
    const float* grad = dy + p * g.OH * g.OW;
    float* out = dx + p * g.H * g.W;
    std::memset(out, 0, sizeof(float) * g.H * g.W);
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) {
        const i64 idx = argmax(gr, plane, oh, ow);
        if (idx >= 0) out[idx] += grad[oh * g.OW + ow];
      }
    }
  });
}

void avg_pool2d(const PoolGeom& g, const float* x, float* y) {
  if (g.channels_last) return avg_pool2d_nhwc(g, x, y);
  const Grid gr(g);
  each_plane(g, [&](i64 p) {
    const float* plane = x + p * g.H * g.W;
    float* out = y + p * g.OH * g.OW;
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) {
        float s = 0.f;
        for (i64 kh = gr.rows.lo[oh]; kh < gr.rows.hi[oh]; kh++) {
          const float* row = plane + (gr.rows.start[oh] + kh * g.dh) * g.W + gr.cols.start[ow];
          for (i64 kw = gr.cols.lo[ow]; kw < gr.cols.hi[ow]; kw++) s += row[kw * g.dw];
        }
        out[oh * g.OW + ow] = s / gr.divisor(oh, ow);
      }
    }
  });
}

void avg_pool2d_grad(const PoolGeom& g, const float* dy, float* dx) {
  if (g.channels_last) return avg_pool2d_grad_nhwc(g, dy, dx);
  const Grid gr(g);
  each_plane(g, [&](i64 p) {
    const float* grad = dy + p * g.OH * g.OW;
    float* plane = dx + p * g.H * g.W;
    std::memset(plane, 0, sizeof(float) * g.H * g.W);
    for (i64 oh = 0; oh < g.OH; oh++) {
      for (i64 ow = 0; ow < g.OW; ow++) {
        const float v = grad[oh * g.OW + ow] / gr.divisor(oh, ow);
        for (i64 kh = gr.rows.lo[oh]; kh < gr.rows.hi[oh]; kh++) {
          float* row = plane + (gr.rows.start[oh] + kh * g.dh) * g.W + gr.cols.start[ow];
          for (i64 kw = gr.cols.lo[ow]; kw < gr.cols.hi[ow]; kw++) row[kw * g.dw] += v;
        }
      }
    }
  });
}

}  // namespace shendu
