/**
 * The serving statistics of a model as the dashboard shows them: per version, the totals
 * over the recorded time (requests, error rate, p50/p95/p99 from the summed latency
 * histograms) with the weight and labels of its newest row; and per version, requests/s
 * and p99 over time, in time bins (several servers' rows in one bin add up).
 *
 * ```ts
 * summarizeServing('mnist', readServingStats(db, 'mnist'));
 * // { versions: [{ version: 1, requests: 9000, errorRate: 0, p99Ms: 4.1, weight: 0.9, ... }, ...], series: [...] }
 * ```
 */
import { bucketQuantile, type LatencyBuckets, type StoredServingStats } from '../track/serving.js';

export interface ServingVersion {
  version: number;
  requests: number;
  errors: number;
  /** errors / requests; null without requests. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Share of the default traffic in the newest row (0..1). */
  weight: number | null;
  labels: string[];
  /** Time of the newest row. */
  lastSeen: number;
  /** How many server processes recorded this version. */
  servers: number;
}

export interface ServingSeries {
  version: number;
  /** End of each bin, ms since the epoch. */
  t: number[];
  requestsPerSecond: number[];
  /** p99 of the bin's requests; null for a bin without requests. */
  p99Ms: (number | null)[];
}

export interface ServingSummary {
  model: string;
  /** Width of the time bins of `series`. */
  binMs: number;
  versions: ServingVersion[];
  series: ServingSeries[];
}

/** At most this many points per version in the charts. */
export const DEFAULT_SERVING_POINTS = 300;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Adds the counts of `h` into `into` (started empty: takes h's bounds); rows of other bounds are left out. */
function addHistogram(into: LatencyBuckets | null, h: LatencyBuckets): LatencyBuckets {
  if (!into) return { leMs: [...h.leMs], counts: [...h.counts] };
  if (into.leMs.length !== h.leMs.length || into.leMs.some((b, i) => b !== h.leMs[i])) return into;
  h.counts.forEach((c, i) => (into.counts[i] += c));
  return into;
}

export function summarizeServing(model: string, rows: readonly StoredServingStats[], maxPoints = DEFAULT_SERVING_POINTS): ServingSummary {
  const byVersion = new Map<number, StoredServingStats[]>();
  for (const r of rows) {
    const list = byVersion.get(r.version) ?? [];
    list.push(r);
    byVersion.set(r.version, list);
  }
  const first = rows.length ? Math.min(...rows.map((r) => r.timestamp)) : 0;
  const last = rows.length ? Math.max(...rows.map((r) => r.timestamp)) : 0;
  const intervals = rows.map((r) => r.intervalMs).filter((ms) => ms > 0);
  const binMs = Math.max(intervals.length ? Math.min(...intervals) : 1000, Math.ceil((last - first) / maxPoints));

  const versions: ServingVersion[] = [];
  const series: ServingSeries[] = [];
  for (const version of [...byVersion.keys()].sort((a, b) => a - b)) {
    const own = byVersion.get(version) as StoredServingStats[];
    let hist: LatencyBuckets | null = null;
    let requests = 0;
    let errors = 0;
    for (const r of own) {
      requests += r.requests;
      errors += r.errors;
      hist = addHistogram(hist, r.latency);
    }
    const newest = own.reduce((a, r) => (r.timestamp >= a.timestamp ? r : a));
    const q = (p: number) => (hist && requests > 0 ? finite(bucketQuantile(hist, p)) : null);
    versions.push({
      version,
      requests,
      errors,
      errorRate: requests > 0 ? errors / requests : null,
      p50Ms: q(0.5),
      p95Ms: q(0.95),
      p99Ms: q(0.99),
      weight: newest.weight,
      labels: newest.labels,
      lastSeen: newest.timestamp,
      servers: new Set(own.map((r) => r.server)).size,
    });
    series.push(binSeries(version, own, first, binMs));
  }
  return { model, binMs, versions, series };
}

/** Requests/s and p99 per time bin; a row of no interval (a server's first) only marks that it started. */
function binSeries(version: number, rows: readonly StoredServingStats[], first: number, binMs: number): ServingSeries {
  const bins = new Map<number, { t: number; servers: Map<string, { requests: number; ms: number }>; hist: LatencyBuckets | null; requests: number }>();
  for (const r of rows) {
    if (r.intervalMs <= 0) continue;
    const i = Math.floor((r.timestamp - first) / binMs);
    const bin = bins.get(i) ?? { t: 0, servers: new Map(), hist: null, requests: 0 };
    bins.set(i, bin);
    bin.t = Math.max(bin.t, r.timestamp);
    const s = bin.servers.get(r.server) ?? { requests: 0, ms: 0 };
    s.requests += r.requests;
    s.ms += r.intervalMs;
    bin.servers.set(r.server, s);
    bin.requests += r.requests;
    if (r.requests > 0) bin.hist = addHistogram(bin.hist, r.latency);
  }
  const out: ServingSeries = { version, t: [], requestsPerSecond: [], p99Ms: [] };
  for (const i of [...bins.keys()].sort((a, b) => a - b)) {
    const bin = bins.get(i)!;
    let rate = 0;
    for (const s of bin.servers.values()) rate += s.requests / (s.ms / 1000);
    out.t.push(bin.t);
    out.requestsPerSecond.push(rate);
    out.p99Ms.push(bin.hist && bin.requests > 0 ? finite(bucketQuantile(bin.hist, 0.99)) : null);
  }
  return out;
}
