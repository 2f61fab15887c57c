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
import Fastify, { type FastifyInstance } from 'fastify';
import { Batcher, type BatchingOptions } from './batcher.js';
import { registerRoutes, sendError } from './http.js';
import { ModelManager } from './manager.js';
import { Counter, Histogram, ServeMetrics } from './metrics.js';
import { WorkerPool, type Executor } from './pool.js';
import { parseSplit } from './router.js';
import { BaseDirWatcher, FileWatcher, RegistryWatcher, VersionDirWatcher, type ModelWatcher } from './sources.js';
import { ServeError, type ModelSource } from './types.js';

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
  /** Where to print state changes (default nowhere). */
  log?: (line: string) => void;
}

export class ModelServer {
  readonly app: FastifyInstance;
  readonly manager: ModelManager;
  readonly batcher: Batcher;
  readonly metrics = new ServeMetrics();
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

    const versionLatency = new Histogram('shendu_serve_version_latency_seconds', '', ['model', 'version'], [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);
    const versionErrors = new Counter('shendu_serve_version_errors_total', '', ['model', 'version']);
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

    this.app = Fastify({
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
      versionLatency,
      versionErrors,
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
    return server;
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
