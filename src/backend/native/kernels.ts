import type { KernelFn, KernelTable, TensorData } from '../backend.js';
import type { Conv2DAttrs, KernelAttrs, KernelName, Pool2DAttrs } from '../kernels.js';
import type { DType } from '../../tensor/dtype.js';
import { reductionPlan } from '../js/loops.js';
import type { Addon } from './addon.js';

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
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Maximum', 'Minimum',
  'Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual',
] as const;
const FIRST_COMPARISON = BINARY_OPS.indexOf('Equal');

/** Highest rank the addon's broadcast and reduction loops take. */
const MAX_RANK = 32;

/** Reductions in the order of `ReduceOp`. */
const REDUCE_OPS = ['Sum', 'Prod', 'Max', 'Min'] as const;

type Fallback = <K extends KernelName>(name: K) => KernelFn<K>;

/**
 * Typed arrays of up to 64 bytes live inside the V8 heap, where the GC may move them; for
 * such an array N-API first copies the elements out to a new backing store, which costs
 * more than a small kernel. Small arrays therefore travel through fixed off-heap buffers:
 * inputs are copied in, outputs copied back (a few nanoseconds for 16 floats).
 */
const SMALL_BYTES = 64;
const offHeapF32 = (): Float32Array => new Float32Array(new ArrayBuffer(SMALL_BYTES));
const stagedInputs = [offHeapF32(), offHeapF32(), offHeapF32()];
const stagedF32 = offHeapF32();
const stagedBool = new Uint8Array(new ArrayBuffer(SMALL_BYTES));
const stagedBoolInput = new Uint8Array(new ArrayBuffer(SMALL_BYTES));
const stagedInt32 = new Int32Array(new ArrayBuffer(SMALL_BYTES));

/** The array to hand to C++ for input `slot`: `t`'s own storage, or a staged copy. */
function input(t: TensorData, slot: number): Float32Array {
  const values = t.values as Float32Array;
  if (values.byteLength > SMALL_BYTES) return values;
  const staged = stagedInputs[slot];
  staged.set(values);
  return staged;
}

/** `input` for a bool tensor. */
function inputBool(t: TensorData): Uint8Array {
  const values = t.values as Uint8Array;
  if (values.byteLength > SMALL_BYTES) return values;
  stagedBoolInput.set(values);
  return stagedBoolInput;
}

/** The array C++ writes for output `out`; pass both to `finish` after the call. */
function target<T extends Float32Array | Uint8Array>(out: T): T {
  if (out.byteLength > SMALL_BYTES) return out;
  return (out instanceof Float32Array ? stagedF32 : stagedBool) as T;
}

function finish(out: Float32Array | Uint8Array, written: Float32Array | Uint8Array): void {
  if (written !== out) for (let i = 0; i < out.length; i++) out[i] = written[i];
}

function result(shape: readonly number[], dtype: DType, values: Float32Array | Uint8Array): TensorData {
  return { shape, dtype, values };
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Builds the table over `addon`, with `params` the buffer shared through addon.init. */
export function nativeKernels(addon: Addon, params: Float64Array, fallback: Fallback): KernelTable {
  const P = params;
  type Fn1 = (x: Float32Array, out: Float32Array) => void;
  type Fn2 = (a: Float32Array, b: Float32Array, out: Float32Array) => void;
  const call1 = (fn: Fn1, x: TensorData, out: Float32Array): void => {
    const written = target(out);
    fn(input(x, 0), written);
    finish(out, written);
  };
  const call2 = (fn: Fn2, a: TensorData, b: TensorData, out: Float32Array): void => {
    const written = target(out);
    fn(input(a, 0), input(b, 1), written);
    finish(out, written);
  };
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
      const out = new Float32Array(x.values.length);
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
    return (inputs, attrs) => {
      const [a, b] = inputs;
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(name)(inputs, attrs);
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
      const values = comparison ? new Uint8Array(size) : new Float32Array(size);
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
    const run: Fn1 = (x, out) => addon.reduce(code, x, out);
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

  /** Conv2D parameters: N, C, H, W, O, kH, kW, oH, oW, strides, pads, dilations, groups. */
  function convParams(x: readonly number[], w: readonly number[], oH: number, oW: number, a: Conv2DAttrs): void {
    const [N, C, H, W] = x;
    const [O, , kH, kW] = w;
    P.set([N, C, H, W, O, kH, kW, oH, oW, ...a.strides, ...a.pads, ...a.dilations, a.groups]);
  }

  const outSize = (size: number, k: number, s: number, d: number, p0: number, p1: number): number =>
    Math.floor((size + p0 + p1 - d * (k - 1) - 1) / s) + 1;

  /** Pool parameters: N, C, H, W, oH, oW, kH, kW, strides, pads, dilations, countIncludePad. */
  function poolParams(x: readonly number[], a: Pool2DAttrs, countIncludePad: boolean): [number, number] {
    const { kernelSize: k, strides: s, pads: p, dilations: d } = a;
    const oH = outSize(x[2], k[0], s[0], d[0], p[0], p[1]);
    const oW = outSize(x[3], k[1], s[1], d[1], p[2], p[3]);
    P.set([x[0], x[1], x[2], x[3], oH, oW, ...k, ...s, ...p, ...d, countIncludePad ? 1 : 0, 0]);
    return [oH, oW];
  }

  const allF32 = (inputs: TensorData[]): boolean => inputs.every((t) => t.dtype === 'float32');

  /** Adaptive pool parameters: input [N, C, H, W] to [oH, oW] windows. */
  const adaptiveParams = (x: readonly number[], oH: number, oW: number): void => {
    P.set([x[0], x[1], x[2], x[3], oH, oW, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1]);
  };
  const adaptiveOut = (x: readonly number[], size: readonly number[]): number[] => [x[0], x[1], size[0], size[1]];

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
    BatchMatMul: (inputs, attrs) => {
      const [a, b] = inputs;
      if (!allF32(inputs)) return fallback('BatchMatMul')(inputs, attrs);
      const { transposeA, transposeB } = attrs;
      const [batch, aRows, aCols] = a.shape;
      const [, bRows, bCols] = b.shape;
      const M = transposeA ? aCols : aRows;
      const K = transposeA ? aRows : aCols;
      const N = transposeB ? bRows : bCols;
      const out = new Float32Array(batch * M * N);
      P.set([batch, M, N, K, transposeA ? 1 : 0, transposeB ? 1 : 0, M * K, K * N]);
      if (out.length > 0) call2(addon.matmul, a, b, out);
      return result([batch, M, N], 'float32', out);
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
    AdaptiveAvgPool2D: (inputs, attrs) => {
      const x = inputs[0];
      if (!allF32(inputs)) return fallback('AdaptiveAvgPool2D')(inputs, attrs);
      const shape = adaptiveOut(x.shape, attrs.outputSize);
      const out = new Float32Array(sizeOf(shape));
      adaptiveParams(x.shape, shape[2], shape[3]);
      if (out.length > 0) call1(addon.avgPool2d, x, out);
      return result(shape, 'float32', out);
    },
    AdaptiveAvgPool2DGrad: (inputs, attrs) => {
      const dy = inputs[0];
      if (!allF32(inputs)) return fallback('AdaptiveAvgPool2DGrad')(inputs, attrs);
      const dx = new Float32Array(sizeOf(attrs.inputShape));
      adaptiveParams(attrs.inputShape, dy.shape[2], dy.shape[3]);
      if (dx.length > 0) call1(addon.avgPool2dGrad, dy, dx);
      return result(attrs.inputShape, 'float32', dx);
    },
    AdaptiveMaxPool2D: (inputs, attrs) => {
      const x = inputs[0];
      if (!allF32(inputs)) return fallback('AdaptiveMaxPool2D')(inputs, attrs);
      const shape = adaptiveOut(x.shape, attrs.outputSize);
      const out = new Float32Array(sizeOf(shape));
      adaptiveParams(x.shape, shape[2], shape[3]);
      if (out.length > 0) call1(addon.maxPool2d, x, out);
      return result(shape, 'float32', out);
    },
    AdaptiveMaxPool2DGrad: (inputs, attrs) => {
      const [x, dy] = inputs;
      if (!allF32(inputs)) return fallback('AdaptiveMaxPool2DGrad')(inputs, attrs);
      const dx = new Float32Array(x.values.length);
      adaptiveParams(x.shape, attrs.outputSize[0], attrs.outputSize[1]);
      if (dx.length > 0) call2(addon.maxPool2dGrad, x, dy, dx);
      return result(x.shape, 'float32', dx);
    },
    Softmax: softmax('Softmax'),
    LogSoftmax: softmax('LogSoftmax'),
    Sum: reduce('Sum'),
    Prod: reduce('Prod'),
    Max: reduce('Max'),
    Min: reduce('Min'),

    Conv2D: (inputs, attrs) => {
      const [x, w] = inputs;
      if (!allF32(inputs)) return fallback('Conv2D')(inputs, attrs);
      const { strides: s, pads: p, dilations: d } = attrs;
      const oH = outSize(x.shape[2], w.shape[2], s[0], d[0], p[0], p[1]);
      const oW = outSize(x.shape[3], w.shape[3], s[1], d[1], p[2], p[3]);
      const shape = [x.shape[0], w.shape[0], oH, oW];
      const out = new Float32Array(sizeOf(shape));
      convParams(x.shape, w.shape, oH, oW, attrs);
      if (out.length > 0) call2(addon.conv2d, x, w, out);
      return result(shape, 'float32', out);
    },
    Conv2DBackpropInput: (inputs, attrs) => {
      const [dy, w] = inputs;
      if (!allF32(inputs)) return fallback('Conv2DBackpropInput')(inputs, attrs);
      const dx = new Float32Array(sizeOf(attrs.inputShape));
      convParams(attrs.inputShape, w.shape, dy.shape[2], dy.shape[3], attrs);
      if (dx.length > 0) call2(addon.conv2dBackpropInput, dy, w, dx);
      return result(attrs.inputShape, 'float32', dx);
    },
    Conv2DBackpropFilter: (inputs, attrs) => {
      const [x, dy] = inputs;
      if (!allF32(inputs)) return fallback('Conv2DBackpropFilter')(inputs, attrs);
      const dw = new Float32Array(sizeOf(attrs.filterShape));
      convParams(x.shape, attrs.filterShape, dy.shape[2], dy.shape[3], attrs);
      if (dw.length > 0) call2(addon.conv2dBackpropFilter, x, dy, dw);
      return result(attrs.filterShape, 'float32', dw);
    },

    MaxPool2D: (inputs, attrs) => {
      const x = inputs[0];
      if (!allF32(inputs)) return fallback('MaxPool2D')(inputs, attrs);
      const [oH, oW] = poolParams(x.shape, attrs, false);
      const shape = [x.shape[0], x.shape[1], oH, oW];
      const out = new Float32Array(sizeOf(shape));
      if (out.length > 0) call1(addon.maxPool2d, x, out);
      return result(shape, 'float32', out);
    },
    MaxPool2DGrad: (inputs, attrs) => {
      const [x, dy] = inputs;
      if (!allF32(inputs)) return fallback('MaxPool2DGrad')(inputs, attrs);
      poolParams(x.shape, attrs, false);
      const dx = new Float32Array(x.values.length);
      if (dx.length > 0) call2(addon.maxPool2dGrad, x, dy, dx);
      return result(x.shape, 'float32', dx);
    },
    AvgPool2D: (inputs, attrs) => {
      const x = inputs[0];
      if (!allF32(inputs)) return fallback('AvgPool2D')(inputs, attrs);
      const [oH, oW] = poolParams(x.shape, attrs, attrs.countIncludePad);
      const shape = [x.shape[0], x.shape[1], oH, oW];
      const out = new Float32Array(sizeOf(shape));
      if (out.length > 0) call1(addon.avgPool2d, x, out);
      return result(shape, 'float32', out);
    },
    AvgPool2DGrad: (inputs, attrs) => {
      const dy = inputs[0];
      if (!allF32(inputs)) return fallback('AvgPool2DGrad')(inputs, attrs);
      poolParams(attrs.inputShape, attrs, attrs.countIncludePad);
      const dx = new Float32Array(sizeOf(attrs.inputShape));
      if (dx.length > 0) call1(addon.avgPool2dGrad, dy, dx);
      return result(attrs.inputShape, 'float32', dx);
    },

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
