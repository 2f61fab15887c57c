import {
  registerBackend,
  KernelNotImplementedError,
  type Backend,
  type KernelFn,
  type KernelTable,
} from '../backend.js';
import { KERNEL_NAMES, type KernelName } from '../kernels.js';
import { jsBackend } from '../js/index.js';
import { loadAddon, type Addon } from './addon.js';
import { nativeKernels } from './kernels.js';
import { optimizerKernels, type AdamUpdateFn, type SgdUpdateFn } from './optimizers.js';

export type { AdamStepHyper, SgdStepHyper, AdamUpdateFn, SgdUpdateFn } from './optimizers.js';

/**
 * The native backend: C++ kernels (native/) on the same JS-owned typed arrays as the js
 * backend. Importing this module registers it above 'js' when the addon is built; when it
 * is not, nothing is printed here (the install printed why) and 'js' stays the default.
 *
 * Not every kernel is C++. Storage is shared with the js backend, so kernels that only
 * move data, where C++ would not be faster than a typed-array copy, deliberately use the
 * TypeScript kernels: SHARED_KERNELS below. PENDING_KERNELS are compute kernels not yet
 * written in C++; they also run the TypeScript kernel until they are. `features()` reports
 * the three counts. Float64 inputs (gradient checks), int32 and bool inputs of compute
 * kernels go to the TypeScript kernel too: the C++ kernels compute in float32.
 */

/** Data movement, casts and boolean logic: TypeScript by design. */
export const SHARED_KERNELS: readonly KernelName[] = [
  'Cast', 'LogicalNot', 'LogicalAnd', 'LogicalOr', 'LogicalXor',
  'Slice', 'Concat', 'Pad', 'Gather', 'GatherAlong', 'ScatterAdd', 'IndexAdd',
  'Tile', 'Flip', 'BroadcastTo', 'OneHot', 'All', 'Any',
];

/**
 * Compute kernels still running in TypeScript on this backend: none today, but a kernel
 * added to src/backend/kernels.ts lands here (through the js kernel) until it is ported.
 */
export const PENDING_KERNELS: readonly KernelName[] = [];

/** What `shendu doctor` reports about the native backend. */
export interface NativeInfo {
  /** Whether the addon loaded (and the backend is registered). */
  available: boolean;
  /** Why it is not available. */
  reason?: string;
  /** The addon file. */
  path?: string;
  /** Kernel path in use ('avx512', 'avx2', 'portable') and the ones this CPU can run. */
  isa?: string;
  supportedIsas?: string[];
  /** CPU features detected: 'avx2', 'fma', 'avx512f', ... */
  cpuFeatures?: string[];
  threads?: number;
  /** Kernels by implementation: C++, TypeScript by design, TypeScript until ported. */
  nativeKernels?: KernelName[];
  sharedKernels?: KernelName[];
  pendingKernels?: KernelName[];
}

const loaded = loadAddon();
const addon: Addon | null = loaded.addon;

/** The js kernel of the same name (looked up at call time, so later additions count). */
function fallback<K extends KernelName>(name: K): KernelFn<K> {
  const kernel = jsBackend.kernels[name] as KernelFn<K> | undefined;
  if (!kernel) throw new KernelNotImplementedError(name, 'native');
  return kernel;
}

let kernels: KernelTable = {};
const declined = (): boolean => false;
/** Fused Adam/AdamW step in C++ (see optimizers.ts); false when not applicable. */
export let nativeAdamUpdate: AdamUpdateFn = declined;
/** Fused SGD step in C++ (see optimizers.ts); false when not applicable. */
export let nativeSgdUpdate: SgdUpdateFn = declined;
let native: KernelName[] = [];
let shared: KernelName[] = [];
let pending: KernelName[] = [];

if (addon) {
  const params = new Float64Array(256);
  addon.init(params);
  kernels = nativeKernels(addon, params, fallback);
  ({ adam: nativeAdamUpdate, sgd: nativeSgdUpdate } = optimizerKernels(addon, params));
  native = KERNEL_NAMES.filter((name) => name in kernels);
  for (const name of KERNEL_NAMES) {
    if (name in kernels) continue;
    (SHARED_KERNELS.includes(name) ? shared : pending).push(name);
    (kernels as Record<string, KernelFn<KernelName>>)[name] = (inputs, attrs) => fallback(name)(inputs, attrs);
  }
  const backend: Backend = {
    name: 'native',
    kernels,
    dtypes: ['float32', 'float64', 'int32', 'bool'],
    features: () => [
      `${addon.isa()} kernels`,
      ...addon.cpuFeatures(),
      `${addon.numThreads()} thread${addon.numThreads() === 1 ? '' : 's'}`,
      `${native.length} C++ kernels, ${shared.length} shared with js (data movement), ${pending.length} not yet ported`,
    ],
    releaseFreeMemory: () => {
      addon.trimMemory();
    },
  };
  registerBackend(backend, 1);
}

/** The state of the native backend, for `shendu doctor` and tests. */
export function nativeInfo(): NativeInfo {
  if (!addon) return { available: false, reason: 'reason' in loaded ? loaded.reason : undefined };
  return {
    available: true,
    path: 'path' in loaded ? loaded.path : undefined,
    isa: addon.isa(),
    supportedIsas: addon.supportedIsas(),
    cpuFeatures: addon.cpuFeatures(),
    threads: addon.numThreads(),
    nativeKernels: [...native],
    sharedKernels: [...shared],
    pendingKernels: [...pending],
  };
}

/** CPU features the native kernels can use; empty without the addon. */
export function cpuFeatures(): string[] {
  return addon ? addon.cpuFeatures() : [];
}

/**
 * Sets the threads of the native kernels (n <= 0: the default, the number of cores or
 * SHENDU_NUM_THREADS). Returns the new count; 1 without the addon.
 */
export function setNumThreads(n: number): number {
  return addon ? addon.setNumThreads(n) : 1;
}

/**
 * Forces a kernel path ('avx512', 'avx2', 'portable'); false if this CPU cannot run it.
 * The default is the best the CPU supports, or SHENDU_ISA when set.
 */
export function setIsa(name: string): boolean {
  return addon ? addon.setIsa(name) : false;
}

/** The loaded addon, for benchmarks and tests that call it directly; null without it. */
export function nativeAddon(): Addon | null {
  return addon;
}
