import type { KernelTable, TensorData } from '../backend.js';
import type { Pool2DAttrs } from '../kernels.js';
import { output } from './loops.js';
import { acceptChannelsLast } from './layout.js';

/**
 * Pooling kernels of the js backend. Sliding and adaptive pools differ only in where their
 * windows lie, so both describe their windows per axis (`Windows`) and share four loops:
 * max, max gradient, average, average gradient.
 */

type FloatArray = Float32Array | Float64Array;

/** The windows along one axis: output i reads inputs start[i] + j·step for j < count[i]. */
interface Windows {
  start: Int32Array;
  count: Int32Array;
  step: number;
  /** Window length counting padding (the average's divisor with countIncludePad). */
  padded: Int32Array;
}

/** Windows of a sliding pool, clipped to the input: padding is never read. */
function slidingWindows(outSize: number, inSize: number, k: number, stride: number, dilation: number, padBefore: number, padAfter: number): Windows {
  const win: Windows = { start: new Int32Array(outSize), count: new Int32Array(outSize), step: dilation, padded: new Int32Array(outSize) };
  for (let o = 0; o < outSize; o++) {
    const first = o * stride - padBefore;
    const lo = first >= 0 ? 0 : Math.ceil(-first / dilation);
    const hi = Math.min(k, Math.floor((inSize - 1 - first) / dilation) + 1);
    win.start[o] = first + lo * dilation;
    win.count[o] = Math.max(0, hi - lo);
    // taps inside the padded extent [-padBefore, inSize + padAfter), as PyTorch counts them
    win.padded[o] = Math.min(k, Math.ceil((inSize + padAfter - first) / dilation));
  }
  return win;
}

/** PyTorch's adaptive windows: [floor(i·in/out), ceil((i+1)·in/out)). */
function adaptiveWindows(outSize: number, inSize: number): Windows {
  const win: Windows = { start: new Int32Array(outSize), count: new Int32Array(outSize), step: 1, padded: new Int32Array(outSize) };
  for (let o = 0; o < outSize; o++) {
    const lo = Math.floor((o * inSize) / outSize);
    const hi = Math.ceil(((o + 1) * inSize) / outSize);
    win.start[o] = lo;
    win.count[o] = hi - lo;
    win.padded[o] = hi - lo;
  }
  return win;
}

/** The windows of a pool over planes (N·C of them) of H×W inputs. */
interface Grid {
  planes: number;
  H: number;
  W: number;
  rows: Windows;
  cols: Windows;
}

function slidingGrid(shape: readonly number[], attrs: Pool2DAttrs): Grid {
  const [N, C, H, W] = shape;
  const { kernelSize: k, strides: s, pads: p, dilations: d } = attrs;
  const oH = Math.floor((H + p[0] + p[1] - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
  const oW = Math.floor((W + p[2] + p[3] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
  return {
    planes: N * C,
    H,
    W,
    rows: slidingWindows(oH, H, k[0], s[0], d[0], p[0], p[1]),
    cols: slidingWindows(oW, W, k[1], s[1], d[1], p[2], p[3]),
  };
}

function adaptiveGrid(shape: readonly number[], outputSize: readonly number[]): Grid {
  const [N, C, H, W] = shape;
  return { planes: N * C, H, W, rows: adaptiveWindows(outputSize[0], H), cols: adaptiveWindows(outputSize[1], W) };
}

function outShape(grid: Grid, inShape: readonly number[]): number[] {
  return [inShape[0], inShape[1], grid.rows.start.length, grid.cols.start.length];
}

/**
 * Calls `visit(plane, outIndex, oh, ow)` for every output element, in order. `plane` is
 * the offset of the input plane the window reads.
 */
function forEachWindow(grid: Grid, visit: (plane: number, outIndex: number, oh: number, ow: number) => void): void {
  const oH = grid.rows.start.length;
  const oW = grid.cols.start.length;
  let outIndex = 0;
  for (let p = 0; p < grid.planes; p++) {
    const plane = p * grid.H * grid.W;
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) visit(plane, outIndex++, oh, ow);
    }
  }
}

/** Flat index of the first maximum of one window (NaN counts as the maximum, as in PyTorch); -1 when empty. */
function windowArgmax(x: FloatArray, grid: Grid, plane: number, oh: number, ow: number): number {
  const { rows, cols, W } = grid;
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0, ih = rows.start[oh]; i < rows.count[oh]; i++, ih += rows.step) {
    const rowStart = plane + ih * W;
    for (let j = 0, iw = cols.start[ow]; j < cols.count[ow]; j++, iw += cols.step) {
      const v = x[rowStart + iw];
      if (best < 0 || v > bestValue || Number.isNaN(v)) {
        best = rowStart + iw;
        bestValue = v;
        if (Number.isNaN(v)) return best;
      }
    }
  }
  return best;
}

function maxPool(x: TensorData, grid: Grid): TensorData {
  const out = output(outShape(grid, x.shape), x.dtype);
  const xv = x.values as FloatArray;
  const ov = out.values;
  forEachWindow(grid, (plane, i, oh, ow) => {
    const at = windowArgmax(xv, grid, plane, oh, ow);
    ov[i] = at < 0 ? -Infinity : xv[at];
  });
  return out;
}

function maxPoolGrad(x: TensorData, dy: TensorData, grid: Grid): TensorData {
  const dx = output(x.shape, x.dtype);
  const xv = x.values as FloatArray;
  const dxv = dx.values;
  const dyv = dy.values;
  forEachWindow(grid, (plane, i, oh, ow) => {
    const at = windowArgmax(xv, grid, plane, oh, ow);
    if (at >= 0) dxv[at] += dyv[i];
  });
  return dx;
}

function divisor(grid: Grid, oh: number, ow: number, countIncludePad: boolean): number {
  const { rows, cols } = grid;
  return countIncludePad ? rows.padded[oh] * cols.padded[ow] : rows.count[oh] * cols.count[ow];
}

function avgPool(x: TensorData, grid: Grid, countIncludePad: boolean): TensorData {
  const out = output(outShape(grid, x.shape), x.dtype);
  const xv = x.values;
  const ov = out.values;
  const { rows, cols, W } = grid;
  forEachWindow(grid, (plane, i, oh, ow) => {
    let acc = 0;
    for (let a = 0, ih = rows.start[oh]; a < rows.count[oh]; a++, ih += rows.step) {
      const rowStart = plane + ih * W;
      for (let b = 0, iw = cols.start[ow]; b < cols.count[ow]; b++, iw += cols.step) acc += xv[rowStart + iw];
    }
    ov[i] = acc / divisor(grid, oh, ow, countIncludePad);
  });
  return out;
}

function avgPoolGrad(dy: TensorData, grid: Grid, inputShape: readonly number[], countIncludePad: boolean): TensorData {
  const dx = output(inputShape, dy.dtype);
  const dxv = dx.values;
  const dyv = dy.values;
  const { rows, cols, W } = grid;
  forEachWindow(grid, (plane, i, oh, ow) => {
    const share = dyv[i] / divisor(grid, oh, ow, countIncludePad);
    for (let a = 0, ih = rows.start[oh]; a < rows.count[oh]; a++, ih += rows.step) {
      const rowStart = plane + ih * W;
      for (let b = 0, iw = cols.start[ow]; b < cols.count[ow]; b++, iw += cols.step) dxv[rowStart + iw] += share;
    }
  });
  return dx;
}

type AvgAttrs = Pool2DAttrs & { countIncludePad: boolean };

export const poolKernels: KernelTable = {
  MaxPool2D: acceptChannelsLast(([x], attrs: Pool2DAttrs) => maxPool(x, slidingGrid(x.shape, attrs)), [0], true),
  MaxPool2DGrad: acceptChannelsLast(([x, dy], attrs: Pool2DAttrs) => maxPoolGrad(x, dy, slidingGrid(x.shape, attrs)), [0, 1], true),
  AvgPool2D: acceptChannelsLast(
    ([x], attrs: AvgAttrs) => avgPool(x, slidingGrid(x.shape, attrs), attrs.countIncludePad),
    [0],
    true,
  ),
  AvgPool2DGrad: acceptChannelsLast(
    ([dy], attrs: AvgAttrs & { inputShape: number[] }) =>
      avgPoolGrad(dy, slidingGrid(attrs.inputShape, attrs), attrs.inputShape, attrs.countIncludePad),
    [0],
    true,
  ),
  AdaptiveAvgPool2D: ([x], { outputSize }) => avgPool(x, adaptiveGrid(x.shape, outputSize), false),
  AdaptiveAvgPool2DGrad: ([dy], { inputShape }) =>
    avgPoolGrad(dy, adaptiveGrid(inputShape, dy.shape.slice(2)), inputShape, false),
  AdaptiveMaxPool2D: ([x], { outputSize }) => maxPool(x, adaptiveGrid(x.shape, outputSize)),
  AdaptiveMaxPool2DGrad: ([x, dy], { outputSize }) => maxPoolGrad(x, dy, adaptiveGrid(x.shape, outputSize)),
};
