// The N-API surface of the native backend. Kernels read their inputs from, and write their
// output into, typed arrays allocated by JavaScript (zero copy). Shapes and attributes
// travel through a Float64Array shared once at start-up (`init`), so that a call passes
// only its arrays: reading a JS array element by element through N-API would cost more
// than a small kernel.
#include <napi.h>

#include <atomic>
#include <cmath>
#include <cstddef>
#include <string>

#include "cpu.h"
#include "gemm.h"
#include "kernels.h"
#include "ops.h"
#include "threads.h"

namespace shendu {

namespace {

constexpr size_t kParams = 256;

struct EnvState {
  Napi::Reference<Napi::Float64Array> params_ref;
  const double* params = nullptr;
};

std::atomic<const KernelSet*> active_set{nullptr};

const KernelSet* kernels_of(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return avx512_kernels();
    case Isa::Avx2:
      return avx2_kernels();
    default:
      return portable_kernels();
  }
}

const KernelSet& ks() { return *active_set.load(std::memory_order_relaxed); }

inline const double* P(const Napi::CallbackInfo& info) { return static_cast<EnvState*>(info.Data())->params; }

inline i64 I(const double* p, int k) { return static_cast<i64>(p[k]); }

// The data of typed-array argument `k`, checked against `type`; null (with a pending
// TypeError) on mismatch. Element count in *len.
template <class T>
T* arg(const Napi::CallbackInfo& info, size_t k, napi_typedarray_type type, size_t* len = nullptr) {
  napi_env env = info.Env();
  napi_typedarray_type got;
  size_t length = 0;
  void* data = nullptr;
  if (k >= info.Length() || napi_get_typedarray_info(env, info[k], &got, &length, &data, nullptr, nullptr) != napi_ok ||
      got != type) {
    napi_throw_type_error(env, nullptr, ("shendu native: argument " + std::to_string(k) + " has the wrong type").c_str());
    return nullptr;
  }
  if (len) *len = length;
  // an empty array may have no storage; kernels never touch it, but null means "error" here
  static max_align_t empty;
  return static_cast<T*>(data ? data : &empty);
}

const float* in_f32(const Napi::CallbackInfo& info, size_t k) { return arg<float>(info, k, napi_float32_array); }
float* out_f32(const Napi::CallbackInfo& info, size_t k) { return arg<float>(info, k, napi_float32_array); }

inline int int_arg(const Napi::CallbackInfo& info, size_t k) {
  int32_t v = 0;
  napi_get_value_int32(info.Env(), info[k], &v);
  return v;
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  auto* st = static_cast<EnvState*>(info.Data());
  Napi::Float64Array params = info[0].As<Napi::Float64Array>();
  if (params.ElementLength() < kParams) {
    Napi::RangeError::New(info.Env(), "shendu native: parameter buffer too small").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  st->params_ref = Napi::Persistent(params);
  st->params = params.Data();
  return Napi::Number::New(info.Env(), static_cast<double>(kParams));
}

Napi::Value Features(const Napi::CallbackInfo& info) {
  auto list = cpu_features();
  Napi::Array out = Napi::Array::New(info.Env(), list.size());
  for (size_t i = 0; i < list.size(); i++) out.Set(static_cast<uint32_t>(i), list[i]);
  return out;
}

Napi::Value SupportedIsas(const Napi::CallbackInfo& info) {
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t k = 0;
  for (Isa isa : {Isa::Avx512, Isa::Avx2, Isa::Portable}) {
    if (isa_supported(isa)) out.Set(k++, isa_name(isa));
  }
  return out;
}

Napi::Value GetIsa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), ks().name); }

// setIsa(name): switches the kernel set; false when this CPU cannot run it.
Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  Isa isa;
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  if (!parse_isa(name, &isa) || !isa_supported(isa)) return Napi::Boolean::New(info.Env(), false);
  active_set.store(kernels_of(isa));
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value NumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), num_threads()); }

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  set_num_threads(int_arg(info, 0));
  return Napi::Number::New(info.Env(), num_threads());
}

// matmul(a, b, out); params: batch, M, N, K, transA, transB, strideA, strideB.
void Matmul(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* a = in_f32(info, 0);
  const float* b = in_f32(info, 1);
  float* c = out_f32(info, 2);
  if (!a || !b || !c) return;
  const i64 batch = I(p, 0), M = I(p, 1), N = I(p, 2), K = I(p, 3);
  sgemm_batched(ks(), I(p, 4), I(p, 5), batch, M, N, K, a, I(p, 6), b, I(p, 7), c, M * N, 0, num_threads());
}

// unary(op, x, out); params: p0, p1, n.
void Unary(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const int op = int_arg(info, 0);
  const float* x = in_f32(info, 1);
  float* y = out_f32(info, 2);
  if (!x || !y || op < 0 || op >= kUnaryCount) return;
  ks().unary(op, x, y, I(p, 2), static_cast<float>(p[0]), static_cast<float>(p[1]));
}

// binary(op, a, b, out); params: rank, out shape, a shape, b shape (inputs padded to rank).
void Binary(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const int op = int_arg(info, 0);
  const float* a = in_f32(info, 1);
  const float* b = in_f32(info, 2);
  if (!a || !b || op < 0 || op >= kBinaryCount) return;
  void* out = is_comparison(op) ? static_cast<void*>(arg<uint8_t>(info, 3, napi_uint8_array))
                                : static_cast<void*>(out_f32(info, 3));
  if (!out) return;
  const int rank = static_cast<int>(p[0]);
  if (rank < 0 || rank > 32) {
    napi_throw_range_error(info.Env(), nullptr, "shendu native: binary: rank above 32");
    return;
  }
  i64 shapes[3 * 32];
  for (int k = 0; k < 3 * rank; k++) shapes[k] = I(p, 1 + k);
  binary_broadcast(ks(), op, rank, shapes, shapes + rank, shapes + 2 * rank, a, b, out);
}

// transpose(x, out); params: B, R, C — out [B, C, R] from x [B, R, C].
void Transpose(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* x = in_f32(info, 0);
  float* y = out_f32(info, 1);
  if (!x || !y) return;
  transpose_batched(I(p, 0), I(p, 1), I(p, 2), x, y);
}

// where(c, a, b, out); params: rank, out shape, c shape, a shape, b shape (padded to rank).
void Where(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const uint8_t* c = arg<uint8_t>(info, 0, napi_uint8_array);
  const float* a = in_f32(info, 1);
  const float* b = in_f32(info, 2);
  float* y = out_f32(info, 3);
  if (!c || !a || !b || !y) return;
  const int rank = static_cast<int>(p[0]);
  if (rank < 0 || rank > 32) {
    napi_throw_range_error(info.Env(), nullptr, "shendu native: where: rank above 32");
    return;
  }
  i64 shapes[4 * 32];
  for (int k = 0; k < 4 * rank; k++) shapes[k] = I(p, 1 + k);
  where_broadcast(rank, shapes, shapes + rank, shapes + 2 * rank, shapes + 3 * rank, c, a, b, y);
}

// reduce(op, x, out); params: rank, shape, reduced flags.
void Reduce(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const int op = int_arg(info, 0);
  const float* x = in_f32(info, 1);
  float* y = out_f32(info, 2);
  if (!x || !y || op < 0 || op >= kReduceCount) return;
  const int rank = static_cast<int>(p[0]);
  if (rank < 0 || rank > 64) {
    napi_throw_range_error(info.Env(), nullptr, "shendu native: reduce: rank above 64");
    return;
  }
  i64 shape[64];
  bool reduced[64];
  for (int d = 0; d < rank; d++) {
    shape[d] = I(p, 1 + d);
    reduced[d] = p[1 + rank + d] != 0;
  }
  reduce_axes(ks(), op, rank, shape, reduced, x, y);
}

// softmax(x, out, log); params: outer, n, inner.
void Softmax(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* x = in_f32(info, 0);
  float* y = out_f32(info, 1);
  if (!x || !y) return;
  softmax(ks(), I(p, 0), I(p, 1), I(p, 2), int_arg(info, 2), x, y);
}

// sparseSoftmaxCrossEntropy(x, labels, loss); params: N, C, labelSmoothing.
void SparseSoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* x = in_f32(info, 0);
  const int32_t* labels = arg<int32_t>(info, 1, napi_int32_array);
  float* loss = out_f32(info, 2);
  if (!x || !labels || !loss) return;
  sparse_softmax_cross_entropy(ks(), I(p, 0), I(p, 1), static_cast<float>(p[2]), x, labels, loss);
}

// sparseSoftmaxCrossEntropyGrad(x, labels, dy, dx); params: N, C, labelSmoothing.
void SparseSoftmaxCrossEntropyGrad(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* x = in_f32(info, 0);
  const int32_t* labels = arg<int32_t>(info, 1, napi_int32_array);
  const float* dy = in_f32(info, 2);
  float* dx = out_f32(info, 3);
  if (!x || !labels || !dy || !dx) return;
  sparse_softmax_cross_entropy_grad(ks(), I(p, 0), I(p, 1), static_cast<float>(p[2]), x, labels, dy, dx);
}

// params: N, C, H, W, O, KH, KW, OH, OW, sh, sw, pt, pb, pl, pr, dh, dw, groups, channelsLast.
ConvGeom conv_geom(const double* p) {
  ConvGeom g;
  g.N = I(p, 0), g.C = I(p, 1), g.H = I(p, 2), g.W = I(p, 3), g.O = I(p, 4), g.KH = I(p, 5), g.KW = I(p, 6);
  g.OH = I(p, 7), g.OW = I(p, 8), g.sh = I(p, 9), g.sw = I(p, 10), g.pt = I(p, 11), g.pb = I(p, 12);
  g.pl = I(p, 13), g.pr = I(p, 14), g.dh = I(p, 15), g.dw = I(p, 16), g.groups = I(p, 17);
  g.channels_last = int(p[18]);
  return g;
}

void Conv2D(const Napi::CallbackInfo& info) {
  const float* x = in_f32(info, 0);
  const float* w = in_f32(info, 1);
  float* y = out_f32(info, 2);
  if (x && w && y) conv2d(ks(), conv_geom(P(info)), x, w, y, num_threads());
}

void Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  const float* dy = in_f32(info, 0);
  const float* w = in_f32(info, 1);
  float* dx = out_f32(info, 2);
  if (dy && w && dx) conv2d_backprop_input(ks(), conv_geom(P(info)), dy, w, dx, num_threads());
}

void Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  const float* x = in_f32(info, 0);
  const float* dy = in_f32(info, 1);
  float* dw = out_f32(info, 2);
  if (x && dy && dw) conv2d_backprop_filter(ks(), conv_geom(P(info)), x, dy, dw, num_threads());
}

// params: N, C, H, W, OH, OW, KH, KW, sh, sw, pt, pb, pl, pr, dh, dw, countIncludePad,
// adaptive, channelsLast.
PoolGeom pool_geom(const double* p) {
  PoolGeom g;
  g.N = I(p, 0), g.C = I(p, 1), g.H = I(p, 2), g.W = I(p, 3), g.OH = I(p, 4), g.OW = I(p, 5);
  g.KH = I(p, 6), g.KW = I(p, 7), g.sh = I(p, 8), g.sw = I(p, 9), g.pt = I(p, 10), g.pb = I(p, 11);
  g.pl = I(p, 12), g.pr = I(p, 13), g.dh = I(p, 14), g.dw = I(p, 15), g.count_include_pad = int(p[16]);
  g.adaptive = int(p[17]);
  g.channels_last = int(p[18]);
  return g;
}

void MaxPool2D(const Napi::CallbackInfo& info) {
  const float* x = in_f32(info, 0);
  float* y = out_f32(info, 1);
  if (x && y) max_pool2d(pool_geom(P(info)), x, y);
}

void MaxPool2DGrad(const Napi::CallbackInfo& info) {
  const float* x = in_f32(info, 0);
  const float* dy = in_f32(info, 1);
  float* dx = out_f32(info, 2);
  if (x && dy && dx) max_pool2d_grad(pool_geom(P(info)), x, dy, dx);
}

void AvgPool2D(const Napi::CallbackInfo& info) {
  const float* x = in_f32(info, 0);
  float* y = out_f32(info, 1);
  if (x && y) avg_pool2d(pool_geom(P(info)), x, y);
}

void AvgPool2DGrad(const Napi::CallbackInfo& info) {
  const float* dy = in_f32(info, 0);
  float* dx = out_f32(info, 1);
  if (dy && dx) avg_pool2d_grad(pool_geom(P(info)), dy, dx);
}

// adam(p, g, m, v, vmax | null); params: lr, beta1, beta2, eps, weightDecay, maximize,
// step, decoupled.
// Runs an elementwise optimizer step over [0, n) in one slice per thread when the tensor is
// large (a dense layer of millions of weights is memory-bound: two cores stream it faster
// than one). Each element's update is independent, so the split changes no result.
template <class Step, class Run>
void split_step(const Step& s, Run&& run) {
  constexpr i64 kParallelElements = i64(1) << 16;
  const int threads = num_threads();
  if (s.n < kParallelElements || threads <= 1) return run(s);
  parallel_for(threads, [&](int k) {
    // slice bounds on multiples of 16 floats (64 bytes): whole vectors, whole cache lines
    const i64 a = (s.n * k / threads) & ~i64(15);
    const i64 b = k + 1 == threads ? s.n : (s.n * (k + 1) / threads) & ~i64(15);
    run(s.slice(a, b));
  });
}

void Adam(const Napi::CallbackInfo& info) {
  const double* q = P(info);
  size_t n = 0;
  float* p = arg<float>(info, 0, napi_float32_array, &n);
  const float* g = in_f32(info, 1);
  float* m = out_f32(info, 2);
  float* v = out_f32(info, 3);
  float* vmax = info[4].IsNull() ? nullptr : out_f32(info, 4);
  if (!p || !g || !m || !v || (!info[4].IsNull() && !vmax)) return;
  const double lr = q[0], beta1 = q[1], beta2 = q[2], wd = q[4], step = q[6];
  const bool decoupled = q[7] != 0;
  AdamStep s;
  s.p = p, s.g = g, s.m = m, s.v = v, s.vmax = vmax, s.n = static_cast<i64>(n);
  s.beta1 = float(beta1), s.beta2 = float(beta2), s.eps = float(q[3]);
  s.l2 = decoupled ? 0.f : float(wd);
  s.shrink = decoupled ? float(1 - lr * wd) : 1.f;
  s.sign = q[5] != 0 ? -1.f : 1.f;
  s.step_size = float(lr / (1 - std::pow(beta1, step)));
  s.bc2_sqrt = float(std::sqrt(1 - std::pow(beta2, step)));
  split_step(s, [](const AdamStep& part) { ks().adam(part); });
}

// sgd(p, g, buf | null); params: lr, momentum, dampening, weightDecay, nesterov, maximize,
// firstStep.
void Sgd(const Napi::CallbackInfo& info) {
  const double* q = P(info);
  size_t n = 0;
  float* p = arg<float>(info, 0, napi_float32_array, &n);
  const float* g = in_f32(info, 1);
  float* buf = info[2].IsNull() ? nullptr : out_f32(info, 2);
  if (!p || !g || (!info[2].IsNull() && !buf)) return;
  SgdStep s;
  s.p = p, s.g = g, s.buf = buf, s.n = static_cast<i64>(n);
  s.lr = float(q[0]), s.momentum = float(q[1]), s.dampening = float(q[2]), s.weight_decay = float(q[3]);
  s.nesterov = q[4] != 0, s.sign = q[5] != 0 ? -1.f : 1.f, s.first = q[6] != 0;
  split_step(s, [](const SgdStep& part) { ks().sgd(part); });
}

// argReduce(max, x, out); params: outer, n, inner.
void ArgReduce(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* x = in_f32(info, 1);
  int32_t* y = arg<int32_t>(info, 2, napi_int32_array);
  if (x && y) arg_reduce(int_arg(info, 0), I(p, 0), I(p, 1), I(p, 2), x, y);
}

// cumsum(x, out); params: outer, n, inner, exclusive, reverse.
void Cumsum(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* x = in_f32(info, 0);
  float* y = out_f32(info, 1);
  if (x && y) cumsum(I(p, 0), I(p, 1), I(p, 2), int(p[3]), int(p[4]), x, y);
}

// biasAdd(x, b, out); params: outer, C, inner, relu.
void BiasAdd(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  const float* x = in_f32(info, 0);
  const float* b = in_f32(info, 1);
  float* y = out_f32(info, 2);
  if (x && b && y) bias_add(x, b, y, I(p, 0), I(p, 1), I(p, 2), int(p[3]), num_threads());
}

// idxHeader(path, out Int32Array[1 + 8]): out = [type, dims...]; returns the rank (< 0: none).
Napi::Value IdxHeader(const Napi::CallbackInfo& info) {
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  int32_t* out = arg<int32_t>(info, 1, napi_int32_array);
  if (!out) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), idx_header(path.c_str(), out, out + 1, 8));
}

// idxReadUbyteF32(path, headerBytes, out Float32Array, scale): whether the whole payload was read.
Napi::Value IdxReadUbyteF32(const Napi::CallbackInfo& info) {
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const i64 header = static_cast<i64>(info[1].As<Napi::Number>().Int64Value());
  size_t n = 0;
  float* out = arg<float>(info, 2, napi_float32_array, &n);
  if (!out) return info.Env().Undefined();
  const double scale = info[3].As<Napi::Number>().DoubleValue();
  return Napi::Boolean::New(info.Env(), idx_read_ubyte_f32(path.c_str(), header, out, static_cast<i64>(n), scale));
}

// trimMemory(): malloc_trim(0); whether memory went back to the kernel.
Napi::Value TrimMemory(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), trim_malloc()); }

// bernoulli(state, out): P = [n, p, value]; state is a Uint32Array(4), advanced in place.
void Bernoulli(const Napi::CallbackInfo& info) {
  const double* p = P(info);
  uint32_t* state = arg<uint32_t>(info, 0, napi_uint32_array);
  float* out = out_f32(info, 1);
  if (state && out) bernoulli_fill(state, out, I(p, 0), p[1], float(p[2]));
}

// noop(a, b, out): reads its arrays like a kernel and does nothing; measures call overhead.
void Noop(const Napi::CallbackInfo& info) {
  const float* a = in_f32(info, 0);
  const float* b = in_f32(info, 1);
  float* c = out_f32(info, 2);
  (void)a, (void)b, (void)c;
}

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  if (!active_set.load()) active_set.store(kernels_of(default_isa()));
  static const bool malloc_tuned = tune_malloc();
  exports.Set("mallocTuned", Napi::Boolean::New(env, malloc_tuned));
  auto* st = new EnvState();
  env.AddCleanupHook([st] { delete st; });
  auto fn = [&](const char* name, auto cb) { exports.Set(name, Napi::Function::New(env, cb, name, st)); };
  fn("init", Init);
  fn("cpuFeatures", Features);
  fn("supportedIsas", SupportedIsas);
  fn("isa", GetIsa);
  fn("setIsa", SetIsa);
  fn("numThreads", NumThreads);
  fn("setNumThreads", SetNumThreads);
  fn("matmul", Matmul);
  fn("unary", Unary);
  fn("binary", Binary);
  fn("where", Where);
  fn("transpose", Transpose);
  fn("reduce", Reduce);
  fn("softmax", Softmax);
  fn("sparseSoftmaxCrossEntropy", SparseSoftmaxCrossEntropy);
  fn("sparseSoftmaxCrossEntropyGrad", SparseSoftmaxCrossEntropyGrad);
  fn("conv2d", Conv2D);
  fn("conv2dBackpropInput", Conv2DBackpropInput);
  fn("conv2dBackpropFilter", Conv2DBackpropFilter);
  fn("maxPool2d", MaxPool2D);
  fn("maxPool2dGrad", MaxPool2DGrad);
  fn("avgPool2d", AvgPool2D);
  fn("avgPool2dGrad", AvgPool2DGrad);
  fn("argReduce", ArgReduce);
  fn("cumsum", Cumsum);
  fn("adam", Adam);
  fn("sgd", Sgd);
  fn("bernoulli", Bernoulli);
  fn("trimMemory", TrimMemory);
  fn("idxHeader", IdxHeader);
  fn("idxReadUbyteF32", IdxReadUbyteF32);
  fn("biasAdd", BiasAdd);
  fn("noop", Noop);
  return exports;
}

}  // namespace

}  // namespace shendu

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return shendu::Module(env, exports); }

NODE_API_MODULE(shendu, InitModule)
