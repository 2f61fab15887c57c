import { noteAllocation, takeF32 } from '../../tensor/recycle.js';
import type { KernelFn, TensorData } from '../backend.js';
import type { KernelName } from '../kernels.js';
import type { DType } from '../../tensor/dtype.js';

/** Helpers shared by the kernel wrappers of the native backend. */

/** The js kernel of the same name, for inputs the C++ kernels do not take. */
export type Fallback = <K extends KernelName>(name: K) => KernelFn<K>;

/**
 * Typed arrays of up to 64 bytes live inside the V8 heap, where the GC may move them; for
 * such an array N-API first copies the elements out to a new backing store, which costs
 * more than a small kernel. Small arrays therefore travel through fixed off-heap buffers:
 * inputs are copied in, outputs copied back (a few nanoseconds for 16 floats).
 */
export const SMALL_BYTES = 64;
const offHeapF32 = (): Float32Array => new Float32Array(new ArrayBuffer(SMALL_BYTES));
const stagedInputs = [offHeapF32(), offHeapF32(), offHeapF32()];
const stagedF32 = offHeapF32();
const stagedBool = new Uint8Array(new ArrayBuffer(SMALL_BYTES));
const stagedBoolInput = new Uint8Array(new ArrayBuffer(SMALL_BYTES));
export const stagedInt32 = new Int32Array(new ArrayBuffer(SMALL_BYTES));

/** The array to hand to C++ for input `slot`: `t`'s own storage, or a staged copy. */
export function input(t: TensorData, slot: number): Float32Array {
  const values = t.values as Float32Array;
  if (values.byteLength > SMALL_BYTES) return values;
  const staged = stagedInputs[slot];
  staged.set(values);
  return staged;
}

/** `input` for a bool tensor. */
export function inputBool(t: TensorData): Uint8Array {
  const values = t.values as Uint8Array;
  if (values.byteLength > SMALL_BYTES) return values;
  stagedBoolInput.set(values);
  return stagedBoolInput;
}

/** The array C++ writes for output `out`; pass both to `finish` after the call. */
export function target<T extends Float32Array | Uint8Array>(out: T): T {
  if (out.byteLength > SMALL_BYTES) return out;
  return (out instanceof Float32Array ? stagedF32 : stagedBool) as T;
}

export function finish(out: Float32Array | Uint8Array, written: Float32Array | Uint8Array): void {
  if (written !== out) for (let i = 0; i < out.length; i++) out[i] = written[i];
}

/** Outputs of at least this many bytes may skip zero-filling (see `uninitializedF32`). */
const UNINITIALIZED_BYTES = 16384;

/**
 * A Float32Array of n elements for a kernel that writes every one of them. Large arrays
 * skip the zero-fill of `new Float32Array` (about 15 µs for a 784x128 weight gradient);
 * small ones stay ordinary arrays, which are cheaper to allocate.
 */
export function uninitializedF32(n: number): Float32Array {
  // inside a training step, a buffer an earlier step freed (tensor/recycle.ts)
  const reused = takeF32(n);
  if (reused) return reused;
  const out = n * 4 < UNINITIALIZED_BYTES ? new Float32Array(n) : new Float32Array(Buffer.allocUnsafeSlow(n * 4).buffer, 0, n);
  noteAllocation(out);
  return out;
}

export function result(shape: readonly number[], dtype: DType, values: Float32Array | Uint8Array): TensorData {
  return { shape, dtype, values };
}

export function allF32(inputs: TensorData[]): boolean {
  return inputs.every((t) => t.dtype === 'float32');
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}


type Fn1 = (x: Float32Array, out: Float32Array) => void;
type Fn2 = (a: Float32Array, b: Float32Array, out: Float32Array) => void;

/** Calls a one-input addon function with staging of small arrays. */
export function call1(fn: Fn1, x: TensorData, out: Float32Array): void {
  const written = target(out);
  fn(input(x, 0), written);
  finish(out, written);
}

/** Calls a two-input addon function with staging of small arrays. */
export function call2(fn: Fn2, a: TensorData, b: TensorData, out: Float32Array): void {
  const written = target(out);
  fn(input(a, 0), input(b, 1), written);
  finish(out, written);
}
