import { nativeAddon } from '../../backend/native/index.js';
import { Tensor } from '../../tensor/tensor.js';

const UBYTE = 0x08;

/**
 * A ubyte IDX file (gzipped or not) as float32 values times `scale`, read by the native
 * backend through zlib straight into the tensor's storage: the file and its inflated
 * bytes never become JavaScript buffers, which would stay in memory until the garbage
 * collector ran. Undefined when that path does not apply — no native addon, one built
 * without zlib, another element type, a damaged or truncated file — and the JavaScript
 * reader then reads the file (and reports what is wrong with it).
 */
export function readUbyteIdxAsFloat32(path: string, scale: number): Tensor | undefined {
  const addon = nativeAddon();
  if (!addon) return undefined;
  const header = new Int32Array(9);
  const rank = addon.idxHeader(path, header);
  if (rank < 0 || header[0] !== UBYTE) return undefined;
  const shape = Array.from(header.subarray(1, 1 + rank));
  const n = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n) || shape.some((d) => d < 0)) return undefined;
  const out = new Float32Array(n);
  if (!addon.idxReadUbyteF32(path, 4 + 4 * rank, out, scale)) return undefined;
  return new Tensor(out, shape, 'float32');
}
