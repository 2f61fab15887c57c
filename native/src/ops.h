// Shape-level drivers of the non-GEMM kernels: they reduce a call to runs of contiguous
// elements and hand those to the active KernelSet.
#pragma once
#include "kernels.h"

namespace shendu {

// out = op(a, b) with NumPy broadcasting. Shapes are given at rank `rank` (inputs padded
// with leading 1s). `out` is float* or, for comparisons, uint8_t*.
void binary_broadcast(const KernelSet& ks, int op, int rank, const i64* out_shape, const i64* a_shape,
                      const i64* b_shape, const float* a, const float* b, void* out);

// out = c ? a : b with broadcasting of the three (c holds bytes).
// y[b][c][r] = x[b][r][c] for x [B, R, C]: a batch of matrix transposes (NHWC <-> NCHW,
// a matrix's transpose), in cache-sized tiles.
// Fixes glibc's malloc thresholds so freed tensor buffers are reused (memory.cc);
// false when left alone (SHENDU_MALLOC_TUNING=0, or not glibc).
bool tune_malloc();
// IDX files through zlib (idx.cc): the header's type byte and dims, returning the rank
// (-1: not an IDX file or unreadable; -2: no zlib found in the process); and the payload of a ubyte
// file, after header_bytes, as floats times scale into out (n values).
int idx_header(const char* path, int32_t* type, int32_t* dims, int max_dims);
bool idx_read_ubyte_f32(const char* path, i64 header_bytes, float* out, i64 n, double scale);
// Gives the free pages of malloc's heaps back to the kernel (malloc_trim); true if any.
bool trim_malloc();

// out[i] = value where the i-th 53-bit uniform of the xoshiro128** stream in `state`
// (advanced in place) is below p, else 0 (random.cc).
void bernoulli_fill(uint32_t* state, float* out, i64 n, double p, float value);

// y = x + b (then relu when `relu`), x seen as [outer, C, inner], b [C] (bias.cc).
void bias_add(const float* x, const float* b, float* y, i64 outer, i64 C, i64 inner, int relu, int threads);

void transpose_batched(i64 B, i64 R, i64 C, const float* x, float* y);

void where_broadcast(int rank, const i64* out_shape, const i64* c_shape, const i64* a_shape, const i64* b_shape,
                     const uint8_t* c, const float* a, const float* b, float* out);

// out = op over the axes flagged in `reduced` (rank dims of `shape`).
void reduce_axes(const KernelSet& ks, int op, int rank, const i64* shape, const bool* reduced, const float* x,
                 float* out);

// Softmax or log-softmax along the middle axis of x viewed as [outer, n, inner].
void softmax(const KernelSet& ks, i64 outer, i64 n, i64 inner, int log, const float* x, float* y);

// Softmax cross-entropy of logits x [N, C] against labels [N], label smoothing ε: the loss
// of each row, and its gradient dy·(softmax − q) (cross_entropy.cc).
void sparse_softmax_cross_entropy(const KernelSet& ks, i64 N, i64 C, float smoothing, const float* x,
                                  const int32_t* labels, float* loss);
void sparse_softmax_cross_entropy_grad(const KernelSet& ks, i64 N, i64 C, float smoothing, const float* x,
                                       const int32_t* labels, const float* dy, float* dx);

struct ConvGeom {
  i64 N, C, H, W;    // input
  i64 O, KH, KW;     // filter [O, C / groups, KH, KW]
  i64 OH, OW;        // output
  i64 sh, sw, pt, pb, pl, pr, dh, dw, groups;
  int channels_last;  // x, dy and y are NHWC (N, H, W, C above still name the sizes)
};

void conv2d(const KernelSet& ks, const ConvGeom& g, const float* x, const float* w, float* y, int threads);
void conv2d_backprop_input(const KernelSet& ks, const ConvGeom& g, const float* dy, const float* w, float* dx,
                           int threads);
void conv2d_backprop_filter(const KernelSet& ks, const ConvGeom& g, const float* x, const float* dy, float* dw,
                            int threads);

// The channels-last forms (conv_nhwc.cc), reached through the three above.
void conv2d_nhwc(const KernelSet& ks, const ConvGeom& g, const float* x, const float* w, float* y, int threads);
void conv2d_nhwc_backprop_input(const KernelSet& ks, const ConvGeom& g, const float* dy, const float* w, float* dx,
                                int threads);
void conv2d_nhwc_backprop_filter(const KernelSet& ks, const ConvGeom& g, const float* x, const float* dy, float* dw,
                                 int threads);

// ArgMax/ArgMin along the middle axis of x viewed as [outer, n, inner] (first extreme,
// NaN counting as the extreme); Cumsum along it, accumulated in double.
void arg_reduce(int max, i64 outer, i64 n, i64 inner, const float* x, int32_t* out);
void cumsum(i64 outer, i64 n, i64 inner, int exclusive, int reverse, const float* x, float* out);

// The stride-1 path without an im2col buffer (conv_direct.cc): whether it applies, and
// the three kernels (the filter gradient declines non-finite inputs by returning false).
bool conv_direct_fits(const ConvGeom& g);
bool conv_direct_input_fits(const ConvGeom& g);
void conv2d_direct(const KernelSet& ks, const ConvGeom& g, const float* x, const float* w, float* y, int threads);
void conv2d_direct_backprop_input(const KernelSet& ks, const ConvGeom& g, const float* dy, const float* w, float* dx,
                                  int threads);
bool conv2d_direct_backprop_filter(const KernelSet& ks, const ConvGeom& g, const float* x, const float* dy, float* dw,
                                   int threads);

struct PoolGeom {
  i64 N, C, H, W, OH, OW, KH, KW;
  i64 sh, sw, pt, pb, pl, pr, dh, dw;
  int count_include_pad;
  // adaptive windows (KH, KW, strides, pads and dilations unused; dilations must be 1)
  int adaptive;
  int channels_last;  // x, dy and y are NHWC
};

void max_pool2d(const PoolGeom& g, const float* x, float* y);
void max_pool2d_grad(const PoolGeom& g, const float* x, const float* dy, float* dx);
void avg_pool2d(const PoolGeom& g, const float* x, float* y);
void avg_pool2d_grad(const PoolGeom& g, const float* dy, float* dx);

// The channels-last forms (pool_nhwc.cc), reached through the four above.
void max_pool2d_nhwc(const PoolGeom& g, const float* x, float* y);
void max_pool2d_grad_nhwc(const PoolGeom& g, const float* x, const float* dy, float* dx);
void avg_pool2d_nhwc(const PoolGeom& g, const float* x, float* y);
void avg_pool2d_grad_nhwc(const PoolGeom& g, const float* dy, float* dx);

}  // namespace shendu
