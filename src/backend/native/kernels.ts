import type { KernelFn, KernelTable, TensorData } from '../backend.js';
import type { KernelAttrs, KernelName } from '../kernels.js';
import { reductionPlan } from '../js/loops.js';
import type { Addon } from './addon.js';
import { imageKernels } from './image.js';
import {
  SMALL_BYTES,
  allF32,
  call1,
  call2,
  finish,
  input,
  inputBool,
  result,
  sameShape,
  sizeOf,
  stagedInt32,
  target,
  uninitializedF32,
  type Fallback,
} from './staging.js';

/**
 * The C++ kernels of the native backend, as a kernel table. Each entry allocates its
 * output in JS, writes shapes and attributes into the shared parameter buffer and calls
 * the addon, which reads and writes the typed arrays in place.
 *
 * The C++ kernels compute in float32. Any other dtype (float64 for gradient checks,
 * int32, bool) goes to the js kernel of the same name, `fallback(name)`.
 */

/** Unary ops in the order of `UnaryOp` in native/src/kernels.h. */
const UNARY_OPS = [
  'Neg', 'Abs', 'Sign', 'Exp', 'Log', 'Log1p', 'Expm1', 'Sqrt', 'Rsqrt', 'Square', 'Reciprocal',
  'Sin', 'Cos', 'Tanh', 'Erf', 'Sigmoid', 'Relu', 'LeakyRelu', 'Elu', 'Selu', 'GeluErf', 'GeluTanh',
  'Softplus', 'Silu', 'Floor', 'Ceil', 'Round', 'Clip',
] as const;

/** Binary ops in the order of `BinaryOp`; the comparisons (from Equal on) write bool. */
const BINARY_OPS = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Maximum', 'Minimum', 'ReluGrad',
  'Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual',
] as const;
const FIRST_COMPARISON = BINARY_OPS.indexOf('Equal');

/** Operands of up to this many elements run the js kernel where its result is the same. */
const TINY = 16;

/** Highest rank the addon's broadcast and reduction loops take. */
const MAX_RANK = 32;

/** Reductions in the order of `ReduceOp`. */
const REDUCE_OPS = ['Sum', 'Prod', 'Max', 'Min'] as const;

/**
 * [B, R, C] when permuting `shape` by `perm` is a batch of matrix transposes once adjacent
 * axes that stay together are merged (NHWC ↔ NCHW, a matrix's transpose, [1,0,2] is not),
 * else null: those run the js kernel.
 */
export function batchedTranspose(shape: readonly number[], perm: readonly number[]): [number, number, number] | null {
  // runs of output axes that are consecutive input axes, size-1 axes left out
  const axes = perm.filter((p) => shape[p] !== 1);
  const runs: { first: number; size: number }[] = [];
  for (let k = 0; k < axes.length; k++) {
    const last = runs[runs.length - 1];
    if (last && axes[k] === axes[k - 1] + 1) last.size *= shape[axes[k]];
    else runs.push({ first: axes[k], size: shape[axes[k]] });
  }
  const byInput = [...runs].sort((a, b) => a.first - b.first);
  const order = runs.map((r) => byInput.indexOf(r));
  if (order.length === 2 && order[0] === 1) return [1, byInput[0].size, byInput[1].size];
  if (order.length === 3 && order[0] === 0 && order[1] === 2) return [byInput[0].size, byInput[1].size, byInput[2].size];
  return null;
}

/** Builds the table over `addon`, with `params` the buffer shared through addon.init. */
export function nativeKernels(addon: Addon, params: Float64Array, fallback: Fallback): KernelTable {
  const P = params;
  /** Binary parameters of a broadcast flattened to one dimension. */
  const setRank1 = (out: number, a: number, b: number): void => {
    P[0] = 1;
    P[1] = out;
    P[2] = a;
    P[3] = b;
  };

  function unary<K extends KernelName>(name: K, op: string, setParams?: (attrs: KernelAttrs[K]) => void): KernelFn<K> {
    const code = UNARY_OPS.indexOf(op as (typeof UNARY_OPS)[number]);
    return (inputs, attrs) => {
      const x = inputs[0];
      if (x.dtype !== 'float32') return fallback(name)(inputs, attrs);
      const out = uninitializedF32(x.values.length);
      if (setParams) setParams(attrs);
      P[2] = out.length;
      if (out.length > 0) {
        const written = target(out);
        addon.unary(code, input(x, 0), written);
        finish(out, written);
      }
      return result(x.shape, 'float32', out);
    };
  }

  function binary<K extends KernelName>(name: K): KernelFn<K> {
    const code = BINARY_OPS.indexOf(name as unknown as (typeof BINARY_OPS)[number]);
    const comparison = code >= FIRST_COMPARISON;
    // Exactly rounded in both languages, so tiny operands (losses, scalars) can skip the
    // addon call, which costs more than the arithmetic; Pow (powf vs Math.pow) cannot.
    const tinyInJs = name !== 'Pow';
    return (inputs, attrs) => {
      const [a, b] = inputs;
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(name)(inputs, attrs);
      if (tinyInJs && a.values.length <= TINY && b.values.length <= TINY) return fallback(name)(inputs, attrs);
      const na = a.values.length;
      const nb = b.values.length;
      let shape: readonly number[];
      // Common cases in one dimension: equal shapes, a scalar on either side.
      if (na === nb && sameShape(a.shape, b.shape)) {
        shape = a.shape;
        setRank1(na, na, na);
      } else if (nb === 1 && b.shape.length <= a.shape.length) {
        shape = a.shape;
        setRank1(na, na, 1);
      } else if (na === 1 && a.shape.length <= b.shape.length) {
        shape = b.shape;
        setRank1(nb, 1, nb);
      } else {
        const rank = Math.max(a.shape.length, b.shape.length);
        if (rank > MAX_RANK) return fallback(name)(inputs, attrs);
        const out = new Array<number>(rank);
        P[0] = rank;
        for (let i = 0; i < rank; i++) {
          const da = a.shape[a.shape.length - rank + i] ?? 1;
          const db = b.shape[b.shape.length - rank + i] ?? 1;
          out[i] = da === 1 ? db : da;
          P[1 + i] = out[i];
          P[1 + rank + i] = da;
          P[1 + 2 * rank + i] = db;
        }
        shape = out;
      }
      const size = sizeOf(shape);
      // every element is written (size > 0)
      const values = comparison ? new Uint8Array(size) : uninitializedF32(size);
      if (size > 0) {
        const written = target(values);
        addon.binary(code, input(a, 0), input(b, 1), written);
        finish(values, written);
      }
      return result(shape, comparison ? 'bool' : 'float32', values);
    };
  }

  function reduce<K extends 'Sum' | 'Prod' | 'Max' | 'Min'>(name: K): KernelFn<K> {
    const code = REDUCE_OPS.indexOf(name);
    const run = (x: Float32Array, out: Float32Array): void => addon.reduce(code, x, out);
    return (inputs, attrs) => {
      const x = inputs[0];
      if (x.dtype !== 'float32' || x.shape.length > MAX_RANK) return fallback(name)(inputs, attrs);
      const { outShape, outSize } = reductionPlan(x.shape, attrs.axes, attrs.keepDims);
      const out = new Float32Array(outSize);
      const rank = x.shape.length;
      P[0] = rank;
      for (let d = 0; d < rank; d++) {
        P[1 + d] = x.shape[d];
        P[1 + rank + d] = 0;
      }
      for (const axis of attrs.axes) P[1 + rank + axis] = 1;
      if (outSize > 0) call1(run, x, out);
      return result(outShape, 'float32', out);
    };
  }

  function softmax<K extends 'Softmax' | 'LogSoftmax'>(name: K): KernelFn<K> {
    const log = name === 'LogSoftmax' ? 1 : 0;
    return (inputs, attrs) => {
      const x = inputs[0];
      if (x.dtype !== 'float32') return fallback(name)(inputs, attrs);
      const out = new Float32Array(x.values.length);
      lineParams(x.shape, attrs.axis);
      if (out.length > 0) {
        const written = target(out);
        addon.softmax(input(x, 0), written, log);
        finish(out, written);
      }
      return result(x.shape, 'float32', out);
    };
  }


  /**
   * The fused softmax cross-entropy and its gradient. Up to 16 rows go to the js kernel:
   * arrays that small live in the V8 heap (see staging.ts), and the call would cost more.
   */
  const crossEntropyInC = (x: TensorData, labels: TensorData): boolean =>
    x.dtype === 'float32' && labels.dtype === 'int32' && labels.values.byteLength > SMALL_BYTES && x.shape[1] > 0;

  const sparseSoftmaxCrossEntropy: KernelFn<'SparseSoftmaxCrossEntropy'> = (inputs, attrs) => {
    const [x, labels] = inputs;
    if (!crossEntropyInC(x, labels)) return fallback('SparseSoftmaxCrossEntropy')(inputs, attrs);
    const [N, C] = x.shape;
    const loss = uninitializedF32(N);
    P[0] = N;
    P[1] = C;
    P[2] = attrs.labelSmoothing;
    addon.sparseSoftmaxCrossEntropy(x.values as Float32Array, labels.values as Int32Array, loss);
    return result([N], 'float32', loss);
  };

  const sparseSoftmaxCrossEntropyGrad: KernelFn<'SparseSoftmaxCrossEntropyGrad'> = (inputs, attrs) => {
    const [x, labels, dy] = inputs;
    if (!crossEntropyInC(x, labels) || dy.dtype !== 'float32') return fallback('SparseSoftmaxCrossEntropyGrad')(inputs, attrs);
    const [N, C] = x.shape;
    const dx = uninitializedF32(N * C);
    P[0] = N;
    P[1] = C;
    P[2] = attrs.labelSmoothing;
    addon.sparseSoftmaxCrossEntropyGrad(x.values as Float32Array, labels.values as Int32Array, dy.values as Float32Array, dx);
    return result([N, C], 'float32', dx);
  };

  /** [outer, n, inner] around `axis`. */
  const lineParams = (shape: readonly number[], axis: number): void => {
    P[0] = sizeOf(shape.slice(0, axis));
    P[1] = shape[axis];
    P[2] = sizeOf(shape.slice(axis + 1));
  };

  function argReduce<K extends 'ArgMax' | 'ArgMin'>(name: K): KernelFn<K> {
    const max = name === 'ArgMax' ? 1 : 0;
    return (inputs, attrs) => {
      const x = inputs[0];
      const { axis, keepDims } = attrs;
      if (x.dtype !== 'float32' || x.shape[axis] === 0) return fallback(name)(inputs, attrs);
      const shape = keepDims ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
      const out = new Int32Array(sizeOf(shape));
      lineParams(x.shape, axis);
      if (out.length > 0) {
        // an int32 output of up to 16 elements lives on the V8 heap: compute into an
        // off-heap Float32Array-sized buffer viewed as int32, then copy
        const written = out.byteLength > SMALL_BYTES ? out : stagedInt32;
        addon.argReduce(max, input(x, 0), written);
        if (written !== out) for (let i = 0; i < out.length; i++) out[i] = written[i];
      }
      return { shape, dtype: 'int32', values: out };
    };
  }

  /** Where(cond, a, b): NumPy broadcasting of the three. */
  const where: KernelFn<'Where'> = (inputs, attrs) => {
    const [c, a, b] = inputs;
    if (c.dtype !== 'bool' || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback('Where')(inputs, attrs);
    const rank = Math.max(c.shape.length, a.shape.length, b.shape.length);
    if (rank > MAX_RANK) return fallback('Where')(inputs, attrs);
    const shape = new Array<number>(rank);
    P[0] = rank;
    for (let i = 0; i < rank; i++) {
      const dc = c.shape[c.shape.length - rank + i] ?? 1;
      const da = a.shape[a.shape.length - rank + i] ?? 1;
      const db = b.shape[b.shape.length - rank + i] ?? 1;
      shape[i] = dc !== 1 ? dc : da !== 1 ? da : db;
      P[1 + i] = shape[i];
      P[1 + rank + i] = dc;
      P[1 + 2 * rank + i] = da;
      P[1 + 3 * rank + i] = db;
    }
    const out = new Float32Array(sizeOf(shape));
    if (out.length > 0) {
      const written = target(out);
      addon.where(inputBool(c), input(a, 0), input(b, 1), written);
      finish(out, written);
    }
    return result(shape, 'float32', out);
  };

  const table: KernelTable = {
    ...imageKernels(addon, params, fallback),
    BatchMatMul: (inputs, attrs) => {
      const [a, b] = inputs;
      if (!allF32(inputs)) return fallback('BatchMatMul')(inputs, attrs);
      const { transposeA, transposeB } = attrs;
      const matrices = a.shape.length === 2;
      const [batch, aRows, aCols] = matrices ? [1, a.shape[0], a.shape[1]] : a.shape;
      const [, bRows, bCols] = matrices ? [1, b.shape[0], b.shape[1]] : b.shape;
      const M = transposeA ? aCols : aRows;
      const K = transposeA ? aRows : aCols;
      const N = transposeB ? bRows : bCols;
      // the GEMM writes all of C unless K = 0, when the product is zeros
      const out = K > 0 ? uninitializedF32(batch * M * N) : new Float32Array(batch * M * N);
      // element by element: an array literal here was a good part of a training step's garbage
      P[0] = batch;
      P[1] = M;
      P[2] = N;
      P[3] = K;
      P[4] = transposeA ? 1 : 0;
      P[5] = transposeB ? 1 : 0;
      P[6] = M * K;
      P[7] = K * N;
      if (out.length > 0) call2(addon.matmul, a, b, out);
      return result(matrices ? [M, N] : [batch, M, N], 'float32', out);
    },
    Transpose: (inputs, attrs) => {
      const x = inputs[0];
      const plan = x.dtype === 'float32' && x.values.length > SMALL_BYTES / 4 ? batchedTranspose(x.shape, attrs.perm) : null;
      if (!plan) return fallback('Transpose')(inputs, attrs);
      const out = new Float32Array(x.values.length);
      [P[0], P[1], P[2]] = plan;
      addon.transpose(x.values as Float32Array, out);
      return result(attrs.perm.map((p) => x.shape[p]), 'float32', out);
    },
    Where: where,
    ArgMax: argReduce('ArgMax'),
    ArgMin: argReduce('ArgMin'),
    Cumsum: (inputs, attrs) => {
      const x = inputs[0];
      if (x.dtype !== 'float32') return fallback('Cumsum')(inputs, attrs);
      const out = new Float32Array(x.values.length);
      lineParams(x.shape, attrs.axis);
      P[3] = attrs.exclusive ? 1 : 0;
      P[4] = attrs.reverse ? 1 : 0;
      if (out.length > 0) call1(addon.cumsum, x, out);
      return result(x.shape, 'float32', out);
    },
    BiasAdd: (inputs, attrs) => {
      const [x, b] = inputs;
      if (!allF32(inputs)) return fallback('BiasAdd')(inputs, attrs);
      const out = uninitializedF32(x.values.length);
      const C = x.shape[attrs.axis];
      const inner = sizeOf(x.shape.slice(attrs.axis + 1));
      P[0] = C * inner === 0 ? 0 : out.length / (C * inner);
      P[1] = C;
      P[2] = inner;
      P[3] = attrs.activation === 'relu' ? 1 : 0;
      if (out.length > 0) call2(addon.biasAdd, x, b, out);
      return result(x.shape, 'float32', out);
    },
    BernoulliFill: (inputs, attrs) => {
      const n = sizeOf(attrs.shape);
      // masks inside the V8 heap (see staging.ts) are cheaper drawn in js
      if (attrs.dtype !== 'float32' || n * 4 <= SMALL_BYTES) return fallback('BernoulliFill')(inputs, attrs);
      const out = uninitializedF32(n);
      P[0] = n;
      P[1] = attrs.p;
      P[2] = attrs.value;
      addon.bernoulli(attrs.state, out);
      return result(attrs.shape, 'float32', out);
    },
    Softmax: softmax('Softmax'),
    LogSoftmax: softmax('LogSoftmax'),
    SparseSoftmaxCrossEntropy: sparseSoftmaxCrossEntropy,
    SparseSoftmaxCrossEntropyGrad: sparseSoftmaxCrossEntropyGrad,
    Sum: reduce('Sum'),
    Prod: reduce('Prod'),
    Max: reduce('Max'),
    Min: reduce('Min'),

    LeakyRelu: unary('LeakyRelu', 'LeakyRelu', (a) => P.set([a.alpha])),
    Elu: unary('Elu', 'Elu', (a) => P.set([a.alpha])),
    Softplus: unary('Softplus', 'Softplus', (a) => P.set([a.beta, a.threshold])),
    Clip: unary('Clip', 'Clip', (a) => P.set([a.min, a.max])),
  };
  const geluErf = unary('Gelu', 'GeluErf');
  const geluTanh = unary('Gelu', 'GeluTanh');
  table.Gelu = (inputs, attrs) => (attrs.approximate === 'tanh' ? geluTanh : geluErf)(inputs, attrs);
  const plain = UNARY_OPS.filter((op) => !(op in table) && op !== 'GeluErf' && op !== 'GeluTanh');
  for (const op of plain) (table as Record<string, unknown>)[op] = unary(op as KernelName, op);
  for (const op of BINARY_OPS) (table as Record<string, unknown>)[op] = binary(op);
  return table;
}
