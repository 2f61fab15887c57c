/**
 * Records what a server answered into the tracking store, so that the dashboard can show
 * the versions of an A/B test side by side: every few seconds (and once more at shutdown)
 * one row per model version with the requests, errors and latency histogram of the
 * interval, and the version's traffic weight and labels (see track/serving.ts).
 *
 * The counters it reads are cumulative; it writes their growth since the last row it
 * stored. A write that fails (the store busy with another process's write) is retried at
 * the next tick, covering both intervals, so no request goes uncounted.
 *
 * ```ts
 * const recorder = new ServingRecorder({ db: store.db, server: 'host:1:8501', leMs: [1, 5, 25], collect });
 * recorder.start();          // every 5 s, on a timer that does not keep the process alive
 * recorder.stop();           // the last interval, then no more
 * ```
 */
import type { DB } from '../track/db.js';
import { appendServingStats, type ServingStatsRow } from '../track/serving.js';

/** One version's counters as the server holds them: totals since it started. */
export interface VersionCounters {
  model: string;
  version: number;
  requests: number;
  errors: number;
  /** Requests per latency bucket (not cumulative across buckets), the last above the largest bound. */
  latencyCounts: readonly number[];
  /** Share of the model's default traffic (0..1), or null. */
  weight: number | null;
  labels: string[];
}

export interface RecorderOptions {
  db: DB;
  /** Names the writer in the rows: `host:pid:port`. */
  server: string;
  /** Upper bounds of the latency buckets, in ms. */
  leMs: readonly number[];
  collect: () => VersionCounters[];
  /** Default 5000 ms. */
  intervalMs?: number;
  /** The clock (ms since the epoch); tests pass their own. */
  now?: () => number;
  onError?: (err: Error) => void;
}

export const DEFAULT_RECORD_INTERVAL_MS = 5000;

interface Baseline {
  requests: number;
  errors: number;
  counts: readonly number[];
  weight: number | null;
  labels: string;
  /** Whether the last stored row had requests (so the next, idle one shows the drop to zero). */
  busy: boolean;
}

export class ServingRecorder {
  private readonly baselines = new Map<string, Baseline>();
  private readonly now: () => number;
  private lastTime: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: RecorderOptions) {
    this.now = options.now ?? Date.now;
    this.lastTime = this.now();
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? DEFAULT_RECORD_INTERVAL_MS;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.record(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * Stores the rows of the interval since the last stored one: versions seen for the first
   * time, with requests, whose weight or labels changed, or that had requests last time.
   * Returns how many rows were stored (0 also when the write failed).
   */
  record(now: number = this.now()): number {
    const rows: ServingStatsRow[] = [];
    const next = new Map<string, Baseline>();
    for (const c of this.options.collect()) {
      const key = `${c.model}\u0000${c.version}`;
      const base = this.baselines.get(key);
      // counters never go down; if they did (a series dropped and restarted), count from zero
      const restarted = base !== undefined && c.requests < base.requests;
      const from = base && !restarted ? base : undefined;
      const requests = c.requests - (from?.requests ?? 0);
      const errors = c.errors - (from?.errors ?? 0);
      const counts = c.latencyCounts.map((n, i) => n - (from?.counts[i] ?? 0));
      const labels = JSON.stringify(c.labels);
      const changed = !base || base.weight !== c.weight || base.labels !== labels;
      next.set(key, { requests: c.requests, errors: c.errors, counts: [...c.latencyCounts], weight: c.weight, labels, busy: requests > 0 });
      if (requests > 0 || changed || base?.busy) {
        rows.push({
          server: this.options.server,
          model: c.model,
          version: c.version,
          timestamp: now,
          intervalMs: Math.max(0, now - this.lastTime),
          requests,
          errors,
          latency: { leMs: [...this.options.leMs], counts },
          weight: c.weight,
          labels: c.labels,
        });
      }
    }
    if (rows.length > 0) {
      try {
        appendServingStats(this.options.db, rows);
      } catch (err) {
        this.options.onError?.(err as Error);
        return 0;
      }
    }
    // versions not collected this time (unloaded) keep their baseline, should they come back
    for (const [key, b] of next) this.baselines.set(key, b);
    this.lastTime = now;
    return rows.length;
  }

  /** Stores the last interval and stops the timer. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.record();
  }
}
