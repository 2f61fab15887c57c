import type { KernelTable, TensorData } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { sizeOf, stridesOf } from '../../tensor/shape.js';
import { output } from './loops.js';

/**
 * Shape kernels of the js backend. Transpose, Slice, Flip, Tile and BroadcastTo are all
 * one strided copy: the output is contiguous, and each output axis walks the input with
 * some stride (permuted, stepped, negated or zero) from some start offset.
 */

/** Runs shorter than this are copied in a loop: TypedArray.set has a fixed cost per call. */
const SET_THRESHOLD = 32;

/** Copies `n` contiguous elements from `src[from]` to `dst[to]`. */
export function copyRun(dst: TypedArray, to: number, src: TypedArray, from: number, n: number): void {
  if (n >= SET_THRESHOLD) {
    dst.set(src.subarray(from, from + n), to);
  } else {
    for (let i = 0; i < n; i++) dst[to + i] = src[from + i];
  }
}

/**
 * Fills contiguous `dst` (of `shape`) from the strided view of `src` that starts at
 * `offset` and moves by `strides[d]` along output axis d.
 *
 * Axes of size 1 are dropped and neighbouring axes that walk the input as one run are
 * merged first, so a transpose that keeps the trailing axes, or a slice of whole rows,
 * becomes a few long contiguous copies. When the last output axis is not contiguous in
 * the input but another one is (a transpose), those two axes are copied in tiles, so that
 * both reads and writes stay in cache.
 */
export function stridedCopy(
  src: TypedArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  dst: TypedArray,
): void {
  if (sizeOf(shape) === 0) return;
  const dims: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && steps[k] === strides[i] * shape[i]) {
      dims[k] *= shape[i];
      steps[k] = strides[i];
    } else {
      dims.push(shape[i]);
      steps.push(strides[i]);
    }
  }
  const rank = dims.length;
  if (rank === 0) {
    dst[0] = src[offset];
    return;
  }
  const last = rank - 1;
  const dstSteps = stridesOf(dims);
  // the output axis that reads the input contiguously, to tile against the last axis
  const tileAxis = steps[last] === 1 || steps[last] === 0 ? -1 : steps.indexOf(1);
  const outer = dims.map((_, d) => d).filter((d) => d !== last && d !== tileAxis);
  const outerCount = sizeOf(outer.map((d) => dims[d]));
  const counter = new Array<number>(outer.length).fill(0);
  let from = offset;
  let to = 0;
  for (let o = 0; o < outerCount; o++) {
    if (tileAxis >= 0) copyTile(dst, to, dstSteps[tileAxis], src, from, dims[tileAxis], dims[last], steps[last]);
    else copyStridedRun(dst, to, src, from, dims[last], steps[last]);
    for (let k = outer.length - 1; k >= 0; k--) {
      const d = outer[k];
      from += steps[d];
      to += dstSteps[d];
      if (++counter[k] < dims[d]) break;
      from -= steps[d] * dims[d];
      to -= dstSteps[d] * dims[d];
      counter[k] = 0;
    }
  }
}

/** dst[to + j] = src[from + j·stride] for j < n. */
function copyStridedRun(dst: TypedArray, to: number, src: TypedArray, from: number, n: number, stride: number): void {
  if (stride === 1) copyRun(dst, to, src, from, n);
  else if (stride === 0) dst.fill(src[from], to, to + n);
  else for (let j = 0; j < n; j++) dst[to + j] = src[from + j * stride];
}

const TILE = 32;

/**
 * dst[to + i·rowStride + j] = src[from + i + j·colStride] for i < rows, j < cols: a 2-D
 * transpose, in cache-sized tiles.
 */
function copyTile(
  dst: TypedArray,
  to: number,
  rowStride: number,
  src: TypedArray,
  from: number,
  rows: number,
  cols: number,
  colStride: number,
): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const row = to + i * rowStride;
        const col = from + i;
        for (let j = j0; j < j1; j++) dst[row + j] = src[col + j * colStride];
      }
    }
  }
}

/** Runs a strided copy of `x` into a new tensor of `shape`. */
function strided(x: TensorData, offset: number, strides: readonly number[], shape: readonly number[]): TensorData {
  const out = output(shape, x.dtype);
  stridedCopy(x.values, offset, strides, shape, out.values);
  return out;
}

/** Maps each output index along one padded axis to its input index, or -1 for the fill value. */
function padIndexMap(n: number, before: number, after: number, reflect: boolean): Int32Array {
  const map = new Int32Array(before + n + after);
  for (let o = 0; o < map.length; o++) {
    let i = o - before;
    if (reflect) {
      // mirror about the edges without repeating them: period 2(n-1)
      const period = 2 * (n - 1);
      if (period === 0) i = 0;
      else {
        i = ((i % period) + period) % period;
        if (i >= n) i = period - i;
      }
    } else if (i < 0 || i >= n) {
      i = -1;
    }
    map[o] = i;
  }
  return map;
}

export const shapeKernels: KernelTable = {
  BroadcastTo: (inputs, { shape }) => {
    const x = inputs[0];
    const own = stridesOf(x.shape);
    const lead = shape.length - x.shape.length;
    const strides = shape.map((d, i) => (i < lead || x.shape[i - lead] !== d ? 0 : own[i - lead]));
    return strided(x, 0, strides, shape);
  },

  Transpose: (inputs, { perm }) => {
    const x = inputs[0];
    const own = stridesOf(x.shape);
    return strided(x, 0, perm.map((p) => own[p]), perm.map((p) => x.shape[p]));
  },

  Slice: (inputs, { begin, step, size }) => {
    const x = inputs[0];
    const own = stridesOf(x.shape);
    let offset = 0;
    // an empty slice may carry any begin; do not let it index outside the input
    if (sizeOf(size) > 0) for (let d = 0; d < own.length; d++) offset += begin[d] * own[d];
    return strided(x, offset, own.map((s, d) => s * step[d]), size);
  },

  Flip: (inputs, { axes }) => {
    const x = inputs[0];
    const strides = stridesOf(x.shape);
    let offset = 0;
    if (sizeOf(x.shape) > 0) {
      for (const a of axes) {
        offset += (x.shape[a] - 1) * strides[a];
        strides[a] = -strides[a];
      }
    }
    return strided(x, offset, strides, x.shape);
  },

  Tile: (inputs, { reps }) => {
    // view the output [r0*s0, r1*s1, ...] as [r0, s0, r1, s1, ...] with zero strides on r
    const x = inputs[0];
    const own = stridesOf(x.shape);
    const shape = x.shape.flatMap((s, d) => [reps[d], s]);
    const strides = own.flatMap((st) => [0, st]);
    const out = strided(x, 0, strides, shape);
    return output(x.shape.map((s, d) => s * reps[d]), x.dtype, out.values);
  },

  Concat: (inputs, { axis }) => {
    const first = inputs[0];
    const shape = [...first.shape];
    shape[axis] = inputs.reduce((n, t) => n + t.shape[axis], 0);
    const out = output(shape, first.dtype);
    const outer = sizeOf(shape.slice(0, axis));
    const blocks = inputs.map((t) => sizeOf(t.shape.slice(axis)));
    let to = 0;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < inputs.length; k++) {
        copyRun(out.values, to, inputs[k].values, o * blocks[k], blocks[k]);
        to += blocks[k];
      }
    }
    return out;
  },

  Pad: (inputs, { paddings, mode, value }) => {
    const x = inputs[0];
    const rank = x.shape.length;
    const shape = x.shape.map((n, d) => paddings[d][0] + n + paddings[d][1]);
    const out = output(shape, x.dtype);
    const size = sizeOf(shape);
    if (size === 0) return out;
    if (rank === 0) {
      out.values[0] = x.values[0];
      return out;
    }
    const maps = x.shape.map((n, d) => padIndexMap(n, paddings[d][0], paddings[d][1], mode === 'reflect'));
    const strides = stridesOf(x.shape);
    const inner = shape[rank - 1];
    const last = maps[rank - 1];
    const counter = new Array<number>(rank - 1).fill(0);
    const xv = x.values;
    const ov = out.values;
    for (let to = 0; to < size; to += inner) {
      let base = 0;
      let fill = false;
      for (let d = 0; d < rank - 1; d++) {
        const i = maps[d][counter[d]];
        if (i < 0) fill = true;
        base += i * strides[d];
      }
      if (fill) ov.fill(value, to, to + inner);
      else for (let j = 0; j < inner; j++) ov[to + j] = last[j] < 0 ? value : xv[base + last[j]];
      for (let d = rank - 2; d >= 0; d--) {
        if (++counter[d] < shape[d]) break;
        counter[d] = 0;
      }
    }
    return out;
  },
};
