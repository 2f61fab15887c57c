/**
 * Metrics in the Prometheus text format (version 0.0.4): counters, gauges and histograms
 * with labels, rendered by `GET /metrics`. Histograms also answer quantiles (interpolated
 * within buckets, as Prometheus' `histogram_quantile`), for the A/B comparison.
 */

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i])}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function numberText(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

interface Metric {
  render(): string;
}

/** A labelled series store shared by the metric kinds. */
abstract class Family<T> implements Metric {
  protected readonly series = new Map<string, { labels: string[]; value: T }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected abstract fresh(): T;

  protected entry(labels: readonly string[]): T {
    const key = labels.join('\u0000');
    let e = this.series.get(key);
    if (!e) {
      e = { labels: [...labels], value: this.fresh() };
      this.series.set(key, e);
    }
    return e.value;
  }

  /** Forgets the series whose labels start with `prefix` (an unloaded version). */
  remove(prefix: readonly string[]): void {
    for (const [key, e] of this.series) if (prefix.every((p, i) => e.labels[i] === p)) this.series.delete(key);
  }

  abstract render(): string;
}

export class Counter extends Family<{ n: number }> {
  protected fresh() {
    return { n: 0 };
  }
  inc(labels: readonly string[], by = 1): void {
    this.entry(labels).n += by;
  }
  get(labels: readonly string[]): number {
    return this.series.get(labels.join('\u0000'))?.value.n ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const e of this.series.values()) lines.push(`${this.name}${labelText(this.labelNames, e.labels)} ${numberText(e.value.n)}`);
    return lines.join('\n');
  }
}

/** A gauge read when rendered. */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly collect: () => [string[], number][],
  ) {}
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [labels, v] of this.collect()) lines.push(`${this.name}${labelText(this.labelNames, labels)} ${numberText(v)}`);
    return lines.join('\n');
  }
}

export interface HistogramData {
  /** Counts per bucket (not cumulative), the last one for +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Family<HistogramData> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
  }
  protected fresh(): HistogramData {
    return { counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
  }
  observe(labels: readonly string[], value: number): void {
    const h = this.entry(labels);
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]) i++;
    h.counts[i]++;
    h.sum += value;
    h.count++;
  }
  get(labels: readonly string[]): HistogramData | undefined {
    return this.series.get(labels.join('\u0000'))?.value;
  }
  /** The q-quantile, interpolated linearly within its bucket; NaN without observations. */
  quantile(labels: readonly string[], q: number): number {
    const h = this.get(labels);
    if (!h || h.count === 0) return NaN;
    const rank = q * h.count;
    let cumulative = 0;
    for (let i = 0; i < h.counts.length; i++) {
      if (cumulative + h.counts[i] >= rank && h.counts[i] > 0) {
        if (i === this.buckets.length) return this.buckets[i - 1];
        const lower = i === 0 ? 0 : this.buckets[i - 1];
        return lower + (this.buckets[i] - lower) * ((rank - cumulative) / h.counts[i]);
      }
      cumulative += h.counts[i];
    }
    return this.buckets[this.buckets.length - 1];
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const e of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += e.value.counts[i];
        lines.push(`${this.name}_bucket${labelText(this.labelNames, e.labels, `le="${numberText(b)}"`)} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${labelText(this.labelNames, e.labels, 'le="+Inf"')} ${e.value.count}`);
      lines.push(`${this.name}_sum${labelText(this.labelNames, e.labels)} ${numberText(e.value.sum)}`);
      lines.push(`${this.name}_count${labelText(this.labelNames, e.labels)} ${e.value.count}`);
    }
    return lines.join('\n');
  }
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** The server's metrics. */
export class ServeMetrics {
  readonly requests = new Counter('shendu_serve_requests_total', 'Requests answered, by model, version, method and HTTP status.', ['model', 'version', 'method', 'code']);
  readonly latency = new Histogram('shendu_serve_request_duration_seconds', 'Time from request to response, by model, version and method.', ['model', 'version', 'method'], LATENCY_BUCKETS);
  readonly inference = new Histogram('shendu_serve_inference_duration_seconds', 'Time a batch spent in the model, by model and version.', ['model', 'version'], LATENCY_BUCKETS);
  readonly batchSize = new Histogram('shendu_serve_batch_size', 'Rows per batch sent to the model, by model and version.', ['model', 'version'], BATCH_BUCKETS);
  private readonly extra: Metric[] = [];

  addGauge(name: string, help: string, labelNames: string[], collect: () => [string[], number][]): void {
    this.extra.push(new Gauge(name, help, labelNames, collect));
  }

  /** Drops the series of a version that was unloaded. */
  forget(model: string, version: string): void {
    for (const f of [this.requests, this.latency, this.inference, this.batchSize]) f.remove([model, version]);
  }

  render(): string {
    return [this.requests, this.latency, this.inference, this.batchSize, ...this.extra].map((m) => m.render()).join('\n') + '\n';
  }
}
