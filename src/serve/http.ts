/**
 * The HTTP routes: TF Serving's REST API, the admin endpoints (labels, A/B split, per
 * version statistics), `/healthz` and `/metrics`.
 *
 * | method | path | |
 * |---|---|---|
 * | GET | `/v1/models/{name}[/versions/{v} \| /labels/{label}]` | `model_version_status` |
 * | GET | `.../metadata` | the signature |
 * | POST | `...:predict` \| `:classify` \| `:regress` | inference |
 * | POST, DELETE | `/v1/admin/models/{name}/labels/{label}` `{"version": n}` | move or drop a label |
 * | POST, DELETE | `/v1/admin/models/{name}/split` `{"weights": {"1": 90, "2": 10}}` | the A/B split |
 * | GET | `/v1/admin/models/{name}/stats` | requests, errors and latency per version |
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeExamples, decodePredict, type DecodedRequest } from './decode.js';
import { checkClassifier, checkRegressor, encodeClassify, encodePredict, encodeRegress } from './encode.js';
import type { ModelManager, Servable, VersionRequest } from './manager.js';
import type { ServeMetrics, Histogram, Counter } from './metrics.js';
import type { Batcher } from './batcher.js';
import { parseSplit } from './router.js';
import { ServeError, TF_DTYPES, type Signature, type TensorSpec, type WireTensors } from './types.js';

export interface RouteContext {
  manager: ModelManager;
  batcher: Batcher;
  metrics: ServeMetrics;
  /** Latency and errors per version, for the A/B comparison. */
  versionLatency: Histogram;
  versionErrors: Counter;
  /** The header whose value keeps a client on one A/B version. */
  clientKeyHeader: string;
}

const PREDICT_PATH = /^([^/:]+)(?:\/versions\/([^/:]+)|\/labels\/([^/:]+))?:(predict|classify|regress)$/;
const STATUS_PATH = /^([^/:]+)(?:\/versions\/([^/:]+)|\/labels\/([^/:]+))?(\/metadata)?\/?$/;

const JSON_TYPE = 'application/json';

function malformed(request: FastifyRequest): ServeError {
  return new ServeError(404, `Malformed request: ${request.method} ${request.url}`);
}

/** The model and the version or label a path names. */
function target(m: RegExpExecArray, request: FastifyRequest): { name: string; spec: VersionRequest } {
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw malformed(request);
    }
  };
  const name = decode(m[1]);
  if (m[2] !== undefined) {
    if (!/^\d+$/.test(m[2])) throw new ServeError(404, `Malformed request: ${request.method} ${request.url}: the version must be an integer, got '${decode(m[2])}'`);
    return { name, spec: { version: Number(m[2]) } };
  }
  if (m[3] !== undefined) return { name, spec: { label: decode(m[3]) } };
  return { name, spec: {} };
}

function statusJSON(servables: Servable[]): unknown {
  return {
    model_version_status: servables.map((s) => ({
      version: String(s.version),
      state: s.state,
      status: { error_code: s.error ? 'UNKNOWN' : 'OK', error_message: s.error },
    })),
  };
}

function tensorInfo(spec: TensorSpec): unknown {
  return {
    dtype: TF_DTYPES[spec.dtype],
    tensor_shape: { dim: spec.shape.map((d) => ({ size: String(d), name: '' })), unknown_rank: false },
    name: `${spec.name}:0`,
  };
}

function metadataJSON(servable: Servable): unknown {
  const signature = servable.signature as Signature;
  return {
    model_spec: { name: servable.name, signature_name: '', version: String(servable.version) },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: Object.fromEntries(signature.inputs.map((s) => [s.name, tensorInfo(s)])),
            outputs: Object.fromEntries(signature.outputs.map((s) => [s.name, tensorInfo(s)])),
            method_name: 'tensorflow/serving/predict',
          },
        },
      },
    },
  };
}

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { manager, batcher, metrics } = ctx;

  app.get('/healthz', async () => {
    const models: Record<string, { available: number[]; loading: number[]; failed: number[] }> = {};
    for (const [name, m] of manager.models) {
      const of = (pred: (s: Servable) => boolean) => [...m.versions.values()].filter(pred).map((s) => s.version);
      models[name] = { available: of((s) => s.state === 'AVAILABLE'), loading: of((s) => s.state === 'LOADING' || s.state === 'START'), failed: of((s) => s.state === 'END' && s.error !== '') };
    }
    return { status: 'ok', queued: batcher.queued, models };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return metrics.render();
  });

  app.get('/v1/models/*', async (request) => {
    const m = STATUS_PATH.exec((request.params as { '*': string })['*']);
    if (!m) throw malformed(request);
    const { name, spec } = target(m, request);
    if (m[4]) {
      const servable = manager.resolve(name, { ...spec, latest: true });
      return metadataJSON(servable);
    }
    return statusJSON(manager.status(name, spec));
  });

  app.post('/v1/models/*', async (request, reply) => {
    const start = performance.now();
    const m = PREDICT_PATH.exec((request.params as { '*': string })['*']);
    if (!m) throw malformed(request);
    const { name, spec } = target(m, request);
    const method = m[4] as 'predict' | 'classify' | 'regress';
    let version = 'none';
    let code = 200;
    try {
      const key = request.headers[ctx.clientKeyHeader];
      const servable = manager.resolve(name, { ...spec, clientKey: typeof key === 'string' ? key : null });
      version = String(servable.version);
      const signature = servable.signature as Signature;
      let decoded: DecodedRequest;
      if (method === 'predict') {
        decoded = decodePredict(request.body, signature);
      } else {
        if (method === 'classify') checkClassifier(signature);
        else checkRegressor(signature);
        decoded = decodeExamples(request.body, signature);
      }
      const result = await batcher.submit(servable.key, decoded.inputs, decoded.rows);
      metrics.batchSize.observe([name, version], result.batchSize);
      metrics.inference.observe([name, version], result.micros / 1e6);
      const outputs: WireTensors = result.outputs;
      const text = method === 'predict' ? encodePredict(decoded.format, outputs, signature) : method === 'classify' ? encodeClassify(outputs, signature) : encodeRegress(outputs, signature);
      reply.header('content-type', JSON_TYPE).header('x-model-version', version);
      return reply.send(text);
    } catch (err) {
      code = err instanceof ServeError ? err.status : 500;
      throw err;
    } finally {
      const seconds = (performance.now() - start) / 1000;
      metrics.requests.inc([name, version, method, String(code)]);
      metrics.latency.observe([name, version, method], seconds);
      if (version !== 'none') {
        ctx.versionLatency.observe([name, version], seconds);
        if (code !== 200) ctx.versionErrors.inc([name, version]);
      }
    }
  });

  // ---- admin -------------------------------------------------------------------------

  const body = (request: FastifyRequest): Record<string, unknown> => {
    const b = request.body;
    if (b === undefined || b === null) return {};
    if (typeof b !== 'object' || Array.isArray(b)) throw new ServeError(400, 'the request body must be a JSON object');
    return b as Record<string, unknown>;
  };
  type NameParams = { name: string; label?: string };

  app.post('/v1/admin/models/:name/labels/:label', async (request) => {
    const { name, label } = request.params as Required<NameParams>;
    const version = body(request).version;
    const number = typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : version;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) throw new ServeError(400, `expected {"version": <positive integer>}, got ${JSON.stringify(version)}`);
    if (!/^[A-Za-z_][\w-]{0,63}$/.test(label)) throw new ServeError(400, `a label starts with a letter or '_' and holds letters, digits, '_' and '-', got '${label}'`);
    const active = manager.setLabel(name, label, number);
    return { model: name, label, version: number, state: active ? 'ACTIVE' : 'PENDING' };
  });

  app.delete('/v1/admin/models/:name/labels/:label', async (request) => {
    const { name, label } = request.params as Required<NameParams>;
    manager.deleteLabel(name, label);
    return { model: name, label, deleted: true };
  });

  app.post('/v1/admin/models/:name/split', async (request) => {
    const { name } = request.params as NameParams;
    const b = body(request);
    const split = parseSplit(b.weights ?? b.split);
    manager.setSplit(name, split);
    return { model: name, split };
  });

  app.delete('/v1/admin/models/:name/split', async (request) => {
    const { name } = request.params as NameParams;
    manager.setSplit(name, null);
    return { model: name, split: null };
  });

  app.get('/v1/admin/models/:name/stats', async (request) => {
    const { name } = request.params as NameParams;
    const model = manager.models.get(name);
    if (!model) throw new ServeError(404, `Servable not found for request: Latest(${name})`);
    const split = manager.resolvedSplit(model);
    const total = split.reduce((a, s) => a + s.weight, 0);
    const ms = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e3 : null);
    const versions = [...model.versions.values()]
      .sort((a, b) => a.version - b.version)
      .map((s) => {
        const series = [name, String(s.version)];
        const h = ctx.versionLatency.get(series);
        return {
          version: s.version,
          state: s.state,
          labels: [...model.labels].filter(([, v]) => v === s.version).map(([l]) => l),
          traffic_share: total > 0 ? (split.find((w) => w.version === s.version)?.weight ?? 0) / total : null,
          requests: h?.count ?? 0,
          errors: ctx.versionErrors.get(series),
          latency_ms: {
            mean: h && h.count ? ms(h.sum / h.count) : null,
            p50: ms(ctx.versionLatency.quantile(series, 0.5)),
            p99: ms(ctx.versionLatency.quantile(series, 0.99)),
          },
        };
      });
    return { model: name, split: model.split, versions };
  });
}

/** Sends `{"error": message}` with the error's status. */
export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', JSON_TYPE).send(JSON.stringify({ error: message }));
}
