/**
 * `shendu serve`: TF Serving's REST API over model files, a TF Serving model folder, or
 * the model registry.
 *
 *   shendu serve --model mnist=mnist.safetensors
 *   shendu serve --model-base-path models/        # models/<name>/<version>/model.safetensors
 *   shendu serve --registry --label mnist:stable=1 --split mnist=stable:90,canary:10 --batching
 *
 * With --registry, requests, errors, latency, weights and labels per version are recorded
 * into the registry's store every 5 s (the dashboard's Models page shows them); --track
 * records them for the other modes too (into --home, $SHENDU_HOME or ./.shendu), and
 * --no-track turns recording off.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startServer, type ModelConfig, type ServerOptions } from '../serve/server.js';
import { ServeError } from '../serve/types.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got '${value}'`);
    return n;
  };
}

/** `name=path`, where path is a model file, a version folder, or `module.js#export` (a factory). */
function parseModel(spec: string): ModelConfig {
  const m = /^([A-Za-z0-9_][\w.-]*)=(.+)$/.exec(spec);
  if (!m) throw new ServeError(400, `--model: expected name=path, got '${spec}'`);
  const [, name, target] = m;
  const factory = /^(.+\.(?:m?js|ts))#([A-Za-z_$][\w$]*)$/.exec(target);
  if (factory) return { name, source: { kind: 'factory', module: path.resolve(factory[1]), export: factory[2] } };
  return { name, path: path.resolve(target) };
}

/** `name:label=version` */
function parseLabel(spec: string, labels: Record<string, Record<string, number>>): void {
  const m = /^([^:]+):([A-Za-z_][\w-]*)=(\d+)$/.exec(spec);
  if (!m) throw new ServeError(400, `--label: expected name:label=version (e.g. mnist:stable=1), got '${spec}'`);
  (labels[m[1]] ??= {})[m[2]] = Number(m[3]);
}

/** `name=1:90,2:10` */
function parseSplitFlag(spec: string, splits: Record<string, unknown>): void {
  const m = /^([^=]+)=(.+)$/.exec(spec);
  if (!m) throw new ServeError(400, `--split: expected name=version:weight,... (e.g. mnist=1:90,2:10), got '${spec}'`);
  splits[m[1]] = m[2];
}

interface ServeFlags {
  model: string[];
  modelBasePath?: string;
  registry?: boolean;
  home?: string;
  track?: boolean;
  trackInterval: number;
  host: string;
  port: number;
  token?: string;
  workers?: number;
  kernelThreads: number;
  batching?: boolean;
  maxBatchSize: number;
  batchTimeoutMicros: number;
  maxQueueSize: number;
  bodyLimit: number;
  pollInterval: number;
  label: string[];
  split: string[];
  clientKeyHeader: string;
}

async function serve(flags: ServeFlags): Promise<void> {
  const labels: Record<string, Record<string, number>> = {};
  const splits: Record<string, unknown> = {};
  flags.label.forEach((l) => parseLabel(l, labels));
  flags.split.forEach((s) => parseSplitFlag(s, splits));
  const options: ServerOptions = {
    host: flags.host,
    port: flags.port,
    token: flags.token ?? process.env.SHENDU_SERVE_TOKEN,
    models: flags.model.map(parseModel),
    modelBasePath: flags.modelBasePath ? path.resolve(flags.modelBasePath) : undefined,
    registry: flags.registry ? { home: flags.home } : undefined,
    track: flags.track === false ? false : flags.track || flags.registry ? { home: flags.home, intervalMs: flags.trackInterval } : undefined,
    workers: flags.workers,
    kernelThreads: flags.kernelThreads,
    batching: { enabled: flags.batching ?? false, maxBatchSize: flags.maxBatchSize, batchTimeoutMicros: flags.batchTimeoutMicros, maxQueueSize: flags.maxQueueSize },
    bodyLimit: flags.bodyLimit,
    pollIntervalMs: flags.pollInterval,
    labels,
    splits,
    clientKeyHeader: flags.clientKeyHeader,
    log: (line) => console.error(`shendu serve: ${line}`),
  };
  const server = await startServer(options);
  server.handleSignals();
  console.error(`shendu serve: listening on ${server.url} (REST API of TF Serving: ${server.url}/v1/models/<name>:predict)`);
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve models over HTTP with the REST API of TensorFlow Serving')
    .option('-m, --model <name=path>', 'a model file, a version folder (<dir>/<version>/model.safetensors) or module.js#factory; repeatable', collect, [])
    .option('--model-base-path <dir>', 'a folder of model folders: <dir>/<name>/<version>/model.safetensors')
    .option('--registry', 'serve the models of the registry (versions, and aliases as labels)')
    .option('--home <dir>', 'the tracking store of --registry and --track (default $SHENDU_HOME or ./.shendu)')
    .option('--track', 'record per-version requests, errors and latency into the tracking store (default with --registry)')
    .option('--no-track', 'do not record serving statistics')
    .option('--track-interval <ms>', 'how often serving statistics are recorded', integer(100), 5000)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('-p, --port <n>', 'port (0: any free port)', integer(0), 8501)
    .option('--token <token>', 'require Authorization: Bearer <token> (or set SHENDU_SERVE_TOKEN)')
    .option('--workers <n>', 'inference worker threads (default: cores - 1)', integer(1))
    .option('--kernel-threads <n>', 'native kernel threads per worker', integer(1), 1)
    .option('--batching', 'merge concurrent requests into batches')
    .option('--max-batch-size <n>', 'rows per batch at most', integer(1), 64)
    .option('--batch-timeout-micros <n>', 'how long a batch waits to fill', integer(0), 1000)
    .option('--max-queue-size <n>', 'requests waiting for a worker at most (then 503)', integer(1), 1024)
    .option('--body-limit <bytes>', 'largest request body (then 413)', integer(1), 16 * 1024 * 1024)
    .option('--poll-interval <ms>', 'how often to look for new versions (0: never)', integer(0), 1000)
    .option('--label <name:label=version>', 'a version label, e.g. mnist:stable=1; repeatable', collect, [])
    .option('--split <name=v:w,...>', 'A/B split of default traffic, e.g. mnist=1:90,2:10; repeatable', collect, [])
    .option('--client-key-header <name>', 'header that keeps a client on one A/B version', 'x-client-id')
    .action(async (flags: ServeFlags) => {
      try {
        await serve(flags);
      } catch (err) {
        // Bad flags, a port in use, an unreadable registry: say so and exit 1.
        console.error(`shendu serve: ${(err as Error).message}`);
        process.exit(1);
      }
    });
}
