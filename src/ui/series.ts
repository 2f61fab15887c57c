/**
 * Metric series for the dashboard's charts: read from the store as compact arrays and,
 * when long, thinned to about as many points as a chart has pixels.
 *
 * Thinning keeps, in each of `maxPoints / 2` equal x intervals, the point with the lowest
 * and the point with the highest value (in x order), plus the first and last points: a
 * loss spike or a NaN stays visible, and a series of at most `maxPoints` points is
 * returned exactly as logged.
 */
import type { DB } from '../track/db.js';

/** How a chart's x axis is measured: by step, or by the wall-clock time of each point. */
export type XAxis = 'step' | 'time';

/** A run's series of one metric; `y` is null where the logged value was NaN. */
export interface Series {
  run: string;
  key: string;
  /** Points stored for this metric of this run. */
  count: number;
  /** True when `x`/`y` are a thinned version of the `count` stored points. */
  downsampled: boolean;
  /** Steps, or timestamps in ms since the epoch. */
  x: number[];
  y: (number | null)[];
}

/** Default number of points per series sent to a chart (a little more than its width in pixels). */
export const DEFAULT_MAX_POINTS = 1000;

/**
 * Thins a series sorted by x to at most about `maxPoints` points (min and max of each x
 * bucket, first and last point); returns it unchanged when it is short enough.
 *
 * ```ts
 * downsample([0, 1, 2, 3], [5, 1, 9, 2], 100); // unchanged
 * ```
 */
export function downsample(x: readonly number[], y: readonly (number | null)[], maxPoints: number): { x: number[]; y: (number | null)[] } {
  const n = x.length;
  if (n <= maxPoints || maxPoints < 4) return { x: [...x], y: [...y] };
  const buckets = Math.floor((maxPoints - 2) / 2);
  const x0 = x[0];
  const span = x[n - 1] - x0;
  const keep: number[] = [0];
  let i = 1;
  for (let b = 1; b <= buckets && i < n - 1; b++) {
    // x buckets of equal width; equal counts when every x is the same
    const end = b === buckets ? n - 1 : span > 0 ? bucketEnd(x, i, x0 + (span * b) / buckets) : 1 + Math.floor(((n - 2) * b) / buckets);
    pushExtremes(y, i, end, keep);
    i = Math.max(i, end);
  }
  keep.push(n - 1);
  return { x: keep.map((k) => x[k]), y: keep.map((k) => y[k]) };
}

/** The first index ≥ `from` whose x is ≥ `limit` (x sorted), at most x.length - 1. */
function bucketEnd(x: readonly number[], from: number, limit: number): number {
  let lo = from;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Pushes the indices of the min, max and first NaN of y[from, to), in index order. */
function pushExtremes(y: readonly (number | null)[], from: number, to: number, keep: number[]): void {
  if (from >= to) return;
  let lo = -1;
  let hi = -1;
  let gap = -1;
  for (let k = from; k < to; k++) {
    const v = y[k];
    if (v === null) {
      if (gap < 0) gap = k;
      continue;
    }
    if (lo < 0 || v < (y[lo] as number)) lo = k;
    if (hi < 0 || v > (y[hi] as number)) hi = k;
  }
  const picked = [...new Set([lo, hi, gap].filter((k) => k >= 0))].sort((a, b) => a - b);
  keep.push(...picked);
}

interface CacheEntry {
  count: number;
  series: Series;
}

/**
 * Reads series from a store's database, remembering thinned series until the metric gets
 * new points (a finished run's charts are computed once).
 */
export class SeriesReader {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly db: DB,
    private readonly cacheSize = 3000,
  ) {}

  /** The series of `key` of run `runId` (a full id), or undefined if the run never logged it. */
  read(runId: string, key: string, xAxis: XAxis, maxPoints: number): Series | undefined {
    const count = this.db.prepare('SELECT count FROM latest_metrics WHERE run_id = ? AND key = ?').pluck().get(runId, key) as number | undefined;
    if (count === undefined) return undefined;
    const cacheKey = `${runId}\u0000${key}\u0000${xAxis}\u0000${maxPoints}`;
    const hit = this.cache.get(cacheKey);
    if (hit && hit.count === count) {
      // refresh its place in the LRU order
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, hit);
      return hit.series;
    }
    // (run_id, key, step) is indexed, and rowid ends every index entry: by step then id needs no sort
    const order = xAxis === 'step' ? 'step, id' : 'timestamp, id';
    const column = xAxis === 'step' ? 'step' : 'timestamp';
    const rows = this.db
      .prepare(`SELECT ${column}, value FROM metrics WHERE run_id = ? AND key = ? ORDER BY ${order}`)
      .raw()
      .all(runId, key) as [number, number | null][];
    const xs = new Array<number>(rows.length);
    const ys = new Array<number | null>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      xs[i] = rows[i][0];
      ys[i] = rows[i][1];
    }
    const thin = downsample(xs, ys, maxPoints);
    const series: Series = { run: runId, key, count: rows.length, downsampled: thin.x.length < rows.length, x: thin.x, y: thin.y };
    this.cache.set(cacheKey, { count: rows.length, series });
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return series;
  }
}
