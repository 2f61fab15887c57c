import type { KernelTable, TensorData } from '../backend.js';
import type { Conv2DAttrs } from '../kernels.js';
import { gemm } from './gemm.js';
import { acceptChannelsLast } from './layout.js';
import { output } from './loops.js';

/**
 * Convolution kernels of the js backend, as GEMMs over an unrolled input (im2col):
 *
 * - forward:         out[n,g] (Og×P) = W[g] (Og×K) · col(x[n,g]) (K×P)
 * - backprop input:  dx[n,g] = col2im(W[g]ᵀ · dy[n,g])
 * - backprop filter: dW[g] += dy[n,g] · col(x[n,g])ᵀ
 *
 * where K = C/groups·kH·kW (one row of col per filter tap) and P = oH·oW (one column per
 * output pixel). A 1×1 convolution with stride 1 and no padding needs no unrolling: the
 * input plane already is its col matrix.
 */

type FloatArray = Float32Array | Float64Array;

/** Sizes of one convolution, shared by the three kernels. */
interface ConvGeometry {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  kH: number;
  kW: number;
  oH: number;
  oW: number;
  groups: number;
  /** Input and output channels per group. */
  Cg: number;
  Og: number;
  /** Rows of col (K) and its columns (P). */
  K: number;
  P: number;
  attrs: Conv2DAttrs;
  /** True when col(x) is x itself (1×1, stride 1, no padding). */
  direct: boolean;
}

function geometry(
  xShape: readonly number[],
  wShape: readonly number[],
  outHW: readonly number[] | undefined,
  attrs: Conv2DAttrs,
): ConvGeometry {
  const [N, C, H, W] = xShape;
  const [O, Cg, kH, kW] = wShape;
  const { strides, pads, dilations, groups } = attrs;
  const oH = outHW ? outHW[0] : Math.floor((H + pads[0] + pads[1] - dilations[0] * (kH - 1) - 1) / strides[0]) + 1;
  const oW = outHW ? outHW[1] : Math.floor((W + pads[2] + pads[3] - dilations[1] * (kW - 1) - 1) / strides[1]) + 1;
  const direct =
    kH === 1 && kW === 1 && strides[0] === 1 && strides[1] === 1 && pads.every((p) => p === 0) && oH === H && oW === W;
  return { N, C, H, W, O, kH, kW, oH, oW, groups, Cg, Og: O / groups, K: Cg * kH * kW, P: oH * oW, attrs, direct };
}

/**
 * The outputs o in [lo, hi) whose input coordinate o·stride + offset lies in [0, size):
 * the part of a row of col that reads real input rather than padding.
 */
function validRange(offset: number, stride: number, size: number, count: number): [number, number] {
  const lo = Math.min(count, offset >= 0 ? 0 : Math.ceil(-offset / stride));
  const hi = Math.min(count, Math.max(0, Math.floor((size - 1 - offset) / stride) + 1));
  return [lo, Math.max(lo, hi)];
}

/**
 * Moves data between one sample-group of x and its col matrix (K×P): row (c, kh, kw) of
 * col holds, for every output pixel (oh, ow), the input x[c, oh·sH + kh·dH − top,
 * ow·sW + kw·dW − left], or 0 where that falls in the padding. With `toCol` it fills col
 * (im2col); otherwise it adds col back onto x (col2im, the transpose). One walk serves
 * both so the two can never disagree.
 */
function transferPatches(x: FloatArray, xOffset: number, col: FloatArray, g: ConvGeometry, toCol: boolean): void {
  const { H, W, kH, kW, oH, oW, Cg, P } = g;
  const { strides, pads, dilations } = g.attrs;
  const sW = strides[1];
  // the output columns that read real input, per kw (they do not depend on c, kh or oh)
  const colRanges = new Int32Array(2 * kW);
  for (let kw = 0; kw < kW; kw++) {
    const [lo, hi] = validRange(kw * dilations[1] - pads[2], sW, W, oW);
    colRanges[2 * kw] = lo;
    colRanges[2 * kw + 1] = hi;
  }
  let row = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = xOffset + c * H * W;
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++, row++) {
        const lo = colRanges[2 * kw];
        const hi = colRanges[2 * kw + 1];
        const shiftW = kw * dilations[1] - pads[2];
        for (let oh = 0; oh < oH; oh++) {
          const ih = oh * strides[0] - pads[0] + kh * dilations[0];
          const colStart = row * P + oh * oW;
          const inside = ih >= 0 && ih < H;
          const xStart = plane + ih * W + shiftW;
          if (toCol) {
            if (!inside) {
              col.fill(0, colStart, colStart + oW);
              continue;
            }
            for (let ow = 0; ow < lo; ow++) col[colStart + ow] = 0;
            for (let ow = lo; ow < hi; ow++) col[colStart + ow] = x[xStart + ow * sW];
            for (let ow = hi; ow < oW; ow++) col[colStart + ow] = 0;
          } else if (inside) {
            for (let ow = lo; ow < hi; ow++) x[xStart + ow * sW] += col[colStart + ow];
          }
        }
      }
    }
  }
}

function im2col(x: FloatArray, xOffset: number, col: FloatArray, g: ConvGeometry): void {
  transferPatches(x, xOffset, col, g, true);
}

/** Adds every entry of col back onto the input element it was read from. */
function col2im(col: FloatArray, dx: FloatArray, xOffset: number, g: ConvGeometry): void {
  transferPatches(dx, xOffset, col, g, false);
}

function floatOutput(shape: readonly number[], like: TensorData): [TensorData, FloatArray] {
  const out = output(shape, like.dtype);
  return [out, out.values as FloatArray];
}

/** Scratch col matrix, or null when x is its own col matrix. */
function colBuffer(g: ConvGeometry, like: TensorData): FloatArray | null {
  if (g.direct) return null;
  return like.dtype === 'float64' ? new Float64Array(g.K * g.P) : new Float32Array(g.K * g.P);
}

function conv2d(inputs: TensorData[], attrs: Conv2DAttrs): TensorData {
  const [x, w] = inputs;
  const g = geometry(x.shape, w.shape, undefined, attrs);
  const [out, ov] = floatOutput([g.N, g.O, g.oH, g.oW], x);
  const xv = x.values as FloatArray;
  const col = colBuffer(g, x);
  for (let n = 0; n < g.N; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const xOffset = (n * g.C + grp * g.Cg) * g.H * g.W;
      if (col) im2col(xv, xOffset, col, g);
      const outOffset = (n * g.O + grp * g.Og) * g.P;
      gemm(false, false, g.Og, g.P, g.K, w.values as FloatArray, grp * g.Og * g.K, col ?? xv, col ? 0 : xOffset, ov, outOffset);
    }
  }
  return out;
}

function conv2dBackpropInput(inputs: TensorData[], attrs: Conv2DAttrs & { inputShape: number[] }): TensorData {
  const [dy, w] = inputs;
  const g = geometry(attrs.inputShape, w.shape, dy.shape.slice(2), attrs);
  const [dx, dxv] = floatOutput(attrs.inputShape, dy);
  const col = colBuffer(g, dy);
  for (let n = 0; n < g.N; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const xOffset = (n * g.C + grp * g.Cg) * g.H * g.W;
      const dyOffset = (n * g.O + grp * g.Og) * g.P;
      const wv = w.values as FloatArray;
      // W[g]ᵀ · dy[n,g] is the gradient of col; a direct col is dx itself
      gemm(true, false, g.K, g.P, g.Og, wv, grp * g.Og * g.K, dy.values as FloatArray, dyOffset, col ?? dxv, col ? 0 : xOffset);
      if (col) col2im(col, dxv, xOffset, g);
    }
  }
  return dx;
}

function conv2dBackpropFilter(inputs: TensorData[], attrs: Conv2DAttrs & { filterShape: number[] }): TensorData {
  const [x, dy] = inputs;
  const g = geometry(x.shape, attrs.filterShape, dy.shape.slice(2), attrs);
  const [dw, dwv] = floatOutput(attrs.filterShape, x);
  const xv = x.values as FloatArray;
  const col = colBuffer(g, x);
  for (let n = 0; n < g.N; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const xOffset = (n * g.C + grp * g.Cg) * g.H * g.W;
      if (col) im2col(xv, xOffset, col, g);
      const dyOffset = (n * g.O + grp * g.Og) * g.P;
      gemm(false, true, g.Og, g.K, g.P, dy.values as FloatArray, dyOffset, col ?? xv, col ? 0 : xOffset, dwv, grp * g.Og * g.K, true);
    }
  }
  return dw;
}

export const convKernels: KernelTable = {
  Conv2D: acceptChannelsLast(conv2d, [0], true),
  Conv2DBackpropInput: acceptChannelsLast(conv2dBackpropInput, [0], true),
  Conv2DBackpropFilter: acceptChannelsLast(conv2dBackpropFilter, [0, 1], false),
};
