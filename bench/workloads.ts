/**
 * What the benchmark measures, shared by every competitor: the workloads, their sizes in
 * the full and the quick run, how long each may be timed, and the shape of a result.
 */

/** A workload family, as named on the command line (`--only gemm`). */
export type Family = 'gemm' | 'conv';
export const FAMILIES: readonly Family[] = ['gemm', 'conv'];

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
 * How a workload is timed (see measure.ts): one warm-up call, then timed calls until
 * `maxReps` or until `budgetMs` of timed calls; a first call slower than `longCallMs`
 * is itself the only sample.
 */
export interface Timing {
  budgetMs: number;
  maxReps: number;
  longCallMs: number;
}

export interface BenchConfig {
  families: Family[];
  gemmSizes: number[];
  conv: ConvSpec;
  timing: Timing;
}

/** One row of the table. GEMM rows are reported in GFLOP/s, convolution rows in ms. */
export interface Workload {
  id: string;
  family: Family;
  label: string;
  unit: 'GFLOP/s' | 'ms';
  /** Floating-point operations of one call, for GFLOP/s rows. */
  flops?: number;
}

export type WorkloadCase =
  | { kind: 'gemm'; n: number }
  | { kind: 'convForward'; spec: ConvSpec }
  | { kind: 'convForwardBackward'; spec: ConvSpec };

export function gemmId(n: number): string {
  return `gemm-${n}`;
}

export const CONV_FORWARD = 'conv-fwd';
export const CONV_FORWARD_BACKWARD = 'conv-fwd-bwd';

export function describeConv(spec: ConvSpec): string {
  const { batch, channels, height, width, filters, kernel } = spec;
  return `x [${batch},${channels},${height},${width}], ${filters} filters ${kernel}x${kernel}`;
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
  return rows;
}

export const FULL_CONFIG: Omit<BenchConfig, 'families'> = {
  gemmSizes: [128, 512, 1024],
  conv: { batch: 32, channels: 1, height: 28, width: 28, filters: 32, kernel: 5 },
  timing: { budgetMs: 2000, maxReps: 30, longCallMs: 1500 },
};

/** `--quick`: a smoke test of the whole pipeline in a few seconds; its figures mean little. */
export const QUICK_CONFIG: Omit<BenchConfig, 'families'> = {
  gemmSizes: [64, 128],
  conv: { batch: 4, channels: 1, height: 28, width: 28, filters: 8, kernel: 5 },
  timing: { budgetMs: 100, maxReps: 3, longCallMs: 200 },
};

/** A timed workload: the best and median of `reps` timed calls. */
export interface Timed {
  status: 'ok';
  bestMs: number;
  medianMs: number;
  reps: number;
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
  return workload.unit === 'GFLOP/s' ? (workload.flops ?? 0) / (result.bestMs * 1e6) : result.bestMs;
}

/** A missing kernel is "not supported"; any other error is a failure worth reading. */
export function untimed(error: unknown): Untimed {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /not (registered|implemented)|KernelNotImplemented|not supported/i.test(message);
  return { status: missing ? 'not supported' : 'failed', message };
}

/** Sets up the inputs of `run` and returns one repetition of it, to be timed. */
export type Prepare = (run: WorkloadCase) => () => void;
