/**
 * The model server: TF Serving's REST API over Shendu models, with worker threads,
 * dynamic batching, version labels, A/B splits, hot reload and graceful shutdown.
 *
 * ```ts
 * const server = await sd.serve.startServer({ models: [{ name: 'mnist', path: 'mnist.safetensors' }], port: 8501 });
 * // POST http://127.0.0.1:8501/v1/models/mnist:predict {"instances": [[...784 values]]}
 * await server.stop();
 * ```
 */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Batcher, type BatchingOptions } from './batcher.js';
import { registerRoutes, sendError } from './http.js';
import { ModelManager } from './manager.js';
import { Counter, Histogram, ServeMetrics } from './metrics.js';
import { WorkerPool, type Executor } from './pool.js';
import { DEFAULT_RECORD_INTERVAL_MS, ServingRecorder, type VersionCounters } from './recorder.js';
import { parseSplit } from './router.js';
import { BaseDirWatcher, FileWatcher, RegistryWatcher, VersionDirWatcher, type ModelWatcher } from './sources.js';
import { ServeError, type ModelSource } from './types.js';
import { TrackingStore } from '../track/store.js';
import { lazyRequire } from '../lazy-require.js';

/** fastify, loaded when the first server is created. */
const fastify = lazyRequire<typeof Fastify>('fastify');

/** Per-version latency buckets (seconds), for the A/B comparison: fine where models answer. */
const VERSION_LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** How long a write of the serving statistics waits for another process's write lock (then it is retried at the next tick). */
const RECORD_BUSY_TIMEOUT_MS = 200;

/** A model to serve: a model file, a TF Serving version folder, or a source (a factory module). */
export interface ModelConfig {
  name: string;
  /** A model file (served as version 1) or a folder of integer version folders. */
  path?: string;
  /** A source instead of a path, served as `version` (default 1). */
  source?: ModelSource;
  version?: number;
}

export interface ServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8501; 0 picks a free port. */
  port?: number;
  /** Requests must carry `Authorization: Bearer <token>` (all but /healthz). */
  token?: string;
  models?: ModelConfig[];
  /** A folder with one folder per model, each in TF Serving's layout (`<name>/<version>/model.safetensors`). */
  modelBasePath?: string;
  /** Serve the registry of a tracking store (`true`: $SHENDU_HOME or ./.shendu). */
  registry?: boolean | { home?: string; names?: string[] };
  /** Worker threads (default cores - 1, at least 1). */
  workers?: number;
  /** Native kernel threads per worker (default 1: the workers are the parallelism). */
  kernelThreads?: number;
  batching?: BatchingOptions;
  /** Largest request body in bytes (default 16 MiB); larger ones get 413. */
  bodyLimit?: number;
  /** How often folders and the registry are looked at for new versions, in ms (default 1000; 0: never). */
  pollIntervalMs?: number;
  /** Initial labels: `{ mnist: { stable: 1, canary: 2 } }`. */
  labels?: Record<string, Record<string, number>>;
  /** Initial A/B splits: `{ mnist: '1:90,2:10' }` or `{ mnist: { 1: 90, 2: 10 } }`. */
  splits?: Record<string, unknown>;
  /** The request header whose value keeps a client on one A/B version (default x-client-id). */
  clientKeyHeader?: string;
  /** Wait for the first load of every model before resolving (default true). */
  waitForModels?: boolean;
  /**
   * Record per-version requests, errors, latency, weights and labels into a tracking
   * store every `intervalMs` (default 5000) and at shutdown, for the dashboard's Models
   * page. On by default with `registry` (into the registry's store); otherwise off unless
   * given (`true`: $SHENDU_HOME or ./.shendu). `false` turns it off.
   */
  track?: boolean | { home?: string; intervalMs?: number };
  /** Where to print state changes (default nowhere). */
  log?: (line: string) => void;
}

export class ModelServer {
  readonly app: FastifyInstance;
  readonly manager: ModelManager;
  readonly batcher: Batcher;
  readonly metrics = new ServeMetrics();
  /** Latency and errors per version (every method), for the A/B comparison. */
  readonly versionLatency = new Histogram('shendu_serve_version_latency_seconds', '', ['model', 'version'], VERSION_LATENCY_BUCKETS);
  readonly versionErrors = new Counter('shendu_serve_version_errors_total', '', ['model', 'version']);
  /** Writes the per-version figures into the tracking store, when tracking is on. */
  recorder: ServingRecorder | null = null;
  private trackingStore: TrackingStore | null = null;
  private readonly executor: Executor;
  private readonly watchers: ModelWatcher[];
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  /** The URL it listens on, e.g. http://127.0.0.1:8501. */
  url = '';
  port = 0;

  private constructor(private readonly options: ServerOptions) {
    this.watchers = this.makeWatchers();
    this.executor = new WorkerPool({ workers: options.workers, kernelThreads: options.kernelThreads ?? 1 });
    this.batcher = new Batcher(this.executor, options.batching);
    this.manager = new ModelManager(this.executor, this.batcher);
    const log = options.log;
    this.manager.onChange = (s) => log?.(`model ${s.name} version ${s.version}: ${s.state}${s.error ? ` (${s.error})` : ''}`);
    this.manager.onUnloaded = (s) => this.metrics.forget(s.name, String(s.version));

    this.metrics.addGauge('shendu_serve_queue_size', 'Requests waiting for an inference worker.', [], () => [[[], this.batcher.queued]]);
    this.metrics.addGauge('shendu_serve_model_version_available', 'Whether a version takes traffic (1) or not (0), by model and version.', ['model', 'version', 'state'], () =>
      [...this.manager.models.values()].flatMap((m) => [...m.versions.values()].map((s): [string[], number] => [[s.name, String(s.version), s.state], s.state === 'AVAILABLE' ? 1 : 0])),
    );
    this.metrics.addGauge('shendu_serve_ab_weight', 'The share of default traffic each version gets, by model and version.', ['model', 'version'], () =>
      [...this.manager.models.values()].flatMap((m) => {
        const split = this.manager.resolvedSplit(m);
        const total = split.reduce((a, s) => a + s.weight, 0);
        return split.map((s): [string[], number] => [[m.name, String(s.version)], s.weight / total]);
      }),
    );

    this.app = fastify()({
      bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024,
      forceCloseConnections: 'idle',
      return503OnClosing: true,
      keepAliveTimeout: 5000,
      // Errors met before routing (a URL that does not decode) are answered as {"error": ...} too.
      frameworkErrors: (error, _request, reply) => sendError(reply, 400, error.message),
    });
    this.setUpParsing();
    registerRoutes(this.app, {
      manager: this.manager,
      batcher: this.batcher,
      metrics: this.metrics,
      versionLatency: this.versionLatency,
      versionErrors: this.versionErrors,
      clientKeyHeader: (options.clientKeyHeader ?? 'x-client-id').toLowerCase(),
    });
  }

  private setUpParsing(): void {
    const app = this.app;
    // TF Serving reads any body as JSON, whatever its content type (curl -d sends form encoding).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (err) {
        done(new ServeError(400, `JSON Parse Error: ${(err as Error).message}`), undefined);
      }
    });
    const token = this.options.token;
    if (token) {
      const expected = Buffer.from(`Bearer ${token}`);
      app.addHook('onRequest', async (request, reply) => {
        if (request.url === '/healthz') return;
        const given = Buffer.from(request.headers.authorization ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          reply.header('www-authenticate', 'Bearer');
          return sendError(reply, 401, 'missing or wrong bearer token (send Authorization: Bearer <token>)');
        }
      });
    }
    app.setNotFoundHandler((request, reply) => sendError(reply, 404, `Malformed request: ${request.method} ${request.url}`));
    app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _request, reply) => {
      if (err instanceof ServeError) return sendError(reply, err.status, err.message);
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, `the request body is larger than the limit of ${this.app.initialConfig.bodyLimit} bytes`);
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      return sendError(reply, status, err.message);
    });
  }

  /** Starts a server: listens, then (unless `waitForModels` is false) loads every model before resolving. */
  static async start(options: ServerOptions = {}): Promise<ModelServer> {
    const server = new ModelServer(options);
    let address: string;
    try {
      address = await server.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8501 });
    } catch (err) {
      await server.executor.close();
      throw err;
    }
    server.url = address;
    server.port = Number(new URL(address).port);
    const first = server.poll().then(() => server.applyInitialConfig());
    if (options.waitForModels ?? true) {
      try {
        await first;
      } catch (err) {
        // A label or split naming a version that is not there: nothing is left running.
        await server.stop();
        throw err;
      }
    } else {
      first.catch((err) => options.log?.(`initial labels or splits: ${(err as Error).message}`));
    }
    const every = options.pollIntervalMs ?? 1000;
    if (every > 0) server.schedulePoll(every);
    try {
      server.startRecording();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** Opens the tracking store and starts the recorder, if tracking is on (see ServerOptions.track). */
  private startRecording(): void {
    const { track, registry } = this.options;
    if (track === false || (track === undefined && !registry)) return;
    const home = (typeof track === 'object' ? track.home : undefined) ?? (typeof registry === 'object' ? registry.home : undefined);
    this.trackingStore = TrackingStore.open({ home });
    // never hold up requests for long behind another process's write: retry next tick instead
    this.trackingStore.db.pragma(`busy_timeout = ${RECORD_BUSY_TIMEOUT_MS}`);
    this.recorder = new ServingRecorder({
      db: this.trackingStore.db,
      server: `${os.hostname()}:${process.pid}:${this.port}`,
      leMs: VERSION_LATENCY_BUCKETS.map((b) => b * 1000),
      collect: () => this.versionCounters(),
      intervalMs: (typeof track === 'object' ? track.intervalMs : undefined) ?? DEFAULT_RECORD_INTERVAL_MS,
      onError: (err) => this.options.log?.(`recording serving statistics failed (retried next time): ${err.message}`),
    });
    this.recorder.record(); // the versions and their weights at start
    this.recorder.start();
    this.options.log?.(`recording serving statistics into ${this.trackingStore.file}`);
  }

  /** Every version that is available or has answered requests, with its totals, weight and labels. */
  versionCounters(): VersionCounters[] {
    const out: VersionCounters[] = [];
    for (const m of this.manager.models.values()) {
      const split = this.manager.resolvedSplit(m);
      const total = split.reduce((a, s) => a + s.weight, 0);
      let latest = -1;
      for (const s of m.versions.values()) if (s.state === 'AVAILABLE') latest = Math.max(latest, s.version);
      for (const s of m.versions.values()) {
        const series = [m.name, String(s.version)];
        const h = this.versionLatency.get(series);
        if (s.state !== 'AVAILABLE' && !h) continue;
        out.push({
          model: m.name,
          version: s.version,
          requests: h?.count ?? 0,
          errors: this.versionErrors.get(series),
          latencyCounts: h?.counts ?? new Array<number>(VERSION_LATENCY_BUCKETS.length + 1).fill(0),
          // without a split, the default traffic goes to the highest available version
          weight: total > 0 ? (split.find((w) => w.version === s.version)?.weight ?? 0) / total : s.version === latest ? 1 : 0,
          labels: [...m.labels].filter(([, v]) => v === s.version).map(([l]) => l).sort(),
        });
      }
    }
    return out;
  }

  private makeWatchers(): ModelWatcher[] {
    const out: ModelWatcher[] = [];
    const o = this.options;
    for (const m of o.models ?? []) {
      if (m.source) out.push({ poll: (manager) => manager.addVersion(m.name, m.version ?? 1, m.source as ModelSource).then(() => undefined) });
      else if (m.path && fs.existsSync(m.path) && fs.statSync(m.path).isDirectory()) out.push(new VersionDirWatcher(m.name, m.path));
      else if (m.path) out.push(new FileWatcher(m.name, m.path));
      else throw new ServeError(500, `model '${m.name}': give a path or a source`);
    }
    if (o.modelBasePath) out.push(new BaseDirWatcher(o.modelBasePath));
    if (o.registry) out.push(new RegistryWatcher(typeof o.registry === 'object' ? o.registry.home : undefined, typeof o.registry === 'object' ? o.registry.names : undefined));
    if (out.length === 0) throw new ServeError(500, 'no models to serve: give models, modelBasePath or registry');
    return out;
  }

  private applyInitialConfig(): void {
    for (const [name, labels] of Object.entries(this.options.labels ?? {})) {
      for (const [label, version] of Object.entries(labels)) this.manager.setLabel(name, label, version);
    }
    for (const [name, split] of Object.entries(this.options.splits ?? {})) this.manager.setSplit(name, parseSplit(split));
  }

  /** Looks at every source once (folders, registry) and loads what changed. */
  poll(): Promise<void> {
    this.polling ??= Promise.all(this.watchers.map((w) => w.poll(this.manager)))
      .then(() => undefined)
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private schedulePoll(every: number): void {
    this.pollTimer = setTimeout(() => {
      this.poll()
        .catch((err) => this.options.log?.(`polling for models failed: ${(err as Error).message}`))
        .finally(() => {
          if (!this.stopping) this.schedulePoll(every);
        });
    }, every);
    this.pollTimer.unref();
  }

  /**
   * Stops gracefully: no new connections, requests in flight are answered (new requests
   * on open connections get 503), then the workers end.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.pollTimer) clearTimeout(this.pollTimer);
      await this.app.close();
      // every request is answered now: the last interval is complete
      this.recorder?.stop();
      this.trackingStore?.close();
      await this.polling?.catch(() => undefined);
      for (const w of this.watchers) w.close?.();
      await this.executor.close();
    })();
    return this.stopping;
  }

  /** Stops gracefully on SIGTERM and SIGINT, then exits. */
  handleSignals(): void {
    const onSignal = (signal: string) => {
      this.options.log?.(`${signal}: draining requests in flight`);
      this.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  }
}

/** Starts a model server (see `ServerOptions`). */
export function startServer(options: ServerOptions): Promise<ModelServer> {
  return ModelServer.start(options);
}
