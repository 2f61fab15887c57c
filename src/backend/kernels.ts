import type { DType } from '../tensor/dtype.js';

/**
 * Every kernel, named once, with its attributes. Ops, gradients and backends all refer to
 * kernels through these names, so a backend is complete when its table has every key.
 *
 * Conventions shared by all kernels:
 * - inputs are contiguous row-major tensors; outputs are new contiguous tensors;
 * - shape checks happened at op entry, so kernels trust their inputs;
 * - images are NCHW, or NHWC when a kernel's `channelsLast` attribute is true; filters are
 *   [outChannels, inChannels / groups, kH, kW] (PyTorch) in both layouts.
 */

/** Paddings of a 2-D window: [top, bottom, left, right]. */
export type Pads2D = [number, number, number, number];

export interface Conv2DAttrs {
  strides: [number, number];
  pads: Pads2D;
  dilations: [number, number];
  groups: number;
  /** Images (x, dy, the output) are NHWC rather than NCHW. Default false. */
  channelsLast?: boolean;
}

export interface Pool2DAttrs {
  kernelSize: [number, number];
  strides: [number, number];
  pads: Pads2D;
  dilations: [number, number];
  /** Images (x, dy, the output) are NHWC rather than NCHW. Default false. */
  channelsLast?: boolean;
}

type None = Record<string, never>;

export interface KernelAttrs {
  // Elementwise unary (one input x). Float in, same float out unless noted.
  Neg: None;
  Abs: None;
  Sign: None;
  Exp: None;
  Log: None;
  Log1p: None;
  Expm1: None;
  Sqrt: None;
  Rsqrt: None;
  Square: None;
  Reciprocal: None;
  Sin: None;
  Cos: None;
  Tanh: None;
  Erf: None;
  Sigmoid: None;
  Relu: None;
  LeakyRelu: { alpha: number };
  Elu: { alpha: number };
  Selu: None;
  Gelu: { approximate: 'none' | 'tanh' };
  Softplus: { beta: number; threshold: number };
  Silu: None;
  Floor: None;
  Ceil: None;
  /** Round half to even, as NumPy and PyTorch do. */
  Round: None;
  Clip: { min: number; max: number };
  /** bool in, bool out. */
  LogicalNot: None;
  /** Any dtype to `dtype`; to bool means `x != 0`; float to int truncates toward zero. */
  Cast: { dtype: DType };

  // Elementwise binary with NumPy broadcasting (inputs a, b of one dtype, already promoted).
  Add: None;
  Sub: None;
  Mul: None;
  /** True division; int32 inputs were cast to float at op entry. */
  Div: None;
  Pow: None;
  Maximum: None;
  Minimum: None;
  /**
   * No inputs: a [shape] tensor of `value` where the i-th uniform of the xoshiro128**
   * stream in `state` is below p, else 0 (a dropout mask); advances `state` in place.
   */
  BernoulliFill: { shape: readonly number[]; dtype: DType; p: number; value: number; state: Uint32Array };
  /**
   * Inputs (x, bias [x.shape[axis]]): x + bias along `axis` (non-negative), then the
   * activation: a layer's bias and relu in one pass.
   */
  BiasAdd: { axis: number; activation: 'linear' | 'relu' };
  /** dy where x > 0, else 0 (dy, x of one float dtype and shape): relu's gradient in one pass. */
  ReluGrad: None;
  /** Comparisons: any dtype in, bool out. */
  Equal: None;
  NotEqual: None;
  Less: None;
  LessEqual: None;
  Greater: None;
  GreaterEqual: None;
  /** bool in, bool out. */
  LogicalAnd: None;
  LogicalOr: None;
  LogicalXor: None;
  /** Inputs (condition: bool, a, b), broadcast together; a and b share a dtype. */
  Where: None;

  // Reductions over sorted unique `axes` (empty = none), keeping dims when asked.
  Sum: { axes: number[]; keepDims: boolean };
  Prod: { axes: number[]; keepDims: boolean };
  Max: { axes: number[]; keepDims: boolean };
  Min: { axes: number[]; keepDims: boolean };
  /** Index (int32) of the first maximum along one axis. */
  ArgMax: { axis: number; keepDims: boolean };
  ArgMin: { axis: number; keepDims: boolean };
  /** bool in, bool out. */
  All: { axes: number[]; keepDims: boolean };
  Any: { axes: number[]; keepDims: boolean };
  Cumsum: { axis: number; exclusive: boolean; reverse: boolean };

  // Shape and indexing.
  Transpose: { perm: number[] };
  /** Per axis: start (inclusive, already resolved), step (non-zero), and output length. */
  Slice: { begin: number[]; step: number[]; size: number[] };
  /** Inputs: any number of tensors of one dtype joined along `axis`. */
  Concat: { axis: number };
  /** Per axis [before, after]; 'reflect' mirrors without repeating the edge. */
  Pad: { paddings: [number, number][]; mode: 'constant' | 'reflect'; value: number };
  /** Inputs (x, indices: int32): out = x selected at `indices` along `axis` (indexSelect). */
  Gather: { axis: number };
  /** Inputs (x, indices: int32 of x's rank): torch.gather / take_along_dim. */
  GatherAlong: { axis: number };
  /** Inputs (x, indices, src): out = x, then out[..idx[i]..] += src[i] along `axis` (torch scatter_add). */
  ScatterAdd: { axis: number };
  /** Inputs (x, indices: 1-D int32, src): out = x, then out.index_add_(axis, indices, src). */
  IndexAdd: { axis: number };
  Tile: { reps: number[] };
  Flip: { axes: number[] };
  BroadcastTo: { shape: number[] };
  /** Inputs (indices: int32) → float32 with a new last axis of `depth`. */
  OneHot: { depth: number; onValue: number; offValue: number; dtype: DType };

  // Linear algebra and neural-net kernels.
  /**
   * Inputs a [B,M,K] (or [B,K,M] when transposeA), b [B,K,N] (or [B,N,K]); B equal. Both
   * may also be plain matrices (B = 1, and the output [M,N]).
   */
  BatchMatMul: { transposeA: boolean; transposeB: boolean };
  Softmax: { axis: number };
  LogSoftmax: { axis: number };
  /**
   * Inputs logits [N,C] (float), labels [N] (int32, each in 0..C−1): per-row
   * −Σ_c q_c·log softmax(x)_c with q = (1 − labelSmoothing)·onehot(label) + labelSmoothing/C.
   */
  SparseSoftmaxCrossEntropy: { labelSmoothing: number };
  /** Inputs logits [N,C], labels [N], dy [N]: the gradient dy_i·(softmax(x_i) − q_i), [N,C]. */
  SparseSoftmaxCrossEntropyGrad: { labelSmoothing: number };
  /** Inputs (x [N,C,H,W] or [N,H,W,C], filter [O,C/groups,kH,kW]). */
  Conv2D: Conv2DAttrs;
  /** Inputs (dy, filter): gradient of Conv2D with respect to x, of shape `inputShape`. */
  Conv2DBackpropInput: Conv2DAttrs & { inputShape: number[] };
  /** Inputs (x, dy): gradient of Conv2D with respect to the filter, of shape `filterShape`. */
  Conv2DBackpropFilter: Conv2DAttrs & { filterShape: number[] };
  /** Input x [N,C,H,W]; padding counts as -infinity. */
  MaxPool2D: Pool2DAttrs;
  /** Inputs (x, dy): routes dy to the first maximum of each window. */
  MaxPool2DGrad: Pool2DAttrs;
  /** Input x [N,C,H,W]. */
  AvgPool2D: Pool2DAttrs & { countIncludePad: boolean };
  /** Inputs (dy); gradient with respect to an input of `inputShape`. */
  AvgPool2DGrad: Pool2DAttrs & { countIncludePad: boolean; inputShape: number[] };
  /** PyTorch's adaptive windows: start = floor(i*H/oH), end = ceil((i+1)*H/oH). */
  AdaptiveAvgPool2D: { outputSize: [number, number] };
  AdaptiveAvgPool2DGrad: { inputShape: number[] };
  AdaptiveMaxPool2D: { outputSize: [number, number] };
  /** Inputs (x, dy). */
  AdaptiveMaxPool2DGrad: { outputSize: [number, number] };
}

export type KernelName = keyof KernelAttrs;

/** All kernel names, for checking that a backend is complete. */
export const KERNEL_NAMES: readonly KernelName[] = [
  'Neg', 'Abs', 'Sign', 'Exp', 'Log', 'Log1p', 'Expm1', 'Sqrt', 'Rsqrt', 'Square', 'Reciprocal',
  'Sin', 'Cos', 'Tanh', 'Erf', 'Sigmoid', 'Relu', 'LeakyRelu', 'Elu', 'Selu', 'Gelu', 'Softplus',
  'Silu', 'Floor', 'Ceil', 'Round', 'Clip', 'LogicalNot', 'Cast',
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Maximum', 'Minimum', 'ReluGrad', 'BernoulliFill', 'BiasAdd', 'Equal', 'NotEqual', 'Less',
  'LessEqual', 'Greater', 'GreaterEqual', 'LogicalAnd', 'LogicalOr', 'LogicalXor', 'Where',
  'Sum', 'Prod', 'Max', 'Min', 'ArgMax', 'ArgMin', 'All', 'Any', 'Cumsum',
  'Transpose', 'Slice', 'Concat', 'Pad', 'Gather', 'GatherAlong', 'ScatterAdd', 'IndexAdd',
  'Tile', 'Flip', 'BroadcastTo', 'OneHot',
  'BatchMatMul', 'Softmax', 'LogSoftmax', 'SparseSoftmaxCrossEntropy', 'SparseSoftmaxCrossEntropyGrad', 'Conv2D', 'Conv2DBackpropInput',
  'Conv2DBackpropFilter', 'MaxPool2D', 'MaxPool2DGrad', 'AvgPool2D', 'AvgPool2DGrad',
  'AdaptiveAvgPool2D', 'AdaptiveAvgPool2DGrad', 'AdaptiveMaxPool2D', 'AdaptiveMaxPool2DGrad',
];
