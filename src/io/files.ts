import fs from 'node:fs';
import { Module, type StateDict } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic.js';
import { FormatError } from '../errors.js';
import { layoutSafetensors, readSafetensors, type ByteSource, type NamedTensors, type SafetensorsContent } from './safetensors.js';

/**
 * Writes tensors and string metadata to a safetensors file, atomically (a temporary file
 * renamed over `path`, so a crash never leaves a broken file). Float32, float64, int32 and
 * bool tensors are stored as F32, F64, I32 and BOOL.
 *
 * ```ts
 * sd.io.saveSafetensors('embeddings.safetensors', { words: sd.randn([1000, 64]) }, { vocab: 'v1' });
 * ```
 */
export function saveSafetensors(path: string, tensors: NamedTensors, metadata: Record<string, string> = {}): void {
  const { head, chunks } = layoutSafetensors('saveSafetensors', tensors, metadata);
  writeFileAtomic(path, [head, ...chunks]);
}

/**
 * Reads a safetensors file, written by Shendu or any other tool: the tensors by name and
 * the `__metadata__` strings. F16/BF16 become float32, integer types int32 (an I64 value
 * outside the int32 range is an error). A truncated or corrupted file throws a
 * FormatError naming the file and the problem.
 *
 * ```ts
 * const { tensors, metadata } = sd.io.loadSafetensors('model.safetensors');
 * ```
 */
export function loadSafetensors(path: string): SafetensorsContent {
  return withFileSource(path, (src) => readSafetensors(src, `'${path}'`));
}

/**
 * Runs `fn` with random access to the file at `path`. Reads go straight into fresh
 * buffers, so a tensor costs one copy and files beyond Node's 2 GiB readFile limit load.
 */
export function withFileSource<T>(path: string, fn: (src: ByteSource) => T): T {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const read = (position: number, length: number): Uint8Array => {
      const out = new Uint8Array(length);
      for (let done = 0; done < length; ) {
        const n = fs.readSync(fd, out, done, Math.min(length - done, 1 << 30), position + done);
        if (n === 0) throw new FormatError(`'${path}' is not a valid safetensors file: it ended at byte ${position + done} while being read (changed by another program?)`);
        done += n;
      }
      return out;
    };
    return fn({ size, read });
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Saves a state dict (`module.stateDict()`, or the module itself) to a safetensors file,
 * atomically: PyTorch's `torch.save(model.state_dict(), path)` in a format every tool reads.
 *
 * ```ts
 * sd.io.saveStateDict('mlp.safetensors', model.stateDict());
 * model.loadStateDict(sd.io.loadStateDict('mlp.safetensors'));
 * ```
 */
export function saveStateDict(path: string, state: StateDict | Map<string, Tensor> | Module, metadata: Record<string, string> = {}): void {
  const tensors = state instanceof Module ? state.stateDict() : state;
  const { head, chunks } = layoutSafetensors('saveStateDict', tensors, metadata);
  writeFileAtomic(path, [head, ...chunks]);
}

/**
 * Reads a safetensors file as a state dict (name → Tensor), for `module.loadStateDict`.
 * Any safetensors file loads, whoever wrote it; see `loadSafetensors` for dtypes.
 */
export function loadStateDict(path: string): StateDict {
  return loadSafetensors(path).tensors;
}
