/**
 * `npm run bench`: GEMM and conv2d on every Shendu backend present, against TensorFlow.js
 * (cpu and wasm backends) and PyTorch, in one run, printed as figures and ratios.
 *
 *   npm run bench                      # full run, a minute or so on 2 cores
 *   npm run bench -- --quick           # smoke test: small sizes, few repetitions
 *   npm run bench -- --only gemm       # workload families (gemm, conv, mlp, cnn; memory runs only when named)
 *   npm run bench -- --only mlp,cnn    # training: the seed MLP and the two-convolution CNN on Fashion-MNIST
 *   npm run bench -- --only memory     # peak RSS of five MLP epochs against data + model + optimizer state
 *   npm run bench -- --skip torch      # leave competitors out (tfjs-cpu, tfjs-wasm, torch)
 *   npm run bench -- --json out.json   # also write the results as JSON
 *
 * Absolute figures drift from run to run on shared machines; the ratios are the point.
 * No test asserts any of these numbers.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { measure } from './measure.js';
import { formatMemory, runMemory } from './memory.js';
import { formatReport, fmt } from './report.js';
import { NATIVE_ONE_THREAD, shenduAbout, shenduBackends, shenduOn } from './shendu.js';
import { tfjsOn, type TfjsBackend } from './tfjs.js';
import { runTorch, torchAvailable, PYTHON } from './pytorch.js';
import {
  DEFAULT_FAMILIES,
  FAMILIES,
  FULL_CONFIG,
  QUICK_CONFIG,
  describeConv,
  describeTraining,
  figure,
  untimed,
  workloadsOf,
  type BenchConfig,
  type CompetitorResults,
  type Family,
  type Prepare,
  type Result,
  type Row,
  type Workload,
} from './workloads.js';

const COMPETITORS = ['tfjs-cpu', 'tfjs-wasm', 'torch'] as const;

interface Options {
  quick: boolean;
  only: Family[];
  skip: string[];
  json?: string;
}

function listOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T[] => {
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new InvalidArgumentError(`expected one or more of ${allowed.join(', ')}`);
    for (const item of items) {
      if (!allowed.includes(item as T)) {
        throw new InvalidArgumentError(`unknown ${what} '${item}' (expected ${allowed.join(', ')})`);
      }
    }
    return items as T[];
  };
}

function parseOptions(argv: string[]): Options {
  const program = new Command('bench')
    .description('Shendu against TensorFlow.js and PyTorch: GEMM GFLOP/s and conv2d forward/backward time')
    .option('--quick', 'small sizes and few repetitions: a smoke test of the whole run', false)
    .addOption(
      new Option('--only <families>', `workload families, comma-separated: ${FAMILIES.join(', ')}`)
        .argParser(listOf(FAMILIES, 'workload'))
        .default([...DEFAULT_FAMILIES], DEFAULT_FAMILIES.join(',')),
    )
    .addOption(
      new Option('--skip <competitors>', `competitors to leave out, comma-separated: ${COMPETITORS.join(', ')}`)
        .argParser(listOf(COMPETITORS, 'competitor'))
        .default([], 'none'),
    )
    .option('--json <file>', 'also write the results to this JSON file')
    .parse(argv);
  return program.opts<Options>();
}

const log = (line: string) => process.stderr.write(line + '\n');

/** One progress line on stderr, so that stdout holds only the report. */
function logResult(name: string, workload: Workload, result: Result, seconds?: number): void {
  const shown = result.status === 'ok' ? `${fmt(figure(workload, result))} ${workload.unit} [${result.reps}]` : result.status;
  const took = seconds === undefined ? '' : ` (${seconds.toFixed(1)} s)`;
  log(`  ${name.padEnd(10)} ${workload.label.padEnd(18)} ${shown.padEnd(24)}${took}`.trimEnd());
}

/** Times every workload with `prepare`, logging each as it finishes. */
async function measureAll(name: string, rows: Row[], prepare: Prepare, config: BenchConfig): Promise<Map<string, Result>> {
  const results = new Map<string, Result>();
  for (const { workload, run } of rows) {
    const start = performance.now();
    let result: Result;
    try {
      result = await measure(await prepare(run), run.kind === 'train' ? run.timing : config.timing);
    } catch (error) {
      result = untimed(error); // setting up the inputs failed
    }
    results.set(workload.id, result);
    logResult(name, workload, result, (performance.now() - start) / 1000);
  }
  return results;
}

function whyNot(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
  return missing ? `${message} (the dev dependencies are installed by npm install)` : message;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const base = options.quick ? QUICK_CONFIG : FULL_CONFIG;
  const config: BenchConfig = { ...base, families: options.only };
  const rows = workloadsOf(config);
  const started = performance.now();

  const cpu = os.cpus();
  console.log(`Shendu benchmark${options.quick ? ' (--quick: small sizes, figures mean little)' : ''}`);
  // other processes on the cores skew the figures, two-thread ones most: say how busy they were
  const load = os.loadavg()[0].toFixed(2);
  console.log(`node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), ${os.platform()} ${os.arch()}, load average ${load}`);
  if (os.loadavg()[0] > cpu.length - 0.5) {
    console.log(`(other processes are using the CPUs: figures of multi-threaded competitors will be low and erratic)`);
  }
  console.log(`Shendu backends: ${shenduBackends().join(', ')}`);
  if (config.families.includes('gemm')) console.log(`matmul: random float32 square matrices, GFLOP/s = 2n^3 / best time`);
  if (config.families.includes('conv')) {
    console.log(`conv2d: ${describeConv(config.conv)}, stride 1, no padding; fwd+bwd = forward, sum, backward to x and weight`);
  }
  for (const model of ['mlp', 'cnn'] as const) {
    if (config.families.includes(model)) console.log(describeTraining(model, config[model]));
  }
  if (config.families.includes('mlp')) console.log(`add [4] per op: ${config.overheadOps} sd.add (tf.add, torch.add) of two 4-element tensors, time per op`);
  const { budgetMs, maxReps, longCallMs, warmupMs } = config.timing;
  console.log(
    `timing: warm-up calls for ${warmupMs} ms (at least one), then up to ${maxReps} timed calls or ${budgetMs} ms of them; a first call over ${longCallMs} ms is the only one`,
  );
  console.log('');

  const competitors: CompetitorResults[] = [];
  const unavailable: string[] = [];

  for (const backend of rows.length > 0 ? shenduBackends() : []) {
    log(`shendu ${backend}`);
    // one thread is measured on SGEMM only, the 1-thread target, to keep the run short
    const measured = backend === NATIVE_ONE_THREAD ? rows.filter((r) => r.workload.family === 'gemm') : rows;
    const results = await measureAll(backend, measured, shenduOn(backend), config);
    competitors.push({ name: backend, shendu: true, about: shenduAbout(backend), results });
  }

  for (const backend of ['cpu', 'wasm'] as TfjsBackend[]) {
    const name = `tfjs-${backend}`;
    if (options.skip.includes(name) || rows.length === 0) continue;
    log(name);
    try {
      const { prepare, about } = await tfjsOn(backend);
      competitors.push({ name, shendu: false, about, results: await measureAll(name, rows, prepare, config) });
    } catch (error) {
      unavailable.push(`${name}: could not run: ${whyNot(error)}`);
    }
  }

  if (!options.skip.includes('torch') && rows.length > 0) {
    if (!torchAvailable()) {
      unavailable.push(`torch: not measured: '${PYTHON} -c "import torch"' fails (Debian: apt install python3-torch)`);
    } else {
      try {
        const torchResults = runTorch(config, log);
        for (const c of torchResults) {
          for (const { workload } of rows) {
            const result = c.results.get(workload.id);
            if (result) logResult(c.name, workload, result);
          }
        }
        competitors.push(...torchResults);
      } catch (error) {
        unavailable.push(`torch: could not run: ${whyNot(error)}`);
      }
    }
  }

  if (rows.length > 0) console.log(formatReport(rows.map((r) => r.workload), competitors));
  for (const line of unavailable) console.log(line);
  if (config.families.includes('memory')) {
    log('memory: the seed MLP, native backend if built');
    console.log('', formatMemory(runMemory(config)));
  }
  console.log('');
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);

  if (options.json) {
    const json = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpu[0]?.model.trim(),
      cpus: cpu.length,
      loadAverage: os.loadavg()[0],
      config,
      workloads: rows.map((r) => r.workload),
      competitors: competitors.map((c) => ({ ...c, results: Object.fromEntries(c.results) })),
      unavailable,
    };
    writeFileSync(options.json, JSON.stringify(json, null, 2) + '\n');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
