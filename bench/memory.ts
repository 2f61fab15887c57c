/**
 * The memory workload (`npm run bench -- --only memory`): the seed MLP trained with
 * `model.fit` for several epochs in a fresh Node process, its resident set sampled every
 * 50 batches and at each epoch's end, against the bytes that must be held: the dataset
 * (both splits, as sd.datasets.fashionMnist() loads them), the parameters and Adam's two
 * moments.
 *
 * The child is this file run directly: `node --import tsx bench/memory.ts <epochs> <dataDir>`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './workloads.js';

export interface MemoryResult {
  backend: string;
  epochs: number;
  /** Bytes of the dataset (train + test images and labels), the parameters and Adam's state. */
  datasetBytes: number;
  modelBytes: number;
  optimizerBytes: number;
  /** RSS after loading and building, before training. */
  rssBeforeTraining: number;
  /** The largest sampled RSS while training, and the kernel's peak for the whole process. */
  peakRssTraining: number;
  maxRssProcess: number;
  /** RSS at the end of each epoch. */
  rssPerEpoch: number[];
  seconds: number;
}

const SELF = fileURLToPath(import.meta.url);

/** Runs the child process; throws with its last lines if it fails. */
export function runMemory(config: BenchConfig): MemoryResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, String(config.memoryEpochs), config.dataDir], {
    encoding: 'utf8',
    timeout: 20 * 60_000,
  });
  if (child.status !== 0) throw new Error(`bench/memory.ts failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as MemoryResult;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function formatMemory(r: MemoryResult): string {
  const needed = r.datasetBytes + r.modelBytes + r.optimizerBytes;
  const ratio = (x: number) => `${(x / needed).toFixed(2)}x`;
  const lines = [
    `Memory: seed MLP, model.fit, ${r.epochs} epochs, batch 32, Adam, Shendu ${r.backend} backend (${r.seconds.toFixed(0)} s)`,
    `  dataset ${mb(r.datasetBytes)} + model ${mb(r.modelBytes)} + Adam state ${mb(r.optimizerBytes)} = ${mb(needed)}`,
    `  RSS before training    ${mb(r.rssBeforeTraining)} (${ratio(r.rssBeforeTraining)})`,
    `  peak RSS in training   ${mb(r.peakRssTraining)} (${ratio(r.peakRssTraining)}; sampled every 50 batches)`,
    `  peak RSS of process    ${mb(r.maxRssProcess)} (${ratio(r.maxRssProcess)}; includes reading and decompressing the files)`,
    `  RSS at end of epoch    ${r.rssPerEpoch.map((b, i) => `${i + 1}: ${mb(b)}`).join(', ')}`,
  ];
  if (r.rssPerEpoch.length >= 5) {
    const growth = r.rssPerEpoch[4] - r.rssPerEpoch[1];
    lines.push(`  epoch 2 -> epoch 5     ${growth >= 0 ? '+' : ''}${mb(growth)}`);
  }
  return lines.join('\n');
}

async function child(epochs: number, dataDir: string): Promise<void> {
  const sd = await import('../src/index.js');
  const { kerasModel } = await import('./train-shendu.js');
  sd.seed(0);
  const { train, test } = sd.datasets.fashionMnist(dataDir);
  const datasetBytes = [train.x, train.y, test.x, test.y].reduce((n, t) => n + t.values.byteLength, 0);
  const model = kerasModel('mlp');
  const modelBytes = model.getWeights().reduce((n, t) => n + t.values.byteLength, 0);
  global.gc?.();
  const rssBeforeTraining = process.memoryUsage.rss();
  let peak = rssBeforeTraining;
  const rssPerEpoch: number[] = [];
  const start = performance.now();
  await model.fit(train.x, train.y, {
    epochs,
    batchSize: 32,
    verbose: 0,
    callbacks: {
      onBatchEnd: (batch: number) => {
        if (batch % 50 === 0) peak = Math.max(peak, process.memoryUsage.rss());
      },
      onEpochEnd: () => {
        const rss = process.memoryUsage.rss();
        peak = Math.max(peak, rss);
        rssPerEpoch.push(rss);
      },
    },
  });
  const result: MemoryResult = {
    backend: sd.getBackend(),
    epochs,
    datasetBytes,
    modelBytes,
    optimizerBytes: 2 * modelBytes, // Adam: first and second moments
    rssBeforeTraining,
    peakRssTraining: peak,
    maxRssProcess: process.resourceUsage().maxRSS * 1024,
    rssPerEpoch,
    seconds: (performance.now() - start) / 1000,
  };
  console.log(JSON.stringify(result));
}

if (process.argv[1] === SELF) await child(Number(process.argv[2]), process.argv[3]);
