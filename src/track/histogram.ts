/** Histograms of weights and gradients, in the form the store keeps and the dashboard draws. */
import { ValueError } from '../errors.js';

/**
 * A histogram: `counts[i]` values fell in [edges[i], edges[i+1]) (the last bin includes its
 * right edge). `count` is the number of finite values; NaN and ±Infinity are left out.
 */
export interface Histogram {
  min: number;
  max: number;
  count: number;
  edges: number[];
  counts: number[];
}

/**
 * Bins the finite values of `values` into `bins` equal-width bins between their min and
 * max. All-equal values get one bin of width 1 centred on the value; no finite value
 * gives an empty histogram (count 0, no bins).
 *
 * ```ts
 * histogram([0, 1, 1, 2], 2); // { min: 0, max: 2, count: 4, edges: [0, 1, 2], counts: [1, 3] }
 * ```
 */
export function histogram(values: ArrayLike<number | bigint | boolean>, bins = 30): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new ValueError(`histogram: bins must be a positive integer, got ${bins}`);
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
  }
  if (count === 0) return { min: 0, max: 0, count: 0, edges: [], counts: [] };
  if (min === max) return { min, max, count, edges: [min - 0.5, max + 0.5], counts: [count] };
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  }
  return { min, max, count, edges, counts };
}
