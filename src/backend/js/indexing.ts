import type { KernelTable, TensorData } from '../backend.js';
import { sizeOf, stridesOf } from '../../tensor/shape.js';
import { output } from './loops.js';
import { copyRun } from './shape.js';

/**
 * Indexing kernels of the js backend. Index values were range-checked at op entry, so the
 * kernels trust them.
 *
 * Two families: Gather/IndexAdd select whole slices along an axis with a 1-D index list;
 * GatherAlong/ScatterAdd pick one element per index, with indices of the input's rank.
 */

/** The input split around `axis`: [outer, size along axis, inner]. */
function aroundAxis(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/**
 * Calls `visit(i, xOffset, srcOffset)` for each element i of an index tensor of `shape`,
 * where the offsets are that element's position in x (with the `axis` coordinate left
 * out, for the caller to add) and in src.
 */
function forEachIndex(
  shape: readonly number[],
  xShape: readonly number[],
  srcShape: readonly number[],
  axis: number,
  visit: (i: number, xOffset: number, srcOffset: number) => void,
): void {
  const size = sizeOf(shape);
  const rank = shape.length;
  const xStrides = stridesOf(xShape);
  xStrides[axis] = 0;
  const srcStrides = stridesOf(srcShape);
  const counter = new Array<number>(rank).fill(0);
  let xOffset = 0;
  let srcOffset = 0;
  for (let i = 0; i < size; i++) {
    visit(i, xOffset, srcOffset);
    for (let d = rank - 1; d >= 0; d--) {
      xOffset += xStrides[d];
      srcOffset += srcStrides[d];
      if (++counter[d] < shape[d]) break;
      xOffset -= xStrides[d] * shape[d];
      srcOffset -= srcStrides[d] * shape[d];
      counter[d] = 0;
    }
  }
}

function copyOf(x: TensorData): TensorData {
  return output(x.shape, x.dtype, x.values.slice());
}

export const indexingKernels: KernelTable = {
  Gather: (inputs, { axis }) => {
    const [x, indices] = inputs;
    const [outer, n, inner] = aroundAxis(x.shape, axis);
    const k = indices.values.length;
    const shape = [...x.shape];
    shape[axis] = k;
    const out = output(shape, x.dtype);
    const idx = indices.values;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < k; j++) copyRun(out.values, (o * k + j) * inner, x.values, (o * n + idx[j]) * inner, inner);
    }
    return out;
  },

  IndexAdd: (inputs, { axis }) => {
    const [x, indices, src] = inputs;
    const [outer, n, inner] = aroundAxis(x.shape, axis);
    const k = indices.values.length;
    const out = copyOf(x);
    const ov = out.values;
    const sv = src.values;
    const idx = indices.values;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < k; j++) {
        const to = (o * n + idx[j]) * inner;
        const from = (o * k + j) * inner;
        for (let t = 0; t < inner; t++) ov[to + t] += sv[from + t];
      }
    }
    return out;
  },

  GatherAlong: (inputs, { axis }) => {
    const [x, indices] = inputs;
    const out = output(indices.shape, x.dtype);
    const axisStride = stridesOf(x.shape)[axis];
    const ov = out.values;
    const xv = x.values;
    const idx = indices.values;
    forEachIndex(indices.shape, x.shape, indices.shape, axis, (i, xOffset) => {
      ov[i] = xv[xOffset + idx[i] * axisStride];
    });
    return out;
  },

  ScatterAdd: (inputs, { axis }) => {
    const [x, indices, src] = inputs;
    const out = copyOf(x);
    const axisStride = stridesOf(x.shape)[axis];
    const ov = out.values;
    const sv = src.values;
    const idx = indices.values;
    forEachIndex(indices.shape, x.shape, src.shape, axis, (i, xOffset, srcOffset) => {
      ov[xOffset + idx[i] * axisStride] += sv[srcOffset];
    });
    return out;
  },

  OneHot: (inputs, { depth, onValue, offValue, dtype }) => {
    const indices = inputs[0];
    const out = output([...indices.shape, depth], dtype);
    out.values.fill(offValue);
    const idx = indices.values;
    for (let i = 0; i < idx.length; i++) out.values[i * depth + idx[i]] = onValue;
    return out;
  },
};
