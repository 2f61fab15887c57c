import type { KernelTable, TensorData } from '../backend.js';
import { output, reduce } from './loops.js';
import { sizeOf } from '../../tensor/shape.js';

/**
 * Visits each 1-D line of `x` along `axis`: `fn(base, stride, length)` where element k of
 * the line is at `base + k * stride`.
 */
function forEachLine(shape: readonly number[], axis: number, fn: (base: number, stride: number, n: number) => void): void {
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) fn(o * n * inner + i, inner, n);
  }
}

function argReduce(better: (candidate: number, best: number) => boolean) {
  return (inputs: TensorData[], { axis, keepDims }: { axis: number; keepDims: boolean }): TensorData => {
    const x = inputs[0];
    const outShape = keepDims ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
    const out = output(outShape, 'int32');
    const xv = x.values;
    let k = 0;
    // Lines are visited in output order: outer index, then inner index.
    forEachLine(x.shape, axis, (base, stride, n) => {
      let best = 0;
      let bestValue = xv[base];
      for (let j = 1; j < n; j++) {
        const v = xv[base + j * stride];
        // NaN wins, as in PyTorch: a NaN anywhere makes argmax point at it.
        if (!Number.isNaN(bestValue) && (Number.isNaN(v) || better(v, bestValue))) {
          best = j;
          bestValue = v;
        }
      }
      out.values[k++] = best;
    });
    return out;
  };
}

/** Reduction kernels of the js backend (accumulating in float64). */
export const reduceKernels: KernelTable = {
  Sum: reduce(0, (a, x) => a + x),
  Prod: reduce(1, (a, x) => a * x),
  Max: reduce(-Infinity, (a, x) => (x > a || Number.isNaN(x) ? x : a)),
  Min: reduce(Infinity, (a, x) => (x < a || Number.isNaN(x) ? x : a)),
  // `!== 0` rather than truthiness, so that NaN counts as true (as x != 0 does).
  All: reduce(1, (a, x) => (a !== 0 && x !== 0 ? 1 : 0), 'bool'),
  Any: reduce(0, (a, x) => (a !== 0 || x !== 0 ? 1 : 0), 'bool'),
  ArgMax: argReduce((v, best) => v > best),
  ArgMin: argReduce((v, best) => v < best),
  Cumsum: (inputs, { axis, exclusive, reverse }) => {
    const x = inputs[0];
    const out = output(x.shape, x.dtype);
    const xv = x.values;
    const ov = out.values;
    forEachLine(x.shape, axis, (base, stride, n) => {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        const idx = base + (reverse ? n - 1 - j : j) * stride;
        if (exclusive) {
          ov[idx] = acc;
          acc += xv[idx];
        } else {
          acc += xv[idx];
          ov[idx] = acc;
        }
      }
    });
    return out;
  },
};
