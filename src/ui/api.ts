/**
 * The dashboard's JSON API, under /api. Every answer is JSON; errors are
 * `{ error, message }` with 404 for an unknown run, metric, artifact or model, 400 for a
 * bad query, and 500 naming the store file when the store cannot be read.
 *
 * | route | answer |
 * |---|---|
 * | GET /api/status | the store folder, whether it exists, that it is read-only |
 * | GET /api/experiments | experiments with run counts |
 * | GET /api/runs?experiment=&status=&filter=&orderBy=&limit= | runs with params and last metrics |
 * | GET /api/runs/:id | a run with its artifacts, histogram keys and records |
 * | GET /api/runs/:id/metric?key= | every point of one metric, as logged |
 * | GET /api/series?runs=a,b&key=&x=step\|time&points= | one metric of several runs, thinned for a chart, and the live cursor |
 * | GET /api/runs/:id/histograms?key= | weight and gradient histograms by step |
 * | GET /api/runs/:id/records?kind= | confusion matrices, sample image lists, ... |
 * | GET /api/runs/:id/graph | the model as layers and edges |
 * | GET /api/runs/:id/artifacts/<path> | an artifact file |
 * | GET /api/models, /api/models/:name | the registry: models, and one model's versions |
 * | GET /api/models/:name/serving?since=&points= | what model servers answered, per version: totals and requests/s and p99 over time |
 * | GET /api/events?runs=a,b&after=<cursor> | server-sent events: new metric points, run status changes |
 */
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValueError } from '../errors.js';
import { NotFoundError, StoreError } from '../track/errors.js';
import { RUN_STATUSES, type RunStatus } from '../track/types.js';
import type { DashboardData } from './data.js';
import type { LiveEvent, LiveFeed } from './live.js';
import { DEFAULT_MAX_POINTS, type XAxis } from './series.js';
import { contentType } from './static.js';

type Query = Record<string, string | undefined>;

const query = (request: FastifyRequest): Query => request.query as Query;
const param = (request: FastifyRequest, name: string): string => (request.params as Record<string, string>)[name];

/** A comma-separated list from the query (empty items dropped). */
function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function intParam(q: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = q[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ValueError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

function xAxisParam(raw: string | undefined): XAxis {
  if (raw === undefined || raw === '' || raw === 'step') return 'step';
  if (raw === 'time') return 'time';
  throw new ValueError(`x must be 'step' or 'time', got '${raw}'`);
}

function statusParam(raw: string | undefined): RunStatus[] | undefined {
  const statuses = list(raw).map((s) => s.toUpperCase());
  for (const s of statuses) if (!RUN_STATUSES.includes(s as RunStatus)) throw new ValueError(`status must be one of ${RUN_STATUSES.join(', ')}, got '${s}'`);
  return statuses.length ? (statuses as RunStatus[]) : undefined;
}

/** Maps the library's errors to HTTP answers. */
export function errorReply(err: unknown, reply: FastifyReply): FastifyReply {
  const e = err as Error & { statusCode?: number; validation?: unknown };
  if (err instanceof NotFoundError) return reply.code(404).send({ error: 'NotFound', message: e.message });
  if (err instanceof ValueError) return reply.code(400).send({ error: 'BadRequest', message: e.message });
  if (err instanceof StoreError) return reply.code(500).send({ error: 'StoreError', message: e.message });
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return reply.code(e.statusCode).send({ error: 'BadRequest', message: e.message });
  }
  reply.log.error(err);
  return reply.code(500).send({ error: 'InternalError', message: e.message ?? String(err) });
}

export function registerApi(app: FastifyInstance, data: DashboardData, feed: LiveFeed): void {
  app.get('/api/status', async () => ({ home: data.home, storeExists: fs.existsSync(data.file), readonly: true, pollIntervalMs: feed.intervalMs }));

  app.get('/api/experiments', async () => data.experiments());

  app.get('/api/runs', async (request) => {
    const q = query(request);
    return data.runs({
      experiment: q.experiment ? list(q.experiment) : undefined,
      status: statusParam(q.status),
      filter: q.filter || undefined,
      orderBy: q.orderBy ? list(q.orderBy) : undefined,
      limit: q.limit ? intParam(q, 'limit', 0, 1, 1_000_000) : undefined,
    });
  });

  app.get('/api/runs/:id', async (request) => data.runDetail(param(request, 'id')));

  app.get('/api/runs/:id/metric', async (request) => {
    const key = query(request).key;
    if (!key) throw new ValueError('key is required: /api/runs/<id>/metric?key=<metric>');
    const points = data.metricHistory(param(request, 'id'), key);
    if (points.length === 0) throw new NotFoundError(`run ${param(request, 'id')} has no metric '${key}'`);
    return points;
  });

  app.get('/api/series', async (request) => {
    const q = query(request);
    const runs = list(q.runs);
    if (runs.length === 0) throw new ValueError('runs is required: /api/series?runs=<id>,<id>&key=<metric>');
    if (!q.key) throw new ValueError('key is required: /api/series?runs=<id>&key=<metric>');
    const x = xAxisParam(q.x);
    return { key: q.key, x, ...data.series(runs, q.key, x, intParam(q, 'points', DEFAULT_MAX_POINTS, 10, 1_000_000)) };
  });

  app.get('/api/runs/:id/histograms', async (request) => data.histograms(param(request, 'id'), query(request).key || undefined));

  app.get('/api/runs/:id/records', async (request) => data.records(param(request, 'id'), query(request).kind || undefined));

  app.get('/api/runs/:id/graph', async (request) => data.modelGraph(param(request, 'id')));

  app.get('/api/runs/:id/artifacts/*', async (request, reply) => {
    const file = data.artifactFile(param(request, 'id'), param(request, '*'));
    reply.type(contentType(file)).header('cache-control', 'private, max-age=60');
    return reply.send(fs.createReadStream(file));
  });

  app.get('/api/models', async () => data.models());

  app.get('/api/models/:name', async (request) => data.model(param(request, 'name')));

  app.get('/api/models/:name/serving', async (request) => {
    const q = query(request);
    return data.serving(param(request, 'name'), intParam(q, 'since', 0, 0, Number.MAX_SAFE_INTEGER), intParam(q, 'points', 300, 10, 100_000));
  });

  registerEvents(app, data, feed);

  app.all('/api/*', async (request, reply) => reply.code(404).send({ error: 'NotFound', message: `no API route ${request.method} ${request.url.split('?')[0]}` }));
}

/** GET /api/events: a server-sent-events stream fed by the LiveFeed. */
function registerEvents(app: FastifyInstance, data: DashboardData, feed: LiveFeed): void {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/api/events', async (request, reply) => {
    const q = query(request);
    const runs = list(q.runs);
    const ids = runs.length > 0 ? new Set(runs.map((id) => data.runId(id))) : undefined;
    // a reconnecting EventSource sends the id of the last event it got: go on from there
    const after = q.after ?? (request.headers['last-event-id'] as string | undefined);
    const cursor = after === undefined || after === '' ? data.lastMetricId() : intParam({ after }, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(`retry: 2000\nid: ${cursor}\nevent: hello\ndata: ${JSON.stringify({ cursor })}\n\n`);
    const send = (event: LiveEvent) => res.write(`${event.type === 'metrics' ? `id: ${event.cursor}\n` : ''}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    const unsubscribe = feed.subscribe({ runs: ids, cursor, send });
    // a comment now and then keeps proxies and idle timers from closing the stream
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const end = () => {
      clearInterval(keepAlive);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    request.raw.on('close', end);
  });
}
