import type { KernelTable } from '../backend.js';
import type { Conv2DAttrs, Pool2DAttrs } from '../kernels.js';
import type { Addon } from './addon.js';
import { allF32, call1, call2, result, sizeOf, uninitializedF32, type Fallback } from './staging.js';

/**
 * Convolution and pooling kernels of the native backend (NCHW, or NHWC with
 * `channelsLast`): the geometry goes into the parameter buffer in the order
 * native/src/addon.cc reads it (conv_geom, pool_geom). The C++ kernels write every
 * element of their outputs, which therefore skip the zero-fill of allocation.
 */
export function imageKernels(addon: Addon, params: Float64Array, fallback: Fallback): KernelTable {
  const P = params;

  /** [N, C, H, W] of an image shape in the kernel's layout. */
  const nchw = (s: readonly number[], last: boolean | undefined): number[] => (last ? [s[0], s[3], s[1], s[2]] : [...s]);
  /** An image shape in the kernel's layout from its [N, C, H, W]. */
  const layout = (n: number, c: number, h: number, w: number, last: boolean | undefined): number[] =>
    last ? [n, h, w, c] : [n, c, h, w];

  /** Conv2D parameters: N, C, H, W, O, kH, kW, oH, oW, strides, pads, dilations, groups, channelsLast. */
  function convParams(x: readonly number[], w: readonly number[], oH: number, oW: number, a: Conv2DAttrs): void {
    const [N, C, H, W] = nchw(x, a.channelsLast);
    const [O, , kH, kW] = w;
    P.set([N, C, H, W, O, kH, kW, oH, oW, ...a.strides, ...a.pads, ...a.dilations, a.groups, a.channelsLast ? 1 : 0]);
  }

  /** The output grid [oH, oW] of an output-gradient image. */
  const gridOf = (dy: readonly number[], last: boolean | undefined): [number, number] => (last ? [dy[1], dy[2]] : [dy[2], dy[3]]);

  const outSize = (size: number, k: number, s: number, d: number, p0: number, p1: number): number =>
    Math.floor((size + p0 + p1 - d * (k - 1) - 1) / s) + 1;

  /** Pool parameters: N, C, H, W, oH, oW, kH, kW, strides, pads, dilations, countIncludePad, adaptive, channelsLast. */
  function poolParams(shape: readonly number[], a: Pool2DAttrs, countIncludePad: boolean): [number, number] {
    const x = nchw(shape, a.channelsLast);
    const { kernelSize: k, strides: s, pads: p, dilations: d } = a;
    const oH = outSize(x[2], k[0], s[0], d[0], p[0], p[1]);
    const oW = outSize(x[3], k[1], s[1], d[1], p[2], p[3]);
    P.set([x[0], x[1], x[2], x[3], oH, oW, ...k, ...s, ...p, ...d, countIncludePad ? 1 : 0, 0, a.channelsLast ? 1 : 0]);
    return [oH, oW];
  }
  /** The output shape of a pool of x. */
  const pooledShape = (x: readonly number[], [oH, oW]: [number, number], a: Pool2DAttrs): number[] => {
    const [N, C] = nchw(x, a.channelsLast);
    return layout(N, C, oH, oW, a.channelsLast);
  };

  /** Adaptive pool parameters: input [N, C, H, W] to [oH, oW] windows. */
  const adaptiveParams = (x: readonly number[], oH: number, oW: number): void => {
    P.set([x[0], x[1], x[2], x[3], oH, oW, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0]);
  };
  const adaptiveOut = (x: readonly number[], size: readonly number[]): number[] => [x[0], x[1], size[0], size[1]];

  return {
    Conv2D: (inputs, attrs) => {
      const [x, w] = inputs;
      if (!allF32(inputs)) return fallback('Conv2D')(inputs, attrs);
      const { strides: s, pads: p, dilations: d, channelsLast: last } = attrs;
      const [N, , H, W] = nchw(x.shape, last);
      const oH = outSize(H, w.shape[2], s[0], d[0], p[0], p[1]);
      const oW = outSize(W, w.shape[3], s[1], d[1], p[2], p[3]);
      const shape = layout(N, w.shape[0], oH, oW, last);
      const out = uninitializedF32(sizeOf(shape));
      convParams(x.shape, w.shape, oH, oW, attrs);
      if (out.length > 0) call2(addon.conv2d, x, w, out);
      return result(shape, 'float32', out);
    },
    Conv2DBackpropInput: (inputs, attrs) => {
      const [dy, w] = inputs;
      if (!allF32(inputs)) return fallback('Conv2DBackpropInput')(inputs, attrs);
      const dx = uninitializedF32(sizeOf(attrs.inputShape));
      convParams(attrs.inputShape, w.shape, ...gridOf(dy.shape, attrs.channelsLast), attrs);
      if (dx.length > 0) call2(addon.conv2dBackpropInput, dy, w, dx);
      return result(attrs.inputShape, 'float32', dx);
    },
    Conv2DBackpropFilter: (inputs, attrs) => {
      const [x, dy] = inputs;
      if (!allF32(inputs)) return fallback('Conv2DBackpropFilter')(inputs, attrs);
      const dw = uninitializedF32(sizeOf(attrs.filterShape));
      convParams(x.shape, attrs.filterShape, ...gridOf(dy.shape, attrs.channelsLast), attrs);
      if (dw.length > 0) call2(addon.conv2dBackpropFilter, x, dy, dw);
      return result(attrs.filterShape, 'float32', dw);
    },

    MaxPool2D: (inputs, attrs) => {
      const x = inputs[0];
      if (!allF32(inputs)) return fallback('MaxPool2D')(inputs, attrs);
      const shape = pooledShape(x.shape, poolParams(x.shape, attrs, false), attrs);
      const out = uninitializedF32(sizeOf(shape));
      if (out.length > 0) call1(addon.maxPool2d, x, out);
      return result(shape, 'float32', out);
    },
    MaxPool2DGrad: (inputs, attrs) => {
      const [x, dy] = inputs;
      if (!allF32(inputs)) return fallback('MaxPool2DGrad')(inputs, attrs);
      poolParams(x.shape, attrs, false);
      const dx = uninitializedF32(x.values.length);
      if (dx.length > 0) call2(addon.maxPool2dGrad, x, dy, dx);
      return result(x.shape, 'float32', dx);
    },
    AvgPool2D: (inputs, attrs) => {
      const x = inputs[0];
      if (!allF32(inputs)) return fallback('AvgPool2D')(inputs, attrs);
      const shape = pooledShape(x.shape, poolParams(x.shape, attrs, attrs.countIncludePad), attrs);
      const out = uninitializedF32(sizeOf(shape));
      if (out.length > 0) call1(addon.avgPool2d, x, out);
      return result(shape, 'float32', out);
    },
    AvgPool2DGrad: (inputs, attrs) => {
      const dy = inputs[0];
      if (!allF32(inputs)) return fallback('AvgPool2DGrad')(inputs, attrs);
      poolParams(attrs.inputShape, attrs, attrs.countIncludePad);
      const dx = uninitializedF32(sizeOf(attrs.inputShape));
      if (dx.length > 0) call1(addon.avgPool2dGrad, dy, dx);
      return result(attrs.inputShape, 'float32', dx);
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
  };
}
