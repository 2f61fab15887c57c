import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Conv2DAttrs, Pads2D } from '../backend/kernels.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { fusedActivationArg, withBias, type FusedActivation } from './bias.js';
import {
  checkRank,
  floatArg,
  imageLayout,
  padding1DTo2D,
  positiveInt,
  resolvePads,
  sameDType,
  windowArg,
  windowOutput,
  type DataFormat1D,
  type ImageLayout,
  type DataFormat2D,
  type Padding1D,
  type Padding2D,
} from './conv-args.js';

/** Options of conv2d. */
export interface Conv2DOptions {
  /** Step of the window, per axis or one for both. Default 1. */
  stride?: number | [number, number];
  /** Default 'valid' (no padding). 'same' follows TensorFlow for every stride. */
  padding?: Padding2D;
  /** Spacing between kernel taps. Default 1. */
  dilation?: number | [number, number];
  /** Channel groups; groups = inChannels makes a depthwise convolution. Default 1. */
  groups?: number;
  /**
   * 'NCHW' (default, PyTorch) or 'NHWC' (Keras, TensorFlow) for x and the output. The
   * weight is [outChannels, inChannels/groups, kH, kW] in both layouts.
   */
  dataFormat?: DataFormat2D;
  /** 'relu' applies relu with the bias in one pass (TensorFlow.js' fused conv2d). Default 'linear'. */
  activation?: FusedActivation;
}

/** Options of conv1d: as conv2d, with one spatial axis. */
export interface Conv1DOptions {
  stride?: number;
  padding?: Padding1D;
  dilation?: number;
  groups?: number;
  /** 'NCW' (default, PyTorch) or 'NWC' (Keras); the weight is [outChannels, inChannels/groups, k]. */
  dataFormat?: DataFormat1D;
  /** 'relu' applies relu with the bias in one pass. Default 'linear'. */
  activation?: FusedActivation;
}

/**
 * The three convolution kernels as recorded ops. Each is the gradient of the others, so
 * their gradients (of any order) are made of the same three. A gradient is only computed
 * for an input that requires it: the first layer's x (the data) usually does not, and its
 * gradient would cost as much as the forward pass.
 */
export function convForward(x: Tensor, w: Tensor, attrs: Conv2DAttrs): Tensor {
  return runOp('conv2d', 'Conv2D', [x, w], attrs, (dy) => [
    x.requiresGrad ? convBackpropInput(dy, w, attrs, x.shape) : null,
    w.requiresGrad ? convBackpropFilter(x, dy, attrs, w.shape) : null,
  ]);
}

/** The gradient of convForward with respect to x; also the forward of conv2dTranspose. */
export function convBackpropInput(dy: Tensor, w: Tensor, attrs: Conv2DAttrs, inputShape: readonly number[]): Tensor {
  return runOp('conv2dBackpropInput', 'Conv2DBackpropInput', [dy, w], { ...attrs, inputShape: [...inputShape] }, (g) => [
    dy.requiresGrad ? convForward(g, w, attrs) : null,
    w.requiresGrad ? convBackpropFilter(g, dy, attrs, w.shape) : null,
  ]);
}

/** The gradient of convForward with respect to the filter. */
export function convBackpropFilter(x: Tensor, dy: Tensor, attrs: Conv2DAttrs, filterShape: readonly number[]): Tensor {
  return runOp('conv2dBackpropFilter', 'Conv2DBackpropFilter', [x, dy], { ...attrs, filterShape: [...filterShape] }, (g) => [
    x.requiresGrad ? convBackpropInput(dy, g, attrs, x.shape) : null,
    dy.requiresGrad ? convForward(x, g, attrs) : null,
  ]);
}

/** Arguments of a convolution, checked, with the weight brought to the kernels' 4-D form. */
export interface ConvArgs {
  /** x seen as NCHW; toKernel() only after every check. */
  image: ImageLayout;
  weight: Tensor;
  bias: Tensor | undefined;
  strides: [number, number];
  dilations: [number, number];
  groups: number;
  /** The weight's shape as the caller gave it, for messages. */
  shownW: readonly number[];
}

interface RawConvOptions {
  stride?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
  dataFormat?: string;
}

/**
 * Checks dtypes, ranks and window sizes of conv2d / conv1d / conv2dTranspose and their
 * 1-D forms, then brings the weight to 4-D. Channel counts are checked by
 * the caller, which knows how the weight maps them.
 */
export function prepareConv(
  op: string,
  spatial: 1 | 2,
  x: TensorLike,
  weight: TensorLike,
  bias: TensorLike | undefined,
  options: RawConvOptions,
  weightLayout: string,
): ConvArgs {
  const xt = floatArg(op, 'x', x);
  const wt = floatArg(op, 'weight', weight);
  sameDType(op, ['x', xt], ['weight', wt]);
  const bt = bias === undefined ? undefined : floatArg(op, 'bias', bias);
  if (bt) sameDType(op, ['x', xt], ['bias', bt]);
  const image = imageLayout(op, spatial, xt, options.dataFormat);
  checkRank(op, 'weight', wt, spatial === 2 ? `${weightLayout},kH,kW` : `${weightLayout},k`);
  const groups = positiveInt(op, 'groups', options.groups ?? 1);
  const strides = windowArg(op, 'stride', spatial, options.stride ?? 1);
  const dilations = windowArg(op, 'dilation', spatial, options.dilation ?? 1);
  const w4 = spatial === 1 ? reshape(wt, [wt.shape[0], wt.shape[1], 1, wt.shape[2]]) : wt;
  return { image, weight: w4, bias: bt, strides, dilations, groups, shownW: wt.shape };
}

/** Checks that `groups` divides `count` channels of `arg`. */
export function checkGroups(op: string, groups: number, count: number, what: string, arg: string, shape: readonly number[]): void {
  if (count % groups !== 0) {
    throw new ValueError(`${op}: groups (${groups}) must divide the ${what} channels (${arg} ${fmtShape(shape)} has ${count})`);
  }
}

/** Checks that bias holds one value per output channel. */
export function checkBias(op: string, bias: Tensor | undefined, outChannels: number): void {
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    throw new ShapeError(`${op}: bias must be [${outChannels}] (one value per output channel), got ${fmtShape(bias.shape)}`);
  }
}

/** Adds a per-channel bias to a 4-D result, NCHW or (channelsLast) NHWC. */
export function addBias(y: Tensor, bias: Tensor | undefined, channelsLast = false, activation: FusedActivation = 'linear'): Tensor {
  return withBias(y, bias, channelsLast ? y.rank - 1 : 1, fusedActivationArg('conv', activation));
}

/** The kernels' attributes, with `channelsLast` only when set (NCHW calls keep their old attributes). */
export function convAttrs(a: ConvArgs, pads: Pads2D): Conv2DAttrs {
  const attrs: Conv2DAttrs = { strides: a.strides, pads, dilations: a.dilations, groups: a.groups };
  if (a.image.channelsLast) attrs.channelsLast = true;
  return attrs;
}

function convolve(op: string, spatial: 1 | 2, x: TensorLike, weight: TensorLike, bias: TensorLike | undefined, options: Conv2DOptions | Conv1DOptions): Tensor {
  const a = prepareConv(op, spatial, x, weight, bias, options, 'outChannels,inChannels/groups');
  const [, C, H, W] = a.image.shape;
  const [O, Cw, kH, kW] = a.weight.shape;
  checkGroups(op, a.groups, C, 'input', 'x', a.image.shown);
  checkGroups(op, a.groups, O, 'output', 'weight', a.shownW);
  if (C !== Cw * a.groups) {
    throw new ShapeError(`${op}: input has ${C} channels but weight expects ${Cw * a.groups} (weight ${fmtShape(a.shownW)}, groups ${a.groups})`);
  }
  checkBias(op, a.bias, O);
  const padding = options.padding ?? 'valid';
  const spec = spatial === 2 ? (padding as Padding2D) : padding1DTo2D(op, padding as Padding1D);
  const pads = resolvePads(op, spec, [H, W], [kH, kW], a.strides, a.dilations);
  windowOutput(op, a.image.shown, [H, W], [kH, kW], a.strides, a.dilations, pads);
  // channels-last images go to the kernels as they are: no transposes, forward or backward
  const y = convForward(a.image.toKernel(), a.weight, convAttrs(a, pads));
  return a.image.fromKernel(addBias(y, a.bias, a.image.channelsLast, options.activation));
}

/**
 * 2-D convolution (cross-correlation, as in every DL library) of a batch of images.
 *
 * out[n,o,i,j] = bias[o] + Σ_{c,p,q} x[n, g·C/groups + c, i·sH + p·dH − top, j·sW + q·dW − left] · w[o,c,p,q]
 * for o in group g. x [N,C,H,W] (or [N,H,W,C] with dataFormat 'NHWC'), weight
 * [O, C/groups, kH, kW], bias [O]; output [N,O,oH,oW] with oH = floor((H + top + bottom −
 * dH·(kH − 1) − 1) / sH) + 1.
 *
 * ```ts
 * const y = sd.conv2d(sd.randn([32, 1, 28, 28]), sd.randn([32, 1, 5, 5]), sd.zeros([32]), { padding: 'same' });
 * y.shape; // [32,32,28,28]
 * ```
 */
export function conv2d(x: TensorLike, weight: TensorLike, bias?: TensorLike, options: Conv2DOptions = {}): Tensor {
  return convolve('conv2d', 2, x, weight, bias, options);
}

/**
 * 1-D convolution of a batch of sequences: conv2d with height 1.
 * x [N,C,L] (or [N,L,C] with dataFormat 'NWC'), weight [O, C/groups, k], bias [O];
 * output [N,O,oL] with oL = floor((L + left + right − d·(k − 1) − 1) / stride) + 1.
 *
 * ```ts
 * sd.conv1d(sd.randn([8, 4, 100]), sd.randn([16, 4, 3]), undefined, { padding: 'same' }).shape; // [8,16,100]
 * ```
 */
export function conv1d(x: TensorLike, weight: TensorLike, bias?: TensorLike, options: Conv1DOptions = {}): Tensor {
  return convolve('conv1d', 1, x, weight, bias, options);
}
