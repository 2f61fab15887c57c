// The windows of a pooling call along each axis, shared by the NCHW (pool.cc) and NHWC
// (pool_nhwc.cc) loops.
#pragma once
#include <vector>

#include "ops.h"

namespace shendu {

// Output o along one axis reads input start[o] + k*dil for k in [lo[o], hi[o]); `padded`
// counts its taps inside the padded extent (the divisor with count_include_pad).
struct Axis {
  std::vector<i64> start, lo, hi, padded;
};

Axis axis(i64 out, i64 in, i64 k, i64 stride, i64 dil, i64 pad_before, i64 pad_after);

// PyTorch's adaptive windows: output o reads [floor(o*in/out), ceil((o+1)*in/out)).
Axis adaptive_axis(i64 out, i64 in);

struct Grid {
  const PoolGeom& g;
  Axis rows, cols;
  explicit Grid(const PoolGeom& geom);
  // The average's divisor of window (oh, ow).
  float divisor(i64 oh, i64 ow) const;
};

// The usual window: 2x2, stride 2, no padding or dilation, not adaptive. Its four taps
// need no tables.
inline bool is_2x2(const PoolGeom& g) {
  return !g.adaptive && g.KH == 2 && g.KW == 2 && g.sh == 2 && g.sw == 2 && g.dh == 1 && g.dw == 1 && g.pt == 0 &&
         g.pb == 0 && g.pl == 0 && g.pr == 0 && g.OH == g.H / 2 && g.OW == g.W / 2;
}

// Whether value v replaces the running maximum m: larger, or NaN (NaN wins, as in PyTorch;
// the first of equal values stays).
inline bool takes_max(float v, float m) { return v > m || (v != v && m == m); }

}  // namespace shendu
