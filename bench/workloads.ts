/**
 * What the benchmark measures, shared by every competitor: the workloads, their sizes in
 * the full and the quick run, how long each may be timed, and the shape of a result.
 */

/** A workload family, as named on the command line (`--only gemm`). */
export type Family = 'gemm' | 'conv' | 'mlp' | 'cnn' | 'memory';
export const FAMILIES: readonly Family[] = ['gemm', 'conv', 'mlp', 'cnn', 'memory'];
/** Families run by default; `memory` (five epochs in a child process) only with --only. */
export const DEFAULT_FAMILIES: readonly Family[] = ['gemm', 'conv', 'mlp', 'cnn'];

/** x [batch, channels, height, width] convolved with `filters` kernels of kernel×kernel, stride 1, no padding. */
export interface ConvSpec {
  batch: number;
  channels: number;
  height: number;
  width: number;
  filters: number;
  kernel: number;
}

/**
 * How a workload is timed (see measure.ts): untimed warm-up calls for `warmupMs` (at least
 * one), then timed calls until `maxReps` or until `budgetMs` of timed calls; a first call
 * slower than `longCallMs` is itself the only sample.
 */
export interface Timing {
  budgetMs: number;
  maxReps: number;
  longCallMs: number;
  warmupMs: number;
}

/**
 * A training workload: Fashion-MNIST, batches of `batchSize`, Adam (lr 1e-3), the first
 * `batches` batches of the training set (0: the whole epoch) after `warmupBatches` untimed
 * ones. `slowBatches` is what a slow competitor (Shendu js, tfjs cpu) trains instead; the
 * figure is per sample, so the counts compare.
 */
export interface TrainSpec {
  batchSize: number;
  batches: number;
  warmupBatches: number;
  slowBatches: number;
}

export interface BenchConfig {
  families: Family[];
  gemmSizes: number[];
  conv: ConvSpec;
  timing: Timing;
  mlp: TrainSpec;
  cnn: TrainSpec;
  /** Tiny adds per timed call of the per-op overhead row. */
  overheadOps: number;
  /** Epochs of the memory workload. */
  memoryEpochs: number;
  /** Folder of the Fashion-MNIST IDX files. */
  dataDir: string;
}

/**
 * Training rows: the warm-up batches run while preparing, then two timed runs over the
 * row's samples (each a new shuffled pass), the faster kept (longCallMs 0: see
 * measure.ts); a run over 15 s (the slowest competitors) is not repeated.
 */
export const TRAIN_TIMING: Timing = { budgetMs: 15_000, maxReps: 2, longCallMs: 0, warmupMs: 0 };

/** Samples in a Fashion-MNIST training epoch, for the extrapolated epoch times. */
export const EPOCH_SAMPLES = 60_000;

/** One row of the table. GEMM rows are reported in GFLOP/s, convolution rows in ms. */
export interface Workload {
  id: string;
  family: Family;
  label: string;
  unit: 'GFLOP/s' | 'ms' | 'µs/sample' | 'µs/op';
  /** Floating-point operations of one call, for GFLOP/s rows. */
  flops?: number;
}

/**
 * The seed MLP (Flatten → Dense 128 relu → Dropout 0.2 → Dense 10) or the two-convolution
 * CNN (conv 5×5×32 same, relu, pool 2, conv 5×5×64 same, relu, pool 2, flatten, dense 1024
 * relu, dropout 0.4, dense 10), trained Keras-style (`fit`) or with a PyTorch-style loop.
 * PyTorch has only the loop: it runs that for both rows.
 */
export type Model = 'mlp' | 'cnn';
export type TrainStyle = 'fit' | 'loop';

export type WorkloadCase =
  | { kind: 'gemm'; n: number }
  | { kind: 'convForward'; spec: ConvSpec }
  | { kind: 'convForwardBackward'; spec: ConvSpec }
  | { kind: 'train'; model: Model; style: TrainStyle; spec: TrainSpec; dataDir: string; timing: Timing }
  | { kind: 'opOverhead'; ops: number };

/**
 * Samples a competitor trains in a training row: `slow` ones (Shendu js, tfjs cpu) the
 * `slowBatches`; 0 batches means the whole epoch.
 */
export function trainSamples(spec: TrainSpec, slow: boolean): number {
  const batches = slow ? spec.slowBatches : spec.batches;
  return batches === 0 ? EPOCH_SAMPLES : batches * spec.batchSize;
}

export function gemmId(n: number): string {
  return `gemm-${n}`;
}

export const CONV_FORWARD = 'conv-fwd';
export const CONV_FORWARD_BACKWARD = 'conv-fwd-bwd';

export function describeConv(spec: ConvSpec): string {
  const { batch, channels, height, width, filters, kernel } = spec;
  return `x [${batch},${channels},${height},${width}], ${filters} filters ${kernel}x${kernel}`;
}

export function describeTraining(model: Model, spec: TrainSpec): string {
  const what = model === 'mlp' ? 'seed MLP (784-128 relu-dropout 0.2-10)' : 'two-convolution CNN (5x5x32, pool, 5x5x64, pool, 1024, dropout 0.4, 10)';
  const timed = spec.batches === 0 ? 'one epoch (60,000 samples)' : `${spec.batches} batches`;
  return (
    `${model.toUpperCase()}: ${what}, Fashion-MNIST, batch ${spec.batchSize}, Adam; ${timed} after ${spec.warmupBatches} warm-up batches ` +
    `(Shendu js and tfjs cpu: ${spec.slowBatches} batches); fit = Keras-style model.fit, loop = PyTorch-style; torch runs its loop in both rows`
  );
}

/** A row of the table and the case each competitor runs for it. */
export interface Row {
  workload: Workload;
  run: WorkloadCase;
}

/** The rows of `config`, in table order. */
export function workloadsOf(config: BenchConfig): Row[] {
  const rows: Row[] = [];
  if (config.families.includes('gemm')) {
    for (const n of config.gemmSizes) {
      rows.push({
        workload: { id: gemmId(n), family: 'gemm', label: `matmul ${n}x${n}`, unit: 'GFLOP/s', flops: 2 * n ** 3 },
        run: { kind: 'gemm', n },
      });
    }
  }
  if (config.families.includes('conv')) {
    rows.push({
      workload: { id: CONV_FORWARD, family: 'conv', label: 'conv2d forward', unit: 'ms' },
      run: { kind: 'convForward', spec: config.conv },
    });
    rows.push({
      workload: { id: CONV_FORWARD_BACKWARD, family: 'conv', label: 'conv2d fwd+bwd', unit: 'ms' },
      run: { kind: 'convForwardBackward', spec: config.conv },
    });
  }
  for (const model of ['mlp', 'cnn'] as const) {
    if (!config.families.includes(model)) continue;
    const spec = config[model];
    const what = spec.batches === 0 ? 'epoch' : `${spec.batches} batches`;
    for (const style of ['fit', 'loop'] as const) {
      rows.push({
        workload: { id: `${model}-${style}`, family: model, label: `${model.toUpperCase()} ${what}, ${style}`, unit: 'µs/sample' },
        run: { kind: 'train', model, style, spec, dataDir: config.dataDir, timing: TRAIN_TIMING },
      });
    }
  }
  if (config.families.includes('mlp')) {
    rows.push({
      workload: { id: 'op-overhead', family: 'mlp', label: 'add [4] per op', unit: 'µs/op' },
      run: { kind: 'opOverhead', ops: config.overheadOps },
    });
  }
  return rows;
}

const TRAIN_DEFAULTS = { dataDir: '/usr/share/datasets/fashion-mnist/', overheadOps: 20_000, memoryEpochs: 5 };

export const FULL_CONFIG: Omit<BenchConfig, 'families'> = {
  gemmSizes: [128, 512, 1024],
  conv: { batch: 32, channels: 1, height: 28, width: 28, filters: 32, kernel: 5 },
  // a JIT (V8's, for Shendu and tfjs) compiles a small op's JavaScript path only after many
  // calls: 128³ SGEMM ran 2x slower in its first 30 calls than later
  timing: { budgetMs: 2000, maxReps: 30, longCallMs: 1500, warmupMs: 200 },
  // 200 warm-up batches: the JIT settles (about 0.1 epoch), for every competitor alike
  mlp: { batchSize: 32, batches: 0, warmupBatches: 200, slowBatches: 100 },
  cnn: { batchSize: 32, batches: 100, warmupBatches: 3, slowBatches: 1 },
  ...TRAIN_DEFAULTS,
};

/** `--quick`: a smoke test of the whole pipeline in about half a minute; its figures mean little. */
export const QUICK_CONFIG: Omit<BenchConfig, 'families'> = {
  gemmSizes: [64, 128],
  conv: { batch: 4, channels: 1, height: 28, width: 28, filters: 8, kernel: 5 },
  timing: { budgetMs: 100, maxReps: 3, longCallMs: 200, warmupMs: 10 },
  mlp: { batchSize: 32, batches: 20, warmupBatches: 2, slowBatches: 5 },
  // small CNN batches: tfjs-cpu takes over a second per sample there
  cnn: { batchSize: 4, batches: 3, warmupBatches: 1, slowBatches: 1 },
  ...TRAIN_DEFAULTS,
  overheadOps: 1000,
  memoryEpochs: 2,
};

/** A timed workload: the best and median of `reps` timed calls. */
export interface Timed {
  status: 'ok';
  bestMs: number;
  medianMs: number;
  reps: number;
  /** Per-sample and per-op rows: the samples trained (or ops run) in one call. */
  count?: number;
  /** False when the first call was slow enough to be the only sample. */
  warmedUp: boolean;
}

/** A workload a competitor cannot run (a missing kernel) or that failed. */
export interface Untimed {
  status: 'not supported' | 'failed';
  message: string;
}

export type Result = Timed | Untimed;

/** Results of one competitor (a Shendu backend, a tfjs backend, PyTorch at some thread count). */
export interface CompetitorResults {
  name: string;
  /** True for Shendu's own backends: the ratios compare these against the others. */
  shendu: boolean;
  /** One line about the competitor (version, threads, BLAS), printed under the table. */
  about: string;
  results: Map<string, Result>;
}

/** The figure of a timed result in the workload's unit. */
export function figure(workload: Workload, result: Timed): number {
  if (workload.unit === 'GFLOP/s') return (workload.flops ?? 0) / (result.bestMs * 1e6);
  if (workload.unit === 'ms') return result.bestMs;
  return (result.bestMs * 1000) / (result.count ?? 1);
}

/** A missing kernel is "not supported"; any other error is a failure worth reading. */
export function untimed(error: unknown): Untimed {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /not (registered|implemented)|KernelNotImplemented|not supported/i.test(message);
  return { status: missing ? 'not supported' : 'failed', message };
}

/**
 * A repetition to time: synchronous, or a promise (training through `fit`). `count` is
 * how many samples (or ops) one repetition covers, for the per-sample rows.
 */
export interface Repetition {
  call: () => void | Promise<unknown>;
  count?: number;
}

/**
 * Sets up the inputs of `run` (training rows: the data, the model and the warm-up
 * batches) and returns one repetition of it, to be timed. May be async.
 */
export type Prepare = (run: WorkloadCase) => Repetition | Promise<Repetition>;
