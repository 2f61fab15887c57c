/**
 * Reuse of the memory of one training step in the next. A step of `fit` allocates the
 * same buffers every time (activations, their gradients, the weight gradients); left to
 * the garbage collector they pile up between collections (tens of MiB for the seed MLP,
 * more RSS than the model and the optimizer together) and cost the collector time. Inside
 * `recycleStep`, large float32 buffers that kernels allocate are noted; when the step ends,
 * those no longer held by what outlives it (the weights, their gradients, the optimizer's
 * state, named by the caller) go to a free list that the next step's kernels draw from.
 *
 * As in TensorFlow.js, whose `fit` disposes a step's tensors, a tensor made inside a step
 * is not to be kept past it (a callback or custom metric that wants one clones it). Only
 * buffers allocated inside the scope are ever reused: views of data made before it (the
 * batch, the weights) never are.
 */
import type { TypedArray } from './dtype.js';

/** Buffers smaller than this are left to the allocator: cheap to make, little to gain. */
export const RECYCLE_MIN_BYTES = 1024;
/** At most this many bytes wait in the free list. */
const MAX_FREE_BYTES = 256 << 20;

let allocated: ArrayBuffer[] | null = null;
/** Buffers made for the next step before it starts (its batch): they join its own. */
let pending: ArrayBuffer[] = [];
/**
 * Per training loop (its optimizer), buffers allocated in one of its steps and still held
 * after it (gradients, optimizer state): only that loop's survivors decide when they die,
 * so training a second model never frees the first one's state.
 */
const held = new WeakMap<object, Set<ArrayBuffer>>();
const free = new Map<number, ArrayBuffer[]>();
let freeBytes = 0;
/** Counts since start: buffers reused from the free list, and large ones noted as new. */
const counts = { reused: 0, allocated: 0 };

/** How recycling went so far: reused and newly allocated buffers, bytes waiting. */
export function recycleStats(): { reused: number; allocated: number; freeBytes: number } {
  return { ...counts, freeBytes };
}

/** True inside recycleStep: large kernel outputs should come from `takeF32`. */
export function recycling(): boolean {
  return allocated !== null;
}

/**
 * A Float32Array of n elements on a buffer freed by an earlier step, or undefined. Its
 * contents are stale: for kernels that write every element.
 */
export function takeF32(n: number): Float32Array | undefined {
  if (allocated === null || n * 4 < RECYCLE_MIN_BYTES) return undefined;
  const buffer = popFree(n * 4);
  if (!buffer) return undefined;
  allocated.push(buffer);
  return new Float32Array(buffer);
}

/** A free buffer of exactly `bytes`, taken off the list, or undefined. */
function popFree(bytes: number): ArrayBuffer | undefined {
  const buffer = free.get(bytes)?.pop();
  if (buffer) {
    freeBytes -= bytes;
    counts.reused++;
  }
  return buffer;
}

/**
 * A Float32Array of n elements for the next step's input (a shuffled batch, made before
 * the step starts): on a free buffer when one fits, and counted among that step's
 * buffers, so the batch is reused once the step is over. Contents are stale.
 */
export function stepInputF32(n: number): Float32Array {
  if (n * 4 < RECYCLE_MIN_BYTES) return new Float32Array(n);
  const buffer = popFree(n * 4);
  if (!buffer) counts.allocated++;
  const out = buffer ? new Float32Array(buffer) : new Float32Array(n);
  pending.push(out.buffer as ArrayBuffer);
  return out;
}

/** Notes a buffer a kernel allocated inside the step (whole buffers only). */
export function noteAllocation(values: TypedArray): void {
  if (allocated === null || values.byteLength < RECYCLE_MIN_BYTES) return;
  if (values.byteOffset !== 0 || values.byteLength !== values.buffer.byteLength) return;
  allocated.push(values.buffer as ArrayBuffer);
  counts.allocated++;
}

/**
 * Runs one step of the training loop `owner`; then every large buffer allocated during
 * it, or during an earlier step and held until now, that is not among `survivors()` (the
 * arrays that outlive the step) joins the free list. A gradient made in one step is thus
 * reused once the next step's zeroGrad has let go of it. Nested calls run inside the
 * outer step.
 */
export function recycleStep<T>(owner: object, step: () => T, survivors: () => Iterable<TypedArray | null | undefined>): T {
  if (allocated !== null) return step();
  const batch = pending;
  pending = [];
  return scoped(batch, step, survivors, held.get(owner), (stillHeld) => held.set(owner, stillHeld));
}

/**
 * Runs `pass`, a backward pass outside any training step, then frees the large buffers
 * allocated during it that `survivors()` (the gradients it stored) do not hold: the
 * gradients of intermediate results, which nothing outside the pass ever sees. Unlike
 * recycleStep, what the pass keeps is never reused later, whatever happens to it: the
 * caller's code owns it. Inside a step, the pass is part of the step.
 */
export function recyclePass<T>(pass: () => T, survivors: () => Iterable<TypedArray | null | undefined>): T {
  if (allocated !== null) return pass();
  return scoped([], pass, survivors, undefined, undefined);
}

/**
 * Runs `run` with allocations noted (starting with `adopted`), then frees those not held
 * by `survivors()`, together with `before` (buffers an earlier scope kept) that are no
 * longer held; `keep` receives the ones still held.
 */
function scoped<T>(
  adopted: ArrayBuffer[],
  run: () => T,
  survivors: () => Iterable<TypedArray | null | undefined>,
  before: Set<ArrayBuffer> | undefined,
  keep: ((stillHeld: Set<ArrayBuffer>) => void) | undefined,
): T {
  allocated = adopted;
  let result: T;
  try {
    result = run();
  } catch (err) {
    // a failed step's tensors may travel with the error: nothing is reused
    allocated = null;
    throw err;
  }
  const made = allocated;
  allocated = null;
  const kept = new Set<ArrayBufferLike>();
  for (const a of survivors()) if (a) kept.add(a.buffer);
  const stillHeld = new Set<ArrayBuffer>();
  if (before) for (const buffer of before) made.push(buffer);
  for (const buffer of made) {
    if (kept.has(buffer)) {
      stillHeld.add(buffer);
      continue;
    }
    if (freeBytes + buffer.byteLength > MAX_FREE_BYTES) continue;
    kept.add(buffer); // once, even if noted twice
    const list = free.get(buffer.byteLength) ?? [];
    list.push(buffer);
    free.set(buffer.byteLength, list);
    freeBytes += buffer.byteLength;
  }
  keep?.(stillHeld);
  return result;
}
