import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Loading the C++ addon (native/, built by `npm install` through scripts/build-native.mjs).
 * Loading never throws: when the addon is absent or fails to load, `loadAddon` returns
 * the reason, and Shendu runs on the `js` backend.
 */

/** The functions native/src/addon.cc exports. Shapes and attributes go through `params`. */
export interface Addon {
  /** Shares the parameter buffer; returns its length. */
  init(params: Float64Array): number;
  /** CPU features detected (CPUID, with OS support): 'avx2', 'fma', 'avx512f', ... */
  cpuFeatures(): string[];
  /** Kernel paths this CPU can run, best first: 'avx512', 'avx2', 'portable'. */
  supportedIsas(): string[];
  /** The path the kernels run on now. */
  isa(): string;
  /** Switches the path; false if the CPU cannot run it. */
  setIsa(name: string): boolean;
  numThreads(): number;
  /** Resizes the thread pool (n <= 0: the default); returns the new size. */
  setNumThreads(n: number): number;
  matmul(a: Float32Array, b: Float32Array, out: Float32Array): void;
  unary(op: number, x: Float32Array, out: Float32Array): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array | Uint8Array): void;
  where(c: Uint8Array, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out [B, C, R] from x [B, R, C]; params B, R, C. */
  transpose(x: Float32Array, out: Float32Array): void;
  reduce(op: number, x: Float32Array, out: Float32Array): void;
  softmax(x: Float32Array, out: Float32Array, log: number): void;
  /** Per-row softmax cross-entropy of x [N, C] against labels; params N, C, labelSmoothing. */
  sparseSoftmaxCrossEntropy(x: Float32Array, labels: Int32Array, loss: Float32Array): void;
  /** Its gradient dy·(softmax − q), [N, C]; params N, C, labelSmoothing. */
  sparseSoftmaxCrossEntropyGrad(x: Float32Array, labels: Int32Array, dy: Float32Array, dx: Float32Array): void;
  conv2d(x: Float32Array, w: Float32Array, out: Float32Array): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  maxPool2d(x: Float32Array, out: Float32Array): void;
  maxPool2dGrad(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  avgPool2d(x: Float32Array, out: Float32Array): void;
  avgPool2dGrad(dy: Float32Array, dx: Float32Array): void;
  /** ArgMax (max = 1) or ArgMin along the middle axis of [outer, n, inner] (params). */
  argReduce(max: number, x: Float32Array, out: Int32Array): void;
  /** Cumsum along the middle axis; params: outer, n, inner, exclusive, reverse. */
  cumsum(x: Float32Array, out: Float32Array): void;
  /** Fused Adam/AdamW update in place; params: lr, beta1, beta2, eps, weightDecay, maximize, step, decoupled. */
  adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null): void;
  /** Fused SGD update in place; params: lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep. */
  sgd(p: Float32Array, g: Float32Array, buf: Float32Array | null): void;
  /** Takes three arrays like a kernel and does nothing: measures the cost of a call. */
  /** P = [outer, C, inner, relu]: out = x + b along the middle axis, then relu when set. */
  biasAdd(x: Float32Array, b: Float32Array, out: Float32Array): void;
  /** P = [n, p, value]: out[i] = value where the stream's i-th uniform < p; state advanced in place. */
  bernoulli(state: Uint32Array, out: Float32Array): void;
  /** An IDX file's (gzipped or not) [type, ...dims] into out; the rank, < 0 when unreadable or without zlib. */
  idxHeader(path: string, out: Int32Array): number;
  /** The ubyte payload after headerBytes, times scale, into out; whether all of it was read. */
  idxReadUbyteF32(path: string, headerBytes: number, out: Float32Array, scale: number): boolean;
  /** Whether the addon fixed glibc's malloc thresholds at load (native/src/memory.cc). */
  readonly mallocTuned: boolean;
  /** malloc_trim(0): free pages of malloc's heaps back to the kernel; whether any went. */
  trimMemory(): boolean;
  noop(a: Float32Array, b: Float32Array, out: Float32Array): void;
}

export type AddonLoad = { addon: Addon; path: string } | { addon: null; reason: string };

const ADDON_FILE = join('native', 'build', 'Release', 'shendu.node');

/**
 * Finds the built addon: the package root is the first ancestor of this file holding
 * native/ (src/backend/native when run from source, dist/src/backend/native when built).
 */
function findAddon(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, ADDON_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Loads the addon unless SHENDU_NATIVE=0; never throws. */
export function loadAddon(): AddonLoad {
  if (process.env.SHENDU_NATIVE === '0') return { addon: null, reason: 'disabled by SHENDU_NATIVE=0' };
  const path = findAddon();
  if (!path) return { addon: null, reason: 'the native addon was not built (no C++ compiler at install?)' };
  try {
    const addon = createRequire(import.meta.url)(path) as Addon;
    return { addon, path };
  } catch (err) {
    return { addon: null, reason: `the native addon failed to load: ${(err as Error).message.split('\n')[0]}` };
  }
}
