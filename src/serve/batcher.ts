/**
 * The request queue in front of the executor, with dynamic batching as TF Serving does
 * it: requests to the same servable are merged along the batch axis into one batch, which
 * closes when it reaches `maxBatchSize` rows or when `batchTimeoutMicros` has passed since
 * its first request. A closed batch waits for a free worker; an open batch whose time is
 * up is sent as soon as a worker frees (and keeps filling until then). Without batching
 * every request is a batch of its own. At most `maxQueueSize` requests wait: beyond that
 * a request is refused with a 503.
 */
import { allocArray } from '../tensor/dtype.js';
import type { Executor } from './pool.js';
import { ServeError, type WireTensor, type WireTensors } from './types.js';

export interface BatchingOptions {
  /** Merge concurrent requests (default false). */
  enabled?: boolean;
  /** Rows per batch at most (default 64). */
  maxBatchSize?: number;
  /** How long an open batch waits for more requests, in microseconds (default 1000; 0 = send as soon as a worker is free). */
  batchTimeoutMicros?: number;
  /** Requests waiting for a worker at most; more are refused with 503 (default 1024). */
  maxQueueSize?: number;
}

export interface BatchResult {
  outputs: WireTensors;
  /** Rows in the batch this request ran in. */
  batchSize: number;
  micros: number;
}

interface Part {
  inputs: WireTensors;
  rows: number;
  resolve: (r: BatchResult) => void;
  reject: (e: Error) => void;
}

interface Batch {
  key: string;
  /** The servable and the shapes past the batch axis: only requests alike in both merge. */
  openKey: string;
  parts: Part[];
  rows: number;
  /** Whether the batch may be sent (full, timed out, or not merging). */
  due: boolean;
  timer: NodeJS.Timeout | null;
}

export class Batcher {
  readonly enabled: boolean;
  readonly maxBatchSize: number;
  readonly batchTimeoutMicros: number;
  readonly maxQueueSize: number;
  /** Batches ready to go, oldest first. */
  private readonly ready: Batch[] = [];
  /** The batch being filled, per servable. */
  private readonly open = new Map<string, Batch>();
  private waiting = 0;
  /** Requests accepted and not finished, per servable. */
  private readonly inflight = new Map<string, number>();
  private readonly drainWaiters = new Map<string, (() => void)[]>();
  /** Called with each batch size sent, for metrics. */
  onBatch: ((key: string, rows: number) => void) | null = null;

  constructor(
    private readonly executor: Executor,
    options: BatchingOptions = {},
  ) {
    this.enabled = options.enabled ?? false;
    this.maxBatchSize = options.maxBatchSize ?? 64;
    this.batchTimeoutMicros = options.batchTimeoutMicros ?? 1000;
    this.maxQueueSize = options.maxQueueSize ?? 1024;
    for (const [what, v, min] of [['maxBatchSize', this.maxBatchSize, 1], ['batchTimeoutMicros', this.batchTimeoutMicros, 0], ['maxQueueSize', this.maxQueueSize, 1]] as const) {
      if (!(Number.isInteger(v) && v >= min)) throw new ServeError(500, `batching: ${what} must be an integer >= ${min}, got ${v}`);
    }
    executor.onFree = () => this.pump();
  }

  /** Requests waiting for a worker. */
  get queued(): number {
    return this.waiting;
  }

  /** Requests accepted for `key` and not yet answered. */
  inflightOf(key: string): number {
    return this.inflight.get(key) ?? 0;
  }

  /** Resolves when `key` has no request in flight. */
  drained(key: string): Promise<void> {
    if (this.inflightOf(key) === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.drainWaiters.get(key) ?? [];
      list.push(resolve);
      this.drainWaiters.set(key, list);
    });
  }

  /**
   * Queues a request for servable `key`. `rows` is its batch size, or null when its
   * inputs do not share one (it then runs alone).
   */
  submit(key: string, inputs: WireTensors, rows: number | null): Promise<BatchResult> {
    if (this.waiting >= this.maxQueueSize) {
      return Promise.reject(new ServeError(503, `the server is overloaded: ${this.waiting} requests are queued (maxQueueSize ${this.maxQueueSize}); retry later`));
    }
    this.waiting++;
    this.inflight.set(key, this.inflightOf(key) + 1);
    const result = new Promise<BatchResult>((resolve, reject) => {
      const part: Part = { inputs, rows: rows ?? 0, resolve, reject };
      if (!this.enabled || rows === null || rows >= this.maxBatchSize) {
        this.ready.push({ key, openKey: '', parts: [part], rows: part.rows, due: true, timer: null });
      } else {
        this.addToOpen(key, part);
      }
    });
    this.pump();
    return result.finally(() => this.finish(key));
  }

  private finish(key: string): void {
    const n = this.inflightOf(key) - 1;
    if (n > 0) {
      this.inflight.set(key, n);
      return;
    }
    this.inflight.delete(key);
    const waiters = this.drainWaiters.get(key);
    this.drainWaiters.delete(key);
    waiters?.forEach((w) => w());
  }

  private addToOpen(key: string, part: Part): void {
    let openKey = key;
    for (const t of Object.values(part.inputs)) openKey += t.shape.length === 2 ? `|${t.shape[1]}` : `|${t.shape.slice(1).join(',')}`;
    let batch = this.open.get(openKey);
    if (batch && batch.rows + part.rows > this.maxBatchSize) {
      this.close(batch);
      this.ready.push(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { key, openKey, parts: [], rows: 0, due: this.batchTimeoutMicros === 0, timer: null };
      this.open.set(openKey, batch);
      if (!batch.due) {
        const b = batch;
        b.timer = setTimeout(() => {
          b.timer = null;
          b.due = true;
          this.pump();
        }, this.batchTimeoutMicros / 1000);
      }
    }
    batch.parts.push(part);
    batch.rows += part.rows;
    if (batch.rows >= this.maxBatchSize) {
      this.close(batch);
      this.ready.push(batch);
    }
  }

  /** Ends the filling of an open batch. */
  private close(batch: Batch): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = null;
    batch.due = true;
    if (this.open.get(batch.openKey) === batch) this.open.delete(batch.openKey);
  }

  /** Sends batches while workers are free: closed ones first, then open ones whose time is up. */
  private pump(): void {
    while (this.executor.busy < this.executor.capacity) {
      let batch = this.ready.shift();
      if (!batch) {
        for (const b of this.open.values()) {
          if (b.due) {
            batch = b;
            break;
          }
        }
        if (!batch) return;
        this.close(batch);
      }
      this.send(batch);
    }
  }

  private send(batch: Batch): void {
    this.waiting -= batch.parts.length;
    const inputs = batch.parts.length === 1 ? batch.parts[0].inputs : concatRows(batch.parts.map((p) => p.inputs));
    this.onBatch?.(batch.key, batch.rows);
    this.executor.run(batch.key, inputs).then(
      (result) => {
        if (batch.parts.length === 1) {
          batch.parts[0].resolve({ outputs: result.outputs, batchSize: batch.rows, micros: result.micros });
          return;
        }
        let start = 0;
        for (const part of batch.parts) {
          part.resolve({ outputs: sliceRows(result.outputs, start, part.rows), batchSize: batch.rows, micros: result.micros });
          start += part.rows;
        }
      },
      (err: Error) => batch.parts.forEach((p) => p.reject(err)),
    );
  }
}

/** Concatenates the requests' inputs along the batch axis, one new array per input. */
function concatRows(list: WireTensors[]): WireTensors {
  const out: WireTensors = {};
  for (const name of Object.keys(list[0])) {
    const first = list[0][name];
    let rows = 0;
    let size = 0;
    for (const inputs of list) {
      rows += inputs[name].shape[0];
      size += inputs[name].data.length;
    }
    const data = allocArray(first.dtype, size);
    let offset = 0;
    for (const inputs of list) {
      data.set(inputs[name].data, offset);
      offset += inputs[name].data.length;
    }
    out[name] = { data, shape: [rows, ...first.shape.slice(1)], dtype: first.dtype };
  }
  return out;
}

/** Rows [start, start + rows) of every output, as views (no copy). */
function sliceRows(outputs: WireTensors, start: number, rows: number): WireTensors {
  const out: WireTensors = {};
  for (const [name, t] of Object.entries(outputs)) {
    const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
    const data = t.data.subarray(start * rowSize, (start + rows) * rowSize) as WireTensor['data'];
    out[name] = { data, shape: [rows, ...t.shape.slice(1)], dtype: t.dtype };
  }
  return out;
}
