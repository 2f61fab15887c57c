import type { KernelTable } from '../backend.js';
import type { Conv2DAttrs, Pool2DAttrs } from '../kernels.js';
import type { Addon } from './addon.js';
import { allF32, call1, call2, result, sizeOf, type Fallback } from './staging.js';

/**
 * Convolution and pooling kernels of the native backend (NCHW): the geometry goes into
 * the parameter buffer in the order native/src/addon.cc reads it (conv_geom, pool_geom).
 */
export function imageKernels(addon: Addon, params: Float64Array, fallback: Fallback): KernelTable {
  const P = params;

  /** Conv2D parameters: N, C, H, W, O, kH, kW, oH, oW, strides, pads, dilations, groups. */
  function convParams(x: readonly number[], w: readonly number[], oH: number, oW: number, a: Conv2DAttrs): void {
    const [N, C, H, W] = x;
    const [O, , kH, kW] = w;
    P.set([N, C, H, W, O, kH, kW, oH, oW, ...a.strides, ...a.pads, ...a.dilations, a.groups]);
  }

  const outSize = (size: number, k: number, s: number, d: number, p0: number, p1: number): number =>
    Math.floor((size + p0 + p1 - d * (k - 1) - 1) / s) + 1;

  /** Pool parameters: N, C, H, W, oH, oW, kH, kW, strides, pads, dilations, countIncludePad, adaptive. */
  function poolParams(x: readonly number[], a: Pool2DAttrs, countIncludePad: boolean): [number, number] {
    const { kernelSize: k, strides: s, pads: p, dilations: d } = a;
    const oH = outSize(x[2], k[0], s[0], d[0], p[0], p[1]);
    const oW = outSize(x[3], k[1], s[1], d[1], p[2], p[3]);
    P.set([x[0], x[1], x[2], x[3], oH, oW, ...k, ...s, ...p, ...d, countIncludePad ? 1 : 0, 0]);
    return [oH, oW];
  }

  /** Adaptive pool parameters: input [N, C, H, W] to [oH, oW] windows. */
  const adaptiveParams = (x: readonly number[], oH: number, oW: number): void => {
    P.set([x[0], x[1], x[2], x[3], oH, oW, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1]);
  };
  const adaptiveOut = (x: readonly number[], size: readonly number[]): number[] => [x[0], x[1], size[0], size[1]];

  return {
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
