import type { DType, TypedArray } from '../tensor/dtype.js';
import type { KernelAttrs, KernelName } from './kernels.js';

/** What a kernel reads and writes: a contiguous row-major buffer with its shape. */
export interface TensorData {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly values: TypedArray;
}

export type KernelFn<K extends KernelName> = (inputs: TensorData[], attrs: KernelAttrs[K]) => TensorData;

export type KernelTable = { [K in KernelName]?: KernelFn<K> };

/**
 * A backend is storage plus a kernel table. CPU backends store tensors in JS-owned typed
 * arrays, so a tensor made on one CPU backend is readable by every other.
 */
export interface Backend {
  readonly name: string;
  readonly kernels: KernelTable;
  /** dtypes the kernels accept; float64 is only required of the reference backend. */
  readonly dtypes: readonly DType[];
  /** CPU features the kernels use, for `shendu doctor`. */
  features(): string[];
  /** Gives memory the backend's allocator holds free back to the system (optional). */
  releaseFreeMemory?(): void;
}

/** A kernel the active backend has no entry for. Never silently falls back. */
export class KernelNotImplementedError extends Error {
  override name = 'KernelNotImplementedError';
  constructor(kernel: string, backend: string) {
    super(`kernel '${kernel}' is not implemented on backend '${backend}'`);
  }
}

interface Registered {
  backend: Backend;
  priority: number;
}

const registry = new Map<string, Registered>();
let active: Backend | undefined;

/** Adds a backend. The registered backend with the highest priority becomes the default. */
export function registerBackend(backend: Backend, priority = 0): void {
  registry.set(backend.name, { backend, priority });
  if (!active || (registry.get(active.name)?.priority ?? -Infinity) < priority) active = backend;
}

/** Names of the backends present, best first. */
export function listBackends(): string[] {
  return [...registry.values()].sort((a, b) => b.priority - a.priority).map((r) => r.backend.name);
}

/** Makes `name` the backend every following op runs on. */
export function setBackend(name: string): void {
  const found = registry.get(name);
  if (!found) {
    throw new Error(`setBackend: no backend named '${name}' (present: ${listBackends().join(', ') || 'none'})`);
  }
  active = found.backend;
}

/** The name of the active backend. */
/**
 * Asks the active backend to give back free memory its allocator holds (the native one:
 * malloc_trim). `fit` calls it at each epoch's start, when a step's buffers are reused
 * and what loading and the last epoch left free would only sit in the RSS.
 */
export function releaseFreeMemory(): void {
  activeBackend().releaseFreeMemory?.();
}

export function getBackend(): string {
  return activeBackend().name;
}

export function activeBackend(): Backend {
  if (!active) throw new Error('no backend is registered');
  return active;
}

export function findBackend(name: string): Backend | undefined {
  return registry.get(name)?.backend;
}

/** Runs `name` on the active backend. Argument checking happened at op entry. */
export function runKernel<K extends KernelName>(name: K, inputs: TensorData[], attrs: KernelAttrs[K]): TensorData {
  const backend = activeBackend();
  const kernel = backend.kernels[name] as KernelFn<K> | undefined;
  if (!kernel) throw new KernelNotImplementedError(name, backend.name);
  return kernel(inputs, attrs);
}
