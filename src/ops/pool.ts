import { ValueError } from '../errors.js';
import type { Pads2D, Pool2DAttrs } from '../backend/kernels.js';
import type { TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { mul } from './arithmetic.js';
import {
  floatArg,
  imageLayout,
  padding1DTo2D,
  resolvePads,
  windowArg,
  windowOutput,
  type DataFormat1D,
  type DataFormat2D,
  type Padding1D,
  type Padding2D,
} from './conv-args.js';

/** Options of maxPool2d. */
export interface MaxPool2DOptions {
  /** Step of the window; defaults to the kernel size. */
  stride?: number | [number, number];
  /** Default 0. Explicit pads may be at most half the kernel (PyTorch's rule); padding never wins the max. */
  padding?: Padding2D;
  dilation?: number | [number, number];
  /** Use ceil instead of floor for the output size, as PyTorch. Default false. */
  ceilMode?: boolean;
  /** 'NCHW' (default) or 'NHWC'. */
  dataFormat?: DataFormat2D;
}

/** Options of avgPool2d. */
export interface AvgPool2DOptions {
  stride?: number | [number, number];
  padding?: Padding2D;
  ceilMode?: boolean;
  /**
   * Whether padded zeros count in the divisor. Default true (PyTorch) with numeric
   * padding, false with 'same' (TensorFlow, Keras).
   */
  countIncludePad?: boolean;
  dataFormat?: DataFormat2D;
}

/** Options of maxPool1d: as maxPool2d, with one spatial axis. */
export interface MaxPool1DOptions {
  stride?: number;
  padding?: Padding1D;
  dilation?: number;
  ceilMode?: boolean;
  dataFormat?: DataFormat1D;
}

/** Options of avgPool1d: as avgPool2d, with one spatial axis. */
export interface AvgPool1DOptions {
  stride?: number;
  padding?: Padding1D;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  dataFormat?: DataFormat1D;
}

interface RawPoolOptions {
  stride?: number | [number, number];
  padding?: Padding2D | Padding1D;
  dilation?: number | [number, number];
  ceilMode?: boolean;
  countIncludePad?: boolean;
  dataFormat?: string;
}

/** A pool's checked arguments: kernel attributes and, for ceil mode, the extra bottom/right pads. */
interface PoolPlan {
  attrs: Pool2DAttrs;
  /** The pads the caller asked for; attrs.pads may extend them at the end for ceil mode. */
  pads: Pads2D;
  inSize: [number, number];
}

function planPool(
  op: string,
  spatial: 1 | 2,
  inSize: [number, number],
  shown: readonly number[],
  kernelSize: number | readonly number[],
  options: RawPoolOptions,
): PoolPlan {
  const kernel = windowArg(op, 'kernelSize', spatial, kernelSize);
  const strides = windowArg(op, 'stride', spatial, options.stride ?? (spatial === 2 ? kernel : kernel[1]));
  const dilations = windowArg(op, 'dilation', spatial, options.dilation ?? 1);
  const padding = options.padding ?? 0;
  const spec = spatial === 2 ? (padding as Padding2D) : padding1DTo2D(op, padding as Padding1D);
  const pads = resolvePads(op, spec, inSize, kernel, strides, dilations);
  if (typeof spec !== 'string') {
    pads.forEach((p, i) => {
      const k = kernel[i < 2 ? 0 : 1];
      if (p > Math.floor(k / 2)) {
        throw new ValueError(`${op}: padding (${p}) must be at most half the kernel size (${k}), as in PyTorch`);
      }
    });
  }
  const out = windowOutput(op, shown, inSize, kernel, strides, dilations, pads);
  const extended: Pads2D = [...pads];
  if (options.ceilMode) {
    for (let a = 0; a < 2; a++) {
      const before = pads[2 * a];
      const padded = inSize[a] + before + pads[2 * a + 1];
      const span = dilations[a] * (kernel[a] - 1) + 1;
      let size = Math.ceil((padded - span) / strides[a]) + 1;
      // PyTorch's rule: the last window must start inside the input or the leading padding
      if ((size - 1) * strides[a] >= inSize[a] + before) size--;
      // extra trailing padding makes the kernels' floor rule give the ceil size
      extended[2 * a + 1] += Math.max(0, (size - 1) * strides[a] + span - padded);
      out[a] = size;
    }
  }
  return { attrs: { kernelSize: kernel, strides, pads: extended, dilations }, pads, inSize };
}

function maxPoolForward(x: Tensor, attrs: Pool2DAttrs): Tensor {
  return runOp('maxPool2d', 'MaxPool2D', [x], attrs, (dy) => [runOp('maxPool2dGrad', 'MaxPool2DGrad', [x, dy], attrs)]);
}

type AvgAttrs = Pool2DAttrs & { countIncludePad: boolean };

/** Average pooling and its gradient are linear and each other's transpose. */
function avgPoolForward(x: Tensor, attrs: AvgAttrs): Tensor {
  return runOp('avgPool2d', 'AvgPool2D', [x], attrs, (dy) => [avgPoolBackward(dy, attrs, x.shape)]);
}

function avgPoolBackward(dy: Tensor, attrs: AvgAttrs, inputShape: readonly number[]): Tensor {
  return runOp('avgPool2dGrad', 'AvgPool2DGrad', [dy], { ...attrs, inputShape: [...inputShape] }, (g) => [avgPoolForward(g, attrs)]);
}

/**
 * With ceil mode the kernels count the extra trailing pads in the divisor; PyTorch counts
 * only the requested ones. Returns the per-window factor [1,1,oH,oW] (or [1,oH,oW,1] for
 * channels-last images) that fixes this, or null when no window reaches into the extra pads.
 */
function ceilModeCorrection(plan: PoolPlan, outSize: readonly number[], dtype: Tensor['dtype'], channelsLast: boolean): Tensor | null {
  const { attrs, pads, inSize } = plan;
  if (attrs.pads.every((p, i) => p === pads[i])) return null;
  const factors = [0, 1].map((a) => {
    const k = attrs.kernelSize[a];
    return Array.from({ length: outSize[a] }, (_, o) => {
      const first = o * attrs.strides[a] - pads[2 * a];
      return k / (Math.min(first + k, inSize[a] + pads[2 * a + 1]) - first);
    });
  });
  const values = new (dtype === 'float64' ? Float64Array : Float32Array)(outSize[0] * outSize[1]);
  factors[0].forEach((fh, i) => factors[1].forEach((fw, j) => (values[i * outSize[1] + j] = fh * fw)));
  return new Tensor(values, channelsLast ? [1, outSize[0], outSize[1], 1] : [1, 1, outSize[0], outSize[1]], dtype);
}

function pool(op: string, kind: 'max' | 'avg', spatial: 1 | 2, x: TensorLike, kernelSize: number | readonly number[], options: RawPoolOptions): Tensor {
  const xt = floatArg(op, 'x', x);
  const image = imageLayout(op, spatial, xt, options.dataFormat);
  const [, , H, W] = image.shape;
  const plan = planPool(op, spatial, [H, W], image.shown, kernelSize, options);
  // channels-last images go to the kernels as they are: no transposes, forward or backward
  const last = image.channelsLast;
  const attrs: Pool2DAttrs = last ? { ...plan.attrs, channelsLast: true } : plan.attrs;
  const x4 = image.toKernel();
  if (kind === 'max') return image.fromKernel(maxPoolForward(x4, attrs));
  const countIncludePad = options.countIncludePad ?? options.padding !== 'same';
  let y = avgPoolForward(x4, { ...attrs, countIncludePad });
  const outSize = last ? y.shape.slice(1, 3) : y.shape.slice(2);
  const correction = countIncludePad ? ceilModeCorrection(plan, outSize, y.dtype, last) : null;
  if (correction) y = mul(y, correction);
  return image.fromKernel(y);
}

/**
 * 2-D max pooling: the largest value of each kH×kW window (taps dilation apart).
 *
 * x [N,C,H,W] (or NHWC); output [N,C,oH,oW] with oH = floor((H + top + bottom − dH·(kH − 1) − 1) / sH) + 1
 * (ceil with ceilMode). The gradient goes to the first maximum of each window.
 *
 * ```ts
 * sd.maxPool2d(sd.randn([1, 3, 28, 28]), 2).shape; // [1,3,14,14]
 * ```
 */
export function maxPool2d(x: TensorLike, kernelSize: number | [number, number], options: MaxPool2DOptions = {}): Tensor {
  return pool('maxPool2d', 'max', 2, x, kernelSize, options);
}

/**
 * 2-D average pooling: the mean of each kH×kW window. The divisor counts padded zeros
 * when countIncludePad (PyTorch's default), else only the input elements in the window.
 *
 * x [N,C,H,W] (or NHWC); output [N,C,oH,oW] as maxPool2d.
 *
 * ```ts
 * sd.avgPool2d(sd.randn([1, 3, 28, 28]), 2).shape; // [1,3,14,14]
 * ```
 */
export function avgPool2d(x: TensorLike, kernelSize: number | [number, number], options: AvgPool2DOptions = {}): Tensor {
  return pool('avgPool2d', 'avg', 2, x, kernelSize, options);
}

/**
 * 1-D max pooling over the last axis of x [N,C,L] (or [N,L,C] with 'NWC').
 *
 * ```ts
 * sd.maxPool1d(sd.randn([2, 4, 10]), 2).shape; // [2,4,5]
 * ```
 */
export function maxPool1d(x: TensorLike, kernelSize: number, options: MaxPool1DOptions = {}): Tensor {
  return pool('maxPool1d', 'max', 1, x, kernelSize, options);
}

/**
 * 1-D average pooling over the last axis of x [N,C,L] (or [N,L,C] with 'NWC').
 *
 * ```ts
 * sd.avgPool1d(sd.randn([2, 4, 10]), 3, { stride: 1, padding: 1 }).shape; // [2,4,10]
 * ```
 */
export function avgPool1d(x: TensorLike, kernelSize: number, options: AvgPool1DOptions = {}): Tensor {
  return pool('avgPool1d', 'avg', 1, x, kernelSize, options);
}
