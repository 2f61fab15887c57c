/**
 * Executors run batches of a loaded model. `WorkerPool` keeps N worker threads, each with
 * its own copy of every loaded model, and gives each one batch at a time; a worker that
 * dies is replaced (its batch fails with a 500) and the models are loaded into the new
 * one. `InlineExecutor` runs in the calling thread, for embedding without threads.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { buildModel, runModel, warmupInputs } from './adapters.js';
import { ServeError, type LoadedModel, type ModelSource, type Signature, type WireTensors } from './types.js';

/** Messages to a worker. */
export type ToWorker =
  | { type: 'load'; key: string; source: ModelSource }
  | { type: 'unload'; key: string }
  | { type: 'run'; id: number; key: string; inputs: WireTensors };

/** Messages from a worker. */
export type FromWorker =
  | { type: 'loaded'; key: string; signature: Signature }
  | { type: 'loadError'; key: string; message: string }
  | { type: 'result'; id: number; outputs: WireTensors; micros: number }
  | { type: 'runError'; id: number; message: string };

export interface RunResult {
  outputs: WireTensors;
  /** Time spent in the model, in microseconds. */
  micros: number;
}

/** Something that loads models by key and runs batches on them, `capacity` at a time. */
export interface Executor {
  readonly capacity: number;
  readonly busy: number;
  /** Loads (and warms up) a model under `key`; resolves to its signature. */
  load(key: string, source: ModelSource): Promise<Signature>;
  unload(key: string): void;
  /** Runs one batch; call only while `busy < capacity`. */
  run(key: string, inputs: WireTensors): Promise<RunResult>;
  /** Called whenever a slot frees up. */
  onFree: (() => void) | null;
  close(): Promise<void>;
}

/** The default number of workers: one per core, less one for the HTTP thread (at least 1). */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

function inputBuffers(inputs: WireTensors): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const t of Object.values(inputs)) {
    // Transfer only arrays that own their whole buffer; views are copied by postMessage.
    if (t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength) buffers.add(t.data.buffer as ArrayBuffer);
  }
  return [...buffers];
}

interface Slot {
  worker: Worker;
  job: { id: number; resolve: (r: RunResult) => void; reject: (e: Error) => void } | null;
  /** False while a replacement worker is still loading the models. */
  ready: boolean;
  loads: Map<string, { source: ModelSource; resolve: (s: Signature) => void; reject: (e: Error) => void }>;
}

export interface WorkerPoolOptions {
  /** Worker threads (default: cores - 1, at least 1). */
  workers?: number;
  /** Threads of the native kernels in each worker (default: the library's default). */
  kernelThreads?: number;
}

export class WorkerPool implements Executor {
  readonly capacity: number;
  onFree: (() => void) | null = null;
  private readonly slots: Slot[] = [];
  private readonly sources = new Map<string, ModelSource>();
  private nextId = 1;
  private closing = false;

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.capacity = options.workers ?? defaultWorkerCount();
    if (!(Number.isInteger(this.capacity) && this.capacity >= 1)) throw new ServeError(500, `WorkerPool: workers must be a positive integer, got ${this.capacity}`);
    for (let i = 0; i < this.capacity; i++) this.slots.push(this.spawn());
  }

  get busy(): number {
    let n = 0;
    for (const s of this.slots) if (s.job || !s.ready) n++;
    return n;
  }

  private spawn(): Slot {
    // From the TypeScript sources (tests, benchmarks under tsx) the worker registers tsx first.
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(`./worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
    const workerData = { kernelThreads: this.options.kernelThreads };
    const worker = fromSource
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData })
      : new Worker(url, { workerData });
    const slot: Slot = { worker, job: null, ready: true, loads: new Map() };
    worker.on('message', (m: FromWorker) => this.receive(slot, m));
    worker.on('error', (err) => this.lost(slot, err));
    worker.on('exit', (code) => this.lost(slot, new Error(`exited with code ${code}`)));
    worker.unref();
    return slot;
  }

  /** A worker keeps the process alive only while it has work (a batch or a load) to answer. */
  private holdOpen(slot: Slot): void {
    if (slot.job || slot.loads.size > 0) slot.worker.ref();
    else slot.worker.unref();
  }

  private receive(slot: Slot, m: FromWorker): void {
    if (m.type === 'loaded' || m.type === 'loadError') {
      const pending = slot.loads.get(m.key);
      slot.loads.delete(m.key);
      this.holdOpen(slot);
      if (m.type === 'loaded') pending?.resolve(m.signature);
      else pending?.reject(new Error(m.message));
      return;
    }
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    slot.job = null;
    this.holdOpen(slot);
    if (m.type === 'result') job.resolve({ outputs: m.outputs, micros: m.micros });
    else job.reject(new ServeError(500, m.message));
    this.onFree?.();
  }

  /** A worker died: fail what it held and start a replacement with the same models. */
  private lost(slot: Slot, err: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.job?.reject(new ServeError(500, `inference worker failed: ${err.message}`));
    if (this.closing) {
      for (const pending of slot.loads.values()) pending.reject(new Error(`inference worker failed: ${err.message}`));
      return;
    }
    const fresh = this.spawn();
    const loads: Promise<unknown>[] = [...this.sources].map(([key, source]) => this.loadInto(fresh, key, source).catch(() => undefined));
    // Loads the dead worker had not finished are done by the new one.
    for (const [key, pending] of slot.loads) loads.push(this.loadInto(fresh, key, pending.source).then(pending.resolve, pending.reject));
    // The replacement takes work once it holds every model.
    fresh.ready = false;
    void Promise.all(loads).then(() => {
      fresh.ready = true;
      this.onFree?.();
    });
    this.slots.push(fresh);
  }

  private loadInto(slot: Slot, key: string, source: ModelSource): Promise<Signature> {
    return new Promise((resolve, reject) => {
      slot.loads.set(key, { source, resolve, reject });
      this.holdOpen(slot);
      slot.worker.postMessage({ type: 'load', key, source } satisfies ToWorker);
    });
  }

  async load(key: string, source: ModelSource): Promise<Signature> {
    try {
      const signatures = await Promise.all(this.slots.map((slot) => this.loadInto(slot, key, source)));
      this.sources.set(key, source);
      return signatures[0];
    } catch (err) {
      this.unload(key);
      throw err;
    }
  }

  unload(key: string): void {
    this.sources.delete(key);
    for (const slot of this.slots) slot.worker.postMessage({ type: 'unload', key } satisfies ToWorker);
  }

  run(key: string, inputs: WireTensors): Promise<RunResult> {
    const slot = this.slots.find((s) => !s.job && s.ready);
    if (!slot) return Promise.reject(new ServeError(503, 'no free inference worker'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.job = { id, resolve, reject };
      this.holdOpen(slot);
      slot.worker.postMessage({ type: 'run', id, key, inputs } satisfies ToWorker, inputBuffers(inputs));
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

/** Runs models in the calling thread, one batch at a time (for `sd.serve.load` without workers). */
export class InlineExecutor implements Executor {
  readonly capacity = 1;
  busy = 0;
  onFree: (() => void) | null = null;
  private readonly models = new Map<string, LoadedModel>();

  async load(key: string, source: ModelSource | LoadedModel): Promise<Signature> {
    const model = 'signature' in source ? source : await buildModel(source);
    runModel(model, warmupInputs(model.signature));
    this.models.set(key, model);
    return model.signature;
  }

  unload(key: string): void {
    this.models.delete(key);
  }

  async run(key: string, inputs: WireTensors): Promise<RunResult> {
    const model = this.models.get(key);
    if (!model) throw new ServeError(404, `servable ${key} is not loaded`);
    this.busy++;
    const start = performance.now();
    try {
      const outputs = runModel(model, inputs);
      return { outputs, micros: Math.round((performance.now() - start) * 1000) };
    } catch (err) {
      throw new ServeError(500, (err as Error).message);
    } finally {
      this.busy--;
      queueMicrotask(() => this.onFree?.());
    }
  }

  async close(): Promise<void> {
    this.models.clear();
  }
}
