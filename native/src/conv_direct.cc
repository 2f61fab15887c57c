// Stride-1 convolutions without an im2col buffer. Each image is copied once into a
// zero-padded plane per channel, W' = OW + (KW-1)*dw wide. Then row (c, kh, kw) of the
// im2col matrix, over the output grid widened to W' columns, is one contiguous run of
// that buffer starting at c*H'*W' + kh*dh*W' + kw*dw: the GEMM packs its B panels from
// those runs directly (KernelSet::pack_b_rows). The price is W' - OW extra output columns
// per row, computed and dropped; callers use this path only when that waste is small.
//
// - forward:          y[o] (OH x W')   = W (O x C·KH·KW)  · rows(x padded)
// - backprop input:   the forward of dy (padded by (K-1)·d - pad) with the filter flipped
//                     and its channel axes swapped
// - backprop filter:  dW (O x C·KH·KW) += dy widened to W' (O x OH·W') · rows(x padded)ᵀ
//
// Images are independent tasks (forward, backprop input) or summed one after another in
// fixed blocks of images, the blocks' sums then added in order (filter), so results do not
// depend on the thread count.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "ops.h"
#include "threads.h"

namespace shendu {

namespace {

// A stride-1 correlation: `cin` input planes of hin x win, read with their top-left
// corner moved by (-top, -left) (negative values crop), kernel kh x kw with dilations,
// producing hout x wout.
struct Plan {
  i64 cin, hin, win, top, left, kh, kw, dh, dw, hout, wout;
  i64 hp() const { return hout + (kh - 1) * dh; }
  i64 wp() const { return wout + (kw - 1) * dw; }
  i64 plane() const { return hp() * wp(); }
  // floats of the padded buffer; the slack lets the widened rows of the last plane run on
  i64 buffer() const { return cin * plane() + wp() + 1; }
  i64 k() const { return cin * kh * kw; }
};

// Copies `cin` planes into the zero-padded buffer.
void pad_planes(const Plan& p, const float* src, float* dst) {
  const i64 hp = p.hp(), wp = p.wp();
  std::memset(dst, 0, sizeof(float) * p.buffer());
  const i64 c0 = std::max<i64>(0, -p.left);                 // first source column used
  const i64 c1 = std::min<i64>(p.win, wp - p.left);         // one past the last
  if (c1 <= c0) return;
  for (i64 c = 0; c < p.cin; c++) {
    for (i64 r = 0; r < hp; r++) {
      const i64 sr = r - p.top;
      if (sr < 0 || sr >= p.hin) continue;
      std::memcpy(dst + c * p.plane() + r * wp + c0 + p.left, src + (c * p.hin + sr) * p.win + c0,
                  sizeof(float) * (c1 - c0));
    }
  }
}

// Row pointers of the implicit im2col matrix: row (c, kh, kw) starts at its tap's offset.
void im2col_rows(const Plan& p, const float* padded, std::vector<const float*>& rows) {
  rows.resize(p.k());
  i64 r = 0;
  for (i64 c = 0; c < p.cin; c++) {
    for (i64 i = 0; i < p.kh; i++) {
      for (i64 j = 0; j < p.kw; j++) rows[r++] = padded + c * p.plane() + i * p.dh * p.wp() + j * p.dw;
    }
  }
}

// out (cout planes of hout x wout, plane stride out_plane) = packed A (cout x k) · rows.
void correlate(const KernelSet& ks, const Plan& p, const float* a_packed, i64 cout, const float* in, float* out,
               i64 out_plane, int threads) {
  float* padded = scratch(2, p.buffer());
  pad_planes(p, in, padded);
  thread_local std::vector<const float*> rows;
  im2col_rows(p, padded, rows);
  const i64 wp = p.wp(), n = p.hout * wp;
  float* wide = scratch(3, cout * n);
  gemm(ks, OperandA{0, nullptr, 0, a_packed}, OperandB{0, nullptr, 0, rows.data(), 0}, cout, n, p.k(), wide, n, 0,
       threads);
  for (i64 o = 0; o < cout; o++) {
    for (i64 r = 0; r < p.hout; r++) {
      std::memcpy(out + o * out_plane + r * p.wout, wide + o * n + r * wp, sizeof(float) * p.wout);
    }
  }
}

// Images per partial sum of the filter gradient. Fixed, so that the blocks, and the order
// in which their sums are added, do not depend on the thread count; blocks run in parallel.
constexpr i64 kImagesPerBlock = 8;

// Images (or blocks of them) as tasks when there are several, else threads inside the product.
template <class F>
void each_image(i64 images, int threads, F&& f) {
  if (images >= 2 && threads > 1) {
    parallel_for(static_cast<int>(images), [&](int i) { f(i, 1); });
  } else {
    for (i64 i = 0; i < images; i++) f(i, threads);
  }
}

}  // namespace

bool conv_direct_fits(const ConvGeom& g) {
  if (g.sh != 1 || g.sw != 1 || g.OW <= 0 || g.OH <= 0) return false;
  // widening costs (KW-1)*dw extra columns per row: keep it within a third
  return (g.KW - 1) * g.dw * 3 <= g.OW;
}

bool conv_direct_input_fits(const ConvGeom& g) {
  if (g.sh != 1 || g.sw != 1 || g.W <= 0 || g.H <= 0) return false;
  return (g.KW - 1) * g.dw * 3 <= g.W;
}

void conv2d_direct(const KernelSet& ks, const ConvGeom& g, const float* x, const float* w, float* y, int threads) {
  const i64 cg = g.C / g.groups, og = g.O / g.groups, ohw = g.OH * g.OW;
  const Plan p{cg, g.H, g.W, g.pt, g.pl, g.KH, g.KW, g.dh, g.dw, g.OH, g.OW};
  std::vector<float> packed(packed_a_size(ks, og, p.k()));
  for (i64 grp = 0; grp < g.groups; grp++) {
    pack_a_full(ks, 0, w + grp * og * p.k(), p.k(), og, p.k(), packed.data());
    each_image(g.N, threads, [&](i64 n, int inner) {
      correlate(ks, p, packed.data(), og, x + (n * g.C + grp * cg) * g.H * g.W, y + (n * g.O + grp * og) * ohw, ohw,
                inner);
    });
  }
}

void conv2d_direct_backprop_input(const KernelSet& ks, const ConvGeom& g, const float* dy, const float* w, float* dx,
                                  int threads) {
  const i64 cg = g.C / g.groups, og = g.O / g.groups, hw = g.H * g.W, taps = g.KH * g.KW;
  const Plan p{og, g.OH, g.OW, (g.KH - 1) * g.dh - g.pt, (g.KW - 1) * g.dw - g.pl, g.KH, g.KW, g.dh, g.dw, g.H, g.W};
  // the flipped filter with in/out channels swapped: wt[c][o][i][j] = w[o][c][KH-1-i][KW-1-j]
  std::vector<float> wt(cg * og * taps), packed(packed_a_size(ks, cg, p.k()));
  for (i64 grp = 0; grp < g.groups; grp++) {
    const float* wg = w + grp * og * cg * taps;
    for (i64 c = 0; c < cg; c++) {
      for (i64 o = 0; o < og; o++) {
        for (i64 t = 0; t < taps; t++) wt[(c * og + o) * taps + t] = wg[(o * cg + c) * taps + (taps - 1 - t)];
      }
    }
    pack_a_full(ks, 0, wt.data(), p.k(), cg, p.k(), packed.data());
    each_image(g.N, threads, [&](i64 n, int inner) {
      correlate(ks, p, packed.data(), cg, dy + (n * g.O + grp * og) * g.OH * g.OW, dx + (n * g.C + grp * cg) * hw, hw,
                inner);
    });
  }
}

bool conv2d_direct_backprop_filter(const KernelSet& ks, const ConvGeom& g, const float* x, const float* dy, float* dw,
                                   int threads) {
  // the widened columns multiply padding or neighbouring pixels by zero: exact only when
  // the input is finite (0 * inf is NaN), so other inputs take the im2col path
  const i64 total = g.N * g.C * g.H * g.W;
  uint32_t nonfinite = 0;
  for (i64 i = 0; i < total; i++) {
    uint32_t bits;
    std::memcpy(&bits, x + i, 4);
    nonfinite |= ((bits >> 23) & 0xff) == 0xff;
  }
  if (nonfinite) return false;
  const i64 cg = g.C / g.groups, og = g.O / g.groups;
  const Plan p{cg, g.H, g.W, g.pt, g.pl, g.KH, g.KW, g.dh, g.dw, g.OH, g.OW};
  const i64 wp = p.wp(), n = g.OH * wp, k = p.k();
  const i64 blocks = (g.N + kImagesPerBlock - 1) / kImagesPerBlock;
  // the first block sums into dw itself, the others into partials added after, in order
  std::vector<float> partials(static_cast<size_t>((blocks - 1) * og * k));
  for (i64 grp = 0; grp < g.groups; grp++) {
    float* dwg = dw + grp * og * k;
    auto block = [&](i64 b, int inner) {
      float* sum = b == 0 ? dwg : partials.data() + (b - 1) * og * k;
      float* padded = scratch(2, p.buffer());
      float* wide = scratch(3, og * n);
      std::vector<const float*> rows;
      const i64 first = b * kImagesPerBlock, last = std::min(g.N, first + kImagesPerBlock);
      for (i64 img = first; img < last; img++) {
        pad_planes(p, x + (img * g.C + grp * cg) * g.H * g.W, padded);
        im2col_rows(p, padded, rows);
        // dy widened to the padded width, zeros in the extra columns
        const float* dyg = dy + (img * g.O + grp * og) * g.OH * g.OW;
        std::memset(wide, 0, sizeof(float) * og * n);
        for (i64 o = 0; o < og; o++) {
          for (i64 r = 0; r < g.OH; r++) {
            std::memcpy(wide + o * n + r * wp, dyg + (o * g.OH + r) * g.OW, sizeof(float) * g.OW);
          }
        }
        // [og, n] x [n, k] (rows stored k x n), summed over the block's images in order
        gemm(ks, OperandA{0, wide, n, nullptr}, OperandB{1, nullptr, 0, rows.data(), 0}, og, k, n, sum, k,
             img > first, inner);
      }
    };
    each_image(blocks, threads, block);
    for (i64 b = 1; b < blocks; b++) {
      const float* part = partials.data() + (b - 1) * og * k;
      for (i64 i = 0; i < og * k; i++) dwg[i] += part[i];
    }
  }
  return true;
}

}  // namespace shendu
