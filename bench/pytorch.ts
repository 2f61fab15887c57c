/**
 * PyTorch as a competitor: runs bench/pytorch.py under Debian's /usr/bin/python3 (which has
 * python3-torch) once per thread setting and reads the JSON it prints.
 *
 * Three competitors come out: `torch-1t` (one torch thread, one BLAS thread), `torch-2t`
 * (the best, per workload, of the settings with two threads) and `torch-best` (the
 * fastest of all four settings, per workload: the targets compare against it). torch.mm calls the system
 * BLAS, whose threads are set through its own environment variable, not by
 * torch.set_num_threads; when that BLAS is not OpenBLAS the variable does nothing and
 * only the 2×2 setting is run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchConfig, CompetitorResults, Result, Timed } from './workloads.js';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./pytorch.py', import.meta.url));

interface ThreadSetting {
  torch: number;
  blas: number;
}

interface TorchRun {
  torch: string;
  threads: number;
  blas: string;
  results: Record<string, Result>;
}

/** Whether `import torch` works under /usr/bin/python3. */
export function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs the workloads of `config` on PyTorch. `progress` receives one line per
 * subprocess, since each takes a few seconds.
 */
export function runTorch(config: BenchConfig, progress: (line: string) => void): CompetitorResults[] {
  progress('torch 1 thread (torch 1, BLAS 1)');
  const single = runSetting(config, { torch: 1, blas: 1 });
  const openBlas = /openblas/i.test(single.blas);
  const settings: ThreadSetting[] = openBlas
    ? [{ torch: 2, blas: 2 }, { torch: 2, blas: 1 }, { torch: 1, blas: 2 }]
    : [{ torch: 2, blas: 2 }];
  const runs = settings.map((setting) => {
    progress(`torch 2 threads (torch ${setting.torch}, BLAS ${setting.blas})`);
    return { setting, run: runSetting(config, setting) };
  });

  const library = `torch.mm calls ${describeBlas(single.blas)}`;
  const oneThread: CompetitorResults = {
    name: 'torch-1t',
    shendu: false,
    about: `PyTorch ${single.torch}, torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1, ${library}`,
    results: new Map(Object.entries(single.results)),
  };

  const bestTwo = new Map<string, Result>();
  const chosen: string[] = [];
  for (const id of Object.keys(single.results)) {
    let pick: { result: Result; setting: ThreadSetting } | undefined;
    for (const { setting, run } of runs) {
      const result = run.results[id];
      if (!pick || faster(result, pick.result)) pick = { result, setting };
    }
    if (!pick) continue;
    bestTwo.set(id, pick.result);
    if (runs.length > 1) chosen.push(`${id} ${pick.setting.torch}x${pick.setting.blas}`);
  }
  const tried = settings.map((s) => `${s.torch}x${s.blas}`).join(', ');
  const twoThreads: CompetitorResults = {
    name: 'torch-2t',
    shendu: false,
    about:
      `PyTorch ${single.torch}, best per workload of torch x BLAS threads ${tried}` +
      (chosen.length > 0 ? ` (chosen: ${chosen.join(', ')})` : ''),
    results: bestTwo,
  };
  // the comparison: PyTorch at its fastest setting, whatever the thread counts
  const fastest = new Map<string, Result>();
  const fastestChosen: string[] = [];
  const all = [{ setting: { torch: 1, blas: 1 }, run: single }, ...runs];
  for (const id of Object.keys(single.results)) {
    let pick: { result: Result; setting: ThreadSetting } | undefined;
    for (const { setting, run } of all) {
      const result = run.results[id];
      if (!pick || faster(result, pick.result)) pick = { result, setting };
    }
    if (!pick) continue;
    fastest.set(id, pick.result);
    fastestChosen.push(`${id} ${pick.setting.torch}x${pick.setting.blas}`);
  }
  const best: CompetitorResults = {
    name: 'torch-best',
    shendu: false,
    about: `PyTorch ${single.torch}, fastest per workload of torch x BLAS threads 1x1, ${tried} (chosen: ${fastestChosen.join(', ')})`,
    results: fastest,
  };
  return [oneThread, twoThreads, best];
}

/** Names the BLAS library behind torch.mm from its resolved path. */
function describeBlas(path: string): string {
  if (/openblas/i.test(path)) return `OpenBLAS (${path})`;
  if (/mkl/i.test(path)) return `MKL (${path})`;
  if (/blis/i.test(path)) return `BLIS (${path})`;
  // Debian's libblas3: the netlib reference implementation, one thread whatever the settings
  if (/\/blas\/libblas/.test(path)) return `the reference BLAS, single-threaded (${path})`;
  return `BLAS ${path}`;
}

function faster(a: Result | undefined, b: Result): boolean {
  if (a?.status !== 'ok') return false;
  return b.status !== 'ok' || a.bestMs < (b as Timed).bestMs;
}

function runSetting(config: BenchConfig, setting: ThreadSetting): TorchRun {
  const env = {
    ...process.env,
    TORCH_THREADS: String(setting.torch),
    OPENBLAS_NUM_THREADS: String(setting.blas),
  };
  const child = spawnSync(PYTHON, [SCRIPT, JSON.stringify(config)], {
    env,
    encoding: 'utf8',
    timeout: 10 * 60_000,
    maxBuffer: 16 << 20,
  });
  if (child.status !== 0) {
    const reason = child.error?.message ?? child.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`bench/pytorch.py failed (exit ${child.status}): ${reason}`);
  }
  const lastLine = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as TorchRun;
}
