/**
 * The memory workload (`npm run bench -- --only memory`): the seed MLP trained with
 * `model.fit` for several epochs in a fresh Node process, its resident set sampled every
 * 50 batches and at each epoch's end, against the bytes that must be held: the dataset
 * (both splits, as sd.datasets.fashionMnist() loads them), the parameters and Adam's two
 * moments.
 *
 * The child runs what a user runs: this file compiled, `node dist/bench/memory.js <epochs>
 * <dataDir>`, which imports the compiled library (dist/src, built by `npm run build`).
 * When dist/ is missing or older than a source file, it runs the sources with tsx instead
 * (whose compiler adds ~35 MiB of its own), and the report says which.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './workloads.js';

export interface MemoryResult {
  backend: string;
  epochs: number;
  /** How the child ran: the compiled library, or the sources through tsx (and why). */
  runner: string;
  /** RSS of an empty `node -e ''`, and of the child once the library is imported. */
  rssNode: number;
  rssAfterImport: number;
  /** Bytes of the dataset (train + test images and labels), the parameters and Adam's state. */
  datasetBytes: number;
  modelBytes: number;
  optimizerBytes: number;
  /** RSS after loading and building, before training. */
  rssBeforeTraining: number;
  /** The largest sampled RSS while training, and the kernel's peak for the whole process. */
  peakRssTraining: number;
  /** At that sample: V8's heap, and the typed arrays (live or not yet collected). */
  peakHeapTotal: number;
  peakArrayBuffers: number;
  maxRssProcess: number;
  /** RSS at the end of each epoch. */
  rssPerEpoch: number[];
  seconds: number;
}

const SELF = fileURLToPath(import.meta.url);

/** The repository root, whether this file runs as bench/memory.ts or dist/bench/memory.js. */
function repoRoot(): string {
  const up = dirname(dirname(SELF));
  return SELF.endsWith('.ts') ? up : dirname(up);
}

/** The bench files the child imports; the library is all of src/. */
const CHILD_BENCH_FILES = ['bench/memory.ts', 'bench/train-shendu.ts', 'bench/workloads.ts'];

/** Whether the compiled .js of `source` in dist/ is missing or older than it. */
function isStale(root: string, source: string): boolean {
  const compiled = join(root, 'dist', source.replace(/\.ts$/, '.js'));
  return !existsSync(compiled) || statSync(compiled).mtimeMs < statSync(join(root, source)).mtimeMs;
}

/** The first source file under `dir` whose compiled .js is missing or older. */
function staleSource(root: string, dir: string): string | undefined {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const stale = entry.isDirectory()
      ? staleSource(root, path)
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && isStale(root, path)
        ? path
        : undefined;
    if (stale !== undefined) return stale;
  }
  return undefined;
}

/** The child's command: the compiled bench and library when dist/ is up to date, else tsx on the sources. */
function childCommand(root: string): { args: string[]; runner: string } {
  const stale = staleSource(root, 'src') ?? CHILD_BENCH_FILES.find((file) => isStale(root, file));
  if (stale === undefined) {
    return { args: [join(root, 'dist', 'bench', 'memory.js')], runner: 'node on the compiled library (dist/)' };
  }
  const why = existsSync(join(root, 'dist')) ? `dist/ is older than ${stale}` : 'no dist/';
  return { args: ['--import', 'tsx', join(root, 'bench', 'memory.ts')], runner: `tsx on the sources (${why}; npm run build)` };
}

/** RSS of a Node process that runs nothing. */
function nodeBaseline(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.memoryUsage.rss())'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

/** Runs the child process, as Node starts by default; throws with its last lines if it fails. */
export function runMemory(config: BenchConfig): MemoryResult {
  const root = repoRoot();
  const { args, runner } = childCommand(root);
  process.stderr.write(`  child: ${runner}\n`);
  const child = spawnSync(process.execPath, [...args, String(config.memoryEpochs), config.dataDir], {
    encoding: 'utf8',
    timeout: 20 * 60_000,
  });
  if (child.status !== 0) {
    const script = relative(root, args.at(-1) ?? '');
    throw new Error(`${script} failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as Omit<MemoryResult, 'runner' | 'rssNode'>;
  return { ...result, runner, rssNode: nodeBaseline() };
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function formatMemory(r: MemoryResult): string {
  const needed = r.datasetBytes + r.modelBytes + r.optimizerBytes;
  const ratio = (x: number) => `${(x / needed).toFixed(2)}x`;
  const lines = [
    `Memory: seed MLP, model.fit, ${r.epochs} epochs, batch 32, Adam, Shendu ${r.backend} backend (${r.seconds.toFixed(0)} s)`,
    `  child process: ${r.runner}`,
    `  dataset ${mb(r.datasetBytes)} + model ${mb(r.modelBytes)} + Adam state ${mb(r.optimizerBytes)} = ${mb(needed)}`,
    `  RSS of empty node      ${mb(r.rssNode)} (node -e '')`,
    `  RSS after import       ${mb(r.rssAfterImport)} (+${mb(r.rssAfterImport - r.rssNode)}: Shendu's modules and the runner)`,
    `  RSS before training    ${mb(r.rssBeforeTraining)} (${ratio(r.rssBeforeTraining)})`,
    `  peak RSS in training   ${mb(r.peakRssTraining)} (${ratio(r.peakRssTraining)}; sampled every 50 batches)`,
    `  peak RSS of process    ${mb(r.maxRssProcess)} (${ratio(r.maxRssProcess)}; includes reading and decompressing the files)`,
    `  at the sampled peak    typed arrays ${mb(r.peakArrayBuffers)} (${mb(r.peakArrayBuffers - needed)} beyond the needed bytes: ` +
      `batches and gradients of recent steps, most not yet collected), V8 heap ${mb(r.peakHeapTotal)} (committed), ` +
      `other ${mb(r.peakRssTraining - r.peakArrayBuffers - r.peakHeapTotal)} (node, compiled code, freed memory malloc keeps)`,
    `  RSS at end of epoch    ${r.rssPerEpoch.map((b, i) => `${i + 1}: ${mb(b)}`).join(', ')}`,
  ];
  if (r.rssPerEpoch.length >= 5) {
    const growth = r.rssPerEpoch[4] - r.rssPerEpoch[1];
    lines.push(`  epoch 2 -> epoch 5     ${growth >= 0 ? '+' : ''}${mb(growth)}`);
  }
  return lines.join('\n');
}

/**
 * The process's peak RSS. Linux keeps getrusage's maxRSS across execve, so a child spawned
 * by the (large) bench process would report the parent's peak; VmHWM belongs to the new
 * address space.
 */
function highWaterRss(): number {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    if (line) return Number(line.split(/\s+/)[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function child(epochs: number, dataDir: string): Promise<void> {
  const sd = await import('../src/index.js');
  const rssAfterImport = process.memoryUsage.rss();
  const { kerasModel } = await import('./train-shendu.js');
  sd.seed(0);
  const { train, test } = sd.datasets.fashionMnist(dataDir);
  const datasetBytes = [train.x, train.y, test.x, test.y].reduce((n, t) => n + t.values.byteLength, 0);
  const model = kerasModel('mlp');
  const modelBytes = model.getWeights().reduce((n, t) => n + t.values.byteLength, 0);
  global.gc?.();
  const rssBeforeTraining = process.memoryUsage.rss();
  let peak = process.memoryUsage();
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peak.rss) peak = usage;
    return usage.rss;
  };
  const rssPerEpoch: number[] = [];
  const start = performance.now();
  await model.fit(train.x, train.y, {
    epochs,
    batchSize: 32,
    verbose: 0,
    callbacks: {
      onBatchEnd: (batch: number) => {
        if (batch % 50 === 0) sample();
      },
      onEpochEnd: () => {
        rssPerEpoch.push(sample());
      },
    },
  });
  const result: Omit<MemoryResult, 'runner' | 'rssNode'> = {
    backend: sd.getBackend(),
    epochs,
    rssAfterImport,
    datasetBytes,
    modelBytes,
    optimizerBytes: 2 * modelBytes, // Adam: first and second moments
    rssBeforeTraining,
    peakRssTraining: peak.rss,
    peakHeapTotal: peak.heapTotal,
    peakArrayBuffers: peak.arrayBuffers,
    maxRssProcess: highWaterRss(),
    rssPerEpoch,
    seconds: (performance.now() - start) / 1000,
  };
  console.log(JSON.stringify(result));
}

if (process.argv[1] === SELF) await child(Number(process.argv[2]), process.argv[3]);
