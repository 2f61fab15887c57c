/**
 * Serving statistics in the tracking store: what a model server answered, per model and
 * version, appended every few seconds as one row per version (table `serving_stats`).
 * A row covers the interval ending at its timestamp: requests and errors in it, its
 * latency histogram (and p50/p95/p99 read from it), and the traffic weight and labels the
 * version had then. Rows are deltas, so totals over any time span are sums, whatever the
 * number of servers or restarts.
 *
 * ```ts
 * appendServingStats(store.db, [{ server: 'host:123:8501', model: 'mnist', version: 2, timestamp: Date.now(),
 *   intervalMs: 5000, requests: 40, errors: 0, latency: { leMs: [1, 5], counts: [30, 10, 0] }, weight: 0.1, labels: ['canary'] }]);
 * readServingStats(store.db, 'mnist'); // the rows, oldest first
 * ```
 */
import type { DB } from './db.js';

/** A latency histogram: counts per bucket (not cumulative), the last one above the largest bound. */
export interface LatencyBuckets {
  /** Upper bounds of the buckets in milliseconds, increasing. */
  leMs: number[];
  /** `leMs.length + 1` counts. */
  counts: number[];
}

export interface ServingStatsRow {
  /** Which server process wrote it: `host:pid:port`. */
  server: string;
  model: string;
  version: number;
  /** End of the interval, ms since the epoch. */
  timestamp: number;
  intervalMs: number;
  requests: number;
  errors: number;
  latency: LatencyBuckets;
  /** The version's share of the model's default traffic (0..1), or null when unknown. */
  weight: number | null;
  labels: string[];
}

/** A stored row, with the quantiles of its interval (null without requests). */
export interface StoredServingStats extends ServingStatsRow {
  id: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/**
 * The q-quantile of a histogram, interpolated linearly within its bucket (as Prometheus'
 * `histogram_quantile`); the largest bound for ranks in the overflow bucket; NaN when empty.
 */
export function bucketQuantile(h: LatencyBuckets, q: number): number {
  const total = h.counts.reduce((a, c) => a + c, 0);
  if (total === 0) return NaN;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i];
    if (c > 0 && cumulative + c >= rank) {
      if (i === h.leMs.length) return h.leMs[i - 1];
      const lower = i === 0 ? 0 : h.leMs[i - 1];
      return lower + (h.leMs[i] - lower) * ((rank - cumulative) / c);
    }
    cumulative += c;
  }
  return h.leMs[h.leMs.length - 1];
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Appends rows in one transaction. */
export function appendServingStats(db: DB, rows: readonly ServingStatsRow[]): void {
  const insert = db.prepare(
    `INSERT INTO serving_stats (server, model, version, timestamp, interval_ms, requests, errors, p50_ms, p95_ms, p99_ms, latency_buckets, weight, labels)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const write = db.transaction(() => {
    for (const r of rows) {
      const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => finiteOrNull(bucketQuantile(r.latency, q)));
      insert.run(r.server, r.model, r.version, r.timestamp, r.intervalMs, r.requests, r.errors, p50, p95, p99, JSON.stringify(r.latency), r.weight, JSON.stringify(r.labels));
    }
  });
  write.immediate();
}

type Row = {
  id: number;
  server: string;
  model: string;
  version: number;
  timestamp: number;
  interval_ms: number;
  requests: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  latency_buckets: string;
  weight: number | null;
  labels: string;
};

/** The rows of one model (optionally only those after `since` ms), oldest first. */
export function readServingStats(db: DB, model: string, since = 0): StoredServingStats[] {
  const rows = db.prepare('SELECT * FROM serving_stats WHERE model = ? AND timestamp > ? ORDER BY timestamp, id').all(model, since) as Row[];
  return rows.map((r) => ({
    id: r.id,
    server: r.server,
    model: r.model,
    version: r.version,
    timestamp: r.timestamp,
    intervalMs: r.interval_ms,
    requests: r.requests,
    errors: r.errors,
    p50Ms: r.p50_ms,
    p95Ms: r.p95_ms,
    p99Ms: r.p99_ms,
    latency: JSON.parse(r.latency_buckets) as LatencyBuckets,
    weight: r.weight,
    labels: JSON.parse(r.labels) as string[],
  }));
}

/** The models that have serving statistics. */
export function servedModels(db: DB): string[] {
  return db.prepare('SELECT DISTINCT model FROM serving_stats ORDER BY model').pluck().all() as string[];
}
