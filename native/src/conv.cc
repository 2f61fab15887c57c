// Convolution entry points. Stride-1 convolutions whose rows widen little take the path
// without an im2col buffer (conv_direct.cc); the others run im2col + GEMM here, with
// images in chunks whose columns sit side by side, so one GEMM covers many images (small
// MNIST-sized images make a poor GEMM one at a time). The chunk size depends only on the
// shapes, never on the thread count, so the results do not either.
#include <algorithm>
#include <cstring>

#include "gemm.h"
#include "ops.h"
#include "threads.h"

namespace shendu {

namespace {

// Column buffers up to this many floats per chunk (16 MiB).
constexpr i64 kChunkFloats = i64(1) << 22;

i64 images_per_chunk(const ConvGeom& g, i64 rows) {
  const i64 per_image = std::max<i64>(1, rows * g.OH * g.OW);
  return std::max<i64>(1, std::min(g.N, kChunkFloats / per_image));
}

// Writes channels [c0, c0 + cg) of image `img` as rows (c, kh, kw) of `col`, columns
// [col0, col0 + OH*OW) of a matrix whose rows are `ld` long.
void im2col(const ConvGeom& g, const float* img, i64 cg, float* col, i64 ld) {
  const i64 ohw = g.OH * g.OW;
  for (i64 c = 0; c < cg; c++) {
    const float* plane = img + c * g.H * g.W;
    for (i64 kh = 0; kh < g.KH; kh++) {
      for (i64 kw = 0; kw < g.KW; kw++) {
        float* row = col + ((c * g.KH + kh) * g.KW + kw) * ld;
        // output columns whose input column lies inside the image: ow in [lo, hi)
        const i64 off = kw * g.dw - g.pl;
        i64 lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
        i64 hi = g.W - off > 0 ? (g.W - off + g.sw - 1) / g.sw : 0;
        lo = std::min(lo, g.OW);
        hi = std::max(lo, std::min(hi, g.OW));
        for (i64 oh = 0; oh < g.OH; oh++) {
          float* dst = row + oh * g.OW;
          const i64 ih = oh * g.sh - g.pt + kh * g.dh;
          if (ih < 0 || ih >= g.H) {
            std::memset(dst, 0, sizeof(float) * g.OW);
            continue;
          }
          const float* src = plane + ih * g.W + off;
          for (i64 ow = 0; ow < lo; ow++) dst[ow] = 0.f;
          if (g.sw == 1) {
            std::memcpy(dst + lo, src + lo, sizeof(float) * (hi - lo));
          } else {
            for (i64 ow = lo; ow < hi; ow++) dst[ow] = src[ow * g.sw];
          }
          for (i64 ow = hi; ow < g.OW; ow++) dst[ow] = 0.f;
        }
      }
    }
  }
  (void)ohw;
}

// The adjoint of im2col: adds the columns back into the (zeroed) image channels.
void col2im(const ConvGeom& g, const float* col, i64 ld, i64 cg, float* img) {
  for (i64 c = 0; c < cg; c++) {
    float* plane = img + c * g.H * g.W;
    for (i64 kh = 0; kh < g.KH; kh++) {
      for (i64 kw = 0; kw < g.KW; kw++) {
        const float* row = col + ((c * g.KH + kh) * g.KW + kw) * ld;
        const i64 off = kw * g.dw - g.pl;
        i64 lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
        i64 hi = g.W - off > 0 ? (g.W - off + g.sw - 1) / g.sw : 0;
        lo = std::min(lo, g.OW);
        hi = std::max(lo, std::min(hi, g.OW));
        for (i64 oh = 0; oh < g.OH; oh++) {
          const i64 ih = oh * g.sh - g.pt + kh * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          const float* src = row + oh * g.OW;
          float* dst = plane + ih * g.W + off;
          for (i64 ow = lo; ow < hi; ow++) dst[ow * g.sw] += src[ow];
        }
      }
    }
  }
}

// Runs fn(i) for i in [0, n) on the pool when there is more than one.
template <class F>
void each(i64 n, int threads, F&& f) {
  if (threads <= 1 || n <= 1) {
    for (i64 i = 0; i < n; i++) f(i);
    return;
  }
  parallel_for(static_cast<int>(n), [&](int i) { f(i); });
}

// Copies the output gradient of images n0..n0+nb, group grp, from NCHW into the GEMM layout
// [og, nb·ohw] that both backward passes multiply by.
void gather_output_grad(const ConvGeom& g, const float* dy, i64 n0, i64 nb, i64 grp, float* grad) {
  const i64 og = g.O / g.groups, ohw = g.OH * g.OW, ld = nb * ohw;
  for (i64 i = 0; i < nb; i++) {
    for (i64 o = 0; o < og; o++) {
      std::memcpy(grad + o * ld + i * ohw, dy + ((n0 + i) * g.O + grp * og + o) * ohw, sizeof(float) * ohw);
    }
  }
}

}  // namespace

void conv2d(const KernelSet& ks, const ConvGeom& g, const float* x, const float* w, float* y, int threads) {
  if (g.channels_last) return conv2d_nhwc(ks, g, x, w, y, threads);
  if (g.N > 0 && g.O > 0 && conv_direct_fits(g)) return conv2d_direct(ks, g, x, w, y, threads);
  const i64 cg = g.C / g.groups, og = g.O / g.groups, rows = cg * g.KH * g.KW, ohw = g.OH * g.OW;
  if (g.N == 0 || g.O == 0 || ohw == 0) return;
  const i64 chunk = images_per_chunk(g, rows);
  float* col = scratch(2, rows * chunk * ohw);
  float* out = scratch(3, og * chunk * ohw);
  for (i64 n0 = 0; n0 < g.N; n0 += chunk) {
    const i64 nb = std::min(chunk, g.N - n0), ld = nb * ohw;
    for (i64 grp = 0; grp < g.groups; grp++) {
      each(nb, threads, [&](i64 i) {
        im2col(g, x + ((n0 + i) * g.C + grp * cg) * g.H * g.W, cg, col + i * ohw, ld);
      });
      // [og, rows] x [rows, nb*ohw]
      sgemm(ks, 0, 0, og, ld, rows, w + grp * og * rows, rows, col, ld, out, ld, 0, threads);
      for (i64 i = 0; i < nb; i++) {
        for (i64 o = 0; o < og; o++) {
          std::memcpy(y + ((n0 + i) * g.O + grp * og + o) * ohw, out + o * ld + i * ohw, sizeof(float) * ohw);
        }
      }
    }
  }
}

void conv2d_backprop_input(const KernelSet& ks, const ConvGeom& g, const float* dy, const float* w, float* dx,
                           int threads) {
  if (g.channels_last) return conv2d_nhwc_backprop_input(ks, g, dy, w, dx, threads);
  const i64 cg = g.C / g.groups, og = g.O / g.groups, rows = cg * g.KH * g.KW, ohw = g.OH * g.OW;
  // the direct path makes the input channels the rows of its GEMM: worth it from a full
  // register block of them
  if (g.N > 0 && rows > 0 && ohw > 0 && cg >= ks.mr && conv_direct_input_fits(g)) {
    return conv2d_direct_backprop_input(ks, g, dy, w, dx, threads);
  }
  std::memset(dx, 0, sizeof(float) * g.N * g.C * g.H * g.W);
  if (g.N == 0 || ohw == 0 || rows == 0) return;
  const i64 chunk = images_per_chunk(g, std::max(rows, og));
  float* col = scratch(2, rows * chunk * ohw);
  float* grad = scratch(3, og * chunk * ohw);
  for (i64 n0 = 0; n0 < g.N; n0 += chunk) {
    const i64 nb = std::min(chunk, g.N - n0), ld = nb * ohw;
    for (i64 grp = 0; grp < g.groups; grp++) {
      gather_output_grad(g, dy, n0, nb, grp, grad);
      // [rows, og] (w stored [og, rows]) x [og, nb*ohw]
      sgemm(ks, 1, 0, rows, ld, og, w + grp * og * rows, rows, grad, ld, col, ld, 0, threads);
      each(nb, threads, [&](i64 i) {
        col2im(g, col + i * ohw, ld, cg, dx + ((n0 + i) * g.C + grp * cg) * g.H * g.W);
      });
    }
  }
}

void conv2d_backprop_filter(const KernelSet& ks, const ConvGeom& g, const float* x, const float* dy, float* dw,
                            int threads) {
  if (g.channels_last) return conv2d_nhwc_backprop_filter(ks, g, x, dy, dw, threads);
  const i64 cg = g.C / g.groups, og = g.O / g.groups, rows = cg * g.KH * g.KW, ohw = g.OH * g.OW;
  if (g.N == 0 || ohw == 0) {
    std::memset(dw, 0, sizeof(float) * g.O * rows);
    return;
  }
  if (conv_direct_fits(g) && conv2d_direct_backprop_filter(ks, g, x, dy, dw, threads)) return;
  const i64 chunk = images_per_chunk(g, std::max(rows, og));
  float* col = scratch(2, rows * chunk * ohw);
  float* grad = scratch(3, og * chunk * ohw);
  for (i64 n0 = 0; n0 < g.N; n0 += chunk) {
    const i64 nb = std::min(chunk, g.N - n0), ld = nb * ohw;
    for (i64 grp = 0; grp < g.groups; grp++) {
      each(nb, threads, [&](i64 i) {
        im2col(g, x + ((n0 + i) * g.C + grp * cg) * g.H * g.W, cg, col + i * ohw, ld);
      });
      gather_output_grad(g, dy, n0, nb, grp, grad);
      // [og, nb*ohw] x [nb*ohw, rows] (col stored [rows, nb*ohw]), added over chunks
      sgemm(ks, 0, 1, og, rows, ld, grad, ld, col, ld, dw + grp * og * rows, rows, n0 > 0, threads);
    }
  }
}

}  // namespace shendu
