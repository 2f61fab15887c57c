import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Pads2D } from '../backend/kernels.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { addBias, checkBias, checkGroups, convAttrs, convBackpropInput, prepareConv } from './conv.js';
import { padding1DTo2D, resolvePads, type DataFormat1D, type DataFormat2D, type Padding1D, type Padding2D } from './conv-args.js';

/** Options of conv2dTranspose. */
export interface Conv2DTransposeOptions {
  stride?: number | [number, number];
  /**
   * Padding removed from the output, as PyTorch's `padding` (numbers), or 'valid' / 'same'
   * as Keras: with 'same' the output is input·stride. Default 0.
   */
  padding?: Padding2D;
  /**
   * Extra rows/columns added at the bottom/right of the output, each smaller than the
   * stride. Default 0 with numeric padding; with 'valid' or 'same', max(0, stride − span)
   * as Keras, where span = dilation·(k − 1) + 1.
   */
  outputPadding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
  /** 'NCHW' (default) or 'NHWC' for x and the output; the weight layout does not change. */
  dataFormat?: DataFormat2D;
}

/** Options of conv1dTranspose: as conv2dTranspose, with one spatial axis. */
export interface Conv1DTransposeOptions {
  stride?: number;
  padding?: Padding1D;
  outputPadding?: number;
  dilation?: number;
  groups?: number;
  dataFormat?: DataFormat1D;
}

/** Resolves the paddings and output padding of a transposed convolution. */
function transposedPads(
  op: string,
  padding: Padding2D,
  outputPadding: number | [number, number] | undefined,
  kernel: readonly number[],
  strides: [number, number],
  dilations: [number, number],
): [Pads2D, [number, number]] {
  const span = [0, 1].map((a) => dilations[a] * (kernel[a] - 1) + 1);
  const keras = [0, 1].map((a) => Math.max(0, strides[a] - span[a]));
  let pads: Pads2D;
  if (padding === 'same') {
    // the pads of the 'same' convolution whose gradient this is
    const total = [0, 1].map((a) => Math.max(0, span[a] - strides[a]));
    pads = [Math.floor(total[0] / 2), Math.ceil(total[0] / 2), Math.floor(total[1] / 2), Math.ceil(total[1] / 2)];
  } else {
    pads = resolvePads(op, padding, [0, 0], kernel, strides, dilations);
  }
  let extra: [number, number];
  if (outputPadding === undefined) {
    extra = typeof padding === 'string' ? (keras as [number, number]) : [0, 0];
  } else {
    const pair = typeof outputPadding === 'number' ? [outputPadding, outputPadding] : [...outputPadding];
    if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ValueError(`${op}: outputPadding must be a non-negative integer or a pair of them, got ${String(outputPadding)}`);
    }
    extra = pair as [number, number];
  }
  for (let a = 0; a < 2; a++) {
    if (extra[a] >= strides[a]) {
      throw new ValueError(`${op}: outputPadding (${extra[a]}) must be smaller than the stride (${strides[a]})`);
    }
  }
  return [pads, extra];
}

function convolveTransposed(
  op: string,
  spatial: 1 | 2,
  x: TensorLike,
  weight: TensorLike,
  bias: TensorLike | undefined,
  options: Conv2DTransposeOptions | Conv1DTransposeOptions,
): Tensor {
  const a = prepareConv(op, spatial, x, weight, bias, options, 'inChannels,outChannels/groups');
  const [N, C, H, W] = a.image.shape;
  const [Cw, Og, kH, kW] = a.weight.shape;
  checkGroups(op, a.groups, Cw, 'input', 'weight', a.shownW);
  if (C !== Cw) {
    throw new ShapeError(`${op}: input has ${C} channels but weight expects ${Cw} (weight ${fmtShape(a.shownW)}, groups ${a.groups})`);
  }
  const O = Og * a.groups;
  checkBias(op, a.bias, O);
  const padding = options.padding ?? 0;
  const spec = spatial === 2 ? (padding as Padding2D) : padding1DTo2D(op, padding as Padding1D);
  const outPad = spatial === 2 ? (options as Conv2DTransposeOptions).outputPadding : (options as Conv1DTransposeOptions).outputPadding;
  const extra = spatial === 1 && typeof outPad === 'number' ? ([0, outPad] as [number, number]) : outPad;
  const [pads, outputPadding] = transposedPads(op, spec, extra, [kH, kW], a.strides, a.dilations);
  const oH = (H - 1) * a.strides[0] - pads[0] - pads[1] + a.dilations[0] * (kH - 1) + 1 + outputPadding[0];
  const oW = (W - 1) * a.strides[1] - pads[2] - pads[3] + a.dilations[1] * (kW - 1) + 1 + outputPadding[1];
  if (oH <= 0 || oW <= 0) {
    throw new ShapeError(
      `${op}: the output would be empty (${oH}x${oW}): padding ${fmtShape(pads)} removes more than the ` +
        `${oH + pads[0] + pads[1]}x${oW + pads[2] + pads[3]} the input ${fmtShape(a.image.shown)} spreads to`,
    );
  }
  const last = a.image.channelsLast;
  const y = convBackpropInput(a.image.toKernel(), a.weight, convAttrs(a, pads), last ? [N, oH, oW, O] : [N, O, oH, oW]);
  return a.image.fromKernel(addBias(y, a.bias, last));
}

/**
 * Transposed 2-D convolution (the gradient of conv2d with respect to its input), as
 * PyTorch's ConvTranspose2d: each input pixel scatters weight-scaled copies of the kernel.
 *
 * x [N,C_in,H,W] (or NHWC), weight [C_in, C_out/groups, kH, kW], bias [C_out];
 * output [N,C_out,oH,oW] with oH = (H − 1)·sH − top − bottom + dH·(kH − 1) + 1 + outputPadding.
 *
 * ```ts
 * sd.conv2dTranspose(sd.randn([1, 16, 7, 7]), sd.randn([16, 8, 4, 4]), undefined, { stride: 2, padding: 1 }).shape;
 * // [1,8,14,14]
 * ```
 */
export function conv2dTranspose(x: TensorLike, weight: TensorLike, bias?: TensorLike, options: Conv2DTransposeOptions = {}): Tensor {
  return convolveTransposed('conv2dTranspose', 2, x, weight, bias, options);
}

/**
 * Transposed 1-D convolution: conv2dTranspose with height 1. x [N,C_in,L] (or NWC),
 * weight [C_in, C_out/groups, k]; output [N,C_out,(L − 1)·s − left − right + d·(k − 1) + 1 + outputPadding].
 *
 * ```ts
 * sd.conv1dTranspose(sd.randn([2, 4, 10]), sd.randn([4, 3, 3]), undefined, { stride: 2 }).shape; // [2,3,21]
 * ```
 */
export function conv1dTranspose(x: TensorLike, weight: TensorLike, bias?: TensorLike, options: Conv1DTransposeOptions = {}): Tensor {
  return convolveTransposed('conv1dTranspose', 1, x, weight, bias, options);
}
