/**
 * `npm run bench:serve`: the model server under load. Builds the seed's MNIST model
 * (Flatten → Dense 128 relu → Dropout → Dense 10 softmax) with the Keras API, saves it,
 * starts `shendu serve` on it in its own process, and drives it with autocannon: 64
 * connections for 30 s, each request one instance (`{"instances": [28x28 pixels]}`) —
 * first without batching, then with dynamic batching. Prints throughput, p50, p99 and
 * errors of each run.
 *
 *   npm run bench:serve
 *   npm run bench:serve -- --duration 10 --connections 32
 *   npm run bench:serve -- --only batching --max-batch-size 32 --batch-timeout-micros 500
 *
 * Targets on a 2-core machine: >= 5,000 requests/s with batching, p99 <= 25 ms, no errors.
 * Absolute figures drift with the machine and its load; no test asserts them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Command, InvalidArgumentError } from 'commander';
import * as sd from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return n;
}

const program = new Command('bench:serve')
  .option('--duration <s>', 'seconds per run', int, 30)
  .option('--connections <n>', 'concurrent connections', int, 64)
  .option('--workers <n>', 'inference workers of the server (default: the server default)', int)
  .option('--max-batch-size <n>', 'rows per batch with batching', int, 64)
  .option('--batch-timeout-micros <n>', 'batch timeout with batching', int, 1000)
  .option('--only <run>', "one run: 'plain' or 'batching'")
  .option('--port <n>', 'port of the server', int, 18501)
  .parse();
const flags = program.opts<{ duration: number; connections: number; workers?: number; maxBatchSize: number; batchTimeoutMicros: number; only?: string; port: number }>();

/** The seed's MNIST model, saved as a model file (untrained: serving cost does not depend on the weights). */
function saveMnist(file: string): void {
  sd.seed(0);
  const model = sd.sequential([
    sd.layers.flatten({ inputShape: [28, 28] }),
    sd.layers.dense({ units: 128, activation: 'relu' }),
    sd.layers.dropout({ rate: 0.2 }),
    sd.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.save(file);
}

/** Starts `shendu serve` in a child process and resolves once it answers /healthz with the model available. */
async function startServer(file: string, extra: string[]): Promise<ChildProcess> {
  const args = ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'serve', '--model', `mnist=${file}`, '--port', String(flags.port), '--poll-interval', '0', ...extra];
  if (flags.workers !== undefined) args.push('--workers', String(flags.workers));
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${log}`);
    try {
      const health = (await (await fetch(`http://127.0.0.1:${flags.port}/healthz`)).json()) as { models: Record<string, { available: number[] }> };
      if (health.models.mnist?.available.length) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`the server did not start within 60 s:\n${log}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

interface Figures {
  run: string;
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  total: number;
}

async function load(run: string, body: string): Promise<Figures> {
  const url = `http://127.0.0.1:${flags.port}/v1/models/mnist:predict`;
  // A short warm-up, so the figures are of the steady state.
  await autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: flags.connections, duration: 2 });
  const r = await autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: flags.connections, duration: flags.duration });
  return { run, requestsPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, total: r['2xx'] + r.non2xx };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'shendu-bench-serve-'));
try {
  const file = path.join(dir, 'mnist.safetensors');
  saveMnist(file);
  sd.seed(1);
  const image = sd.rand([28, 28]).array();
  const body = JSON.stringify({ instances: [image] });
  console.log(`MNIST model (Flatten → Dense 128 relu → Dropout → Dense 10 softmax); ${flags.connections} connections, ${flags.duration} s per run, one instance per request (${body.length} bytes)`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const runs: [string, string[]][] = [
    ['plain', []],
    ['batching', ['--batching', '--max-batch-size', String(flags.maxBatchSize), '--batch-timeout-micros', String(flags.batchTimeoutMicros)]],
  ];
  const results: Figures[] = [];
  for (const [run, extra] of runs) {
    if (flags.only && flags.only !== run) continue;
    const child = await startServer(file, extra);
    try {
      const f = await load(run, body);
      results.push(f);
      console.log(`${run.padEnd(9)} ${f.requestsPerSec.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(5)} ms   p99 ${f.p99.toFixed(1).padStart(5)} ms   errors ${f.errors} of ${f.total}`);
    } finally {
      await stopServer(child);
    }
  }
  const batched = results.find((r) => r.run === 'batching');
  if (batched) {
    const ok = batched.requestsPerSec >= 5000 && batched.p99 <= 25 && batched.errors === 0;
    console.log(`targets (>= 5,000 req/s with batching, p99 <= 25 ms, no errors): ${ok ? 'met' : 'not met'}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
