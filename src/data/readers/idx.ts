import { readUbyteIdxAsFloat32 } from './idx-native.js';
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { DTypeError, ValueError, fmtShape } from '../../errors.js';
import { allocArray, type DType } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { readBytes, readBytesSync } from './files.js';

/**
 * IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type code, the
 * rank, then each dimension as a big-endian uint32, then the values in row-major order
 * (big-endian). Gzipped files are recognised by their magic bytes (1f 8b), whatever
 * their name.
 */

/** The element types of IDX, by type code. */
const IDX_TYPES = {
  ubyte: { code: 0x08, bytes: 1, dtype: 'int32', min: 0, max: 255 },
  byte: { code: 0x09, bytes: 1, dtype: 'int32', min: -128, max: 127 },
  short: { code: 0x0b, bytes: 2, dtype: 'int32', min: -32768, max: 32767 },
  int: { code: 0x0c, bytes: 4, dtype: 'int32', min: -2147483648, max: 2147483647 },
  float: { code: 0x0d, bytes: 4, dtype: 'float32', min: -Infinity, max: Infinity },
  double: { code: 0x0e, bytes: 8, dtype: 'float64', min: -Infinity, max: Infinity },
} as const;

export type IdxType = keyof typeof IDX_TYPES;

/** An IDX file's header and its raw payload, before conversion to a tensor. */
export interface IdxContents {
  type: IdxType;
  shape: number[];
  /** The values' bytes (big-endian), `sizeOf(shape) * bytes per element` long. */
  payload: Uint8Array;
}

export interface ReadIdxOptions {
  /** Output dtype; default int32 for the integer types, float32 for float, float64 for double. */
  dtype?: DType;
  /** Multiply every value by this (e.g. 1/255 for pixels to [0, 1]); needs a float dtype. */
  scale?: number;
}

/** Splits IDX bytes (gunzipped first if they start with 1f 8b) into header and payload. */
export function parseIdxHeader(bytes: Uint8Array, source = 'IDX data'): IdxContents {
  let b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = gunzipWhole(b);
    } catch (e) {
      throw new ValueError(`readIdx: ${source} starts like gzip but does not decompress: ${(e as Error).message}`);
    }
  }
  const hex = (v: number | undefined) => (v === undefined ? '(none)' : `0x${v.toString(16).padStart(2, '0')}`);
  const type = (Object.keys(IDX_TYPES) as IdxType[]).find((k) => IDX_TYPES[k].code === b[2]);
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0 || type === undefined) {
    throw new ValueError(
      `readIdx: ${source} is not an IDX file: magic bytes ${hex(b[0])} ${hex(b[1])} ${hex(b[2])} ${hex(b[3])} ` +
        `(expected 0x00 0x00, a type code 0x08/0x09/0x0b/0x0c/0x0d/0x0e, then the rank)`,
    );
  }
  const rank = b[3];
  const headerBytes = 4 + 4 * rank;
  if (b.length < headerBytes) {
    throw new ValueError(`readIdx: ${source} is truncated: its header declares rank ${rank} but the file has ${b.length} bytes`);
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = sizeOf(shape) * IDX_TYPES[type].bytes;
  const payload = b.subarray(headerBytes);
  if (payload.length !== expected) {
    throw new ValueError(
      `readIdx: ${source} has ${payload.length} bytes of data but its header declares ${type} ${fmtShape(shape)} ` +
        `(${expected} bytes)${payload.length < expected ? '; the file is truncated' : ''}`,
    );
  }
  return { type, shape, payload };
}

/**
 * Gunzips into a single buffer of the decompressed size, which the gzip trailer states
 * (modulo 2^32, of the last member). With zlib's default 16 KiB output chunks the 47 MB
 * of Fashion-MNIST's training images would come as ~2,900 pieces copied into one buffer
 * at the end: a second copy while decompressing, and pieces that malloc keeps in the
 * process's RSS after they are freed. A wrong trailer (several members, ≥ 4 GiB) is still
 * decompressed correctly, in pieces; deflate expands at most ~1032:1, which bounds it.
 */
function gunzipWhole(gz: Uint8Array): Buffer {
  const stated = gz.length >= 18 ? new DataView(gz.buffer, gz.byteOffset, gz.byteLength).getUint32(gz.length - 4, true) : 0;
  // one byte more than the output, or zlib allocates an (unused) next chunk when it fills this one
  const chunkSize = Math.max(zlibConstants.Z_MIN_CHUNK, Math.min(stated + 1, 1032 * gz.length + 1));
  return gunzipSync(gz, { chunkSize });
}

/** Converts parsed IDX contents to a tensor (see `ReadIdxOptions`). */
export function idxToTensor(contents: IdxContents, options: ReadIdxOptions = {}): Tensor {
  const { type, shape, payload } = contents;
  const spec = IDX_TYPES[type];
  const dtype = options.dtype ?? spec.dtype;
  const scale = options.scale ?? 1;
  if (scale !== 1 && dtype !== 'float32' && dtype !== 'float64') {
    throw new DTypeError(`readIdx: scale needs a float dtype, got ${dtype}`);
  }
  const n = sizeOf(shape);
  const out = allocArray(dtype, n);
  if (type === 'ubyte' && dtype !== 'bool') {
    // the common case (pixels, labels): no DataView needed
    if (scale === 1) out.set(payload);
    else for (let i = 0; i < n; i++) out[i] = payload[i] * scale;
  } else {
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const read = readerOf(type, view);
    const toBool = dtype === 'bool';
    for (let i = 0; i < n; i++) {
      const v = read(i) * scale;
      out[i] = toBool ? (v !== 0 ? 1 : 0) : v;
    }
  }
  return new Tensor(out, shape, dtype);
}

function readerOf(type: IdxType, view: DataView): (i: number) => number {
  switch (type) {
    case 'ubyte':
      return (i) => view.getUint8(i);
    case 'byte':
      return (i) => view.getInt8(i);
    case 'short':
      return (i) => view.getInt16(2 * i, false);
    case 'int':
      return (i) => view.getInt32(4 * i, false);
    case 'float':
      return (i) => view.getFloat32(4 * i, false);
    case 'double':
      return (i) => view.getFloat64(8 * i, false);
  }
}

/** Parses IDX bytes (plain or gzipped) into a tensor. */
export function parseIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): Tensor {
  return idxToTensor(parseIdxHeader(bytes), options);
}

/**
 * Reads an IDX file, gzipped or not, into a tensor of its shape: uint8 pixels come as
 * int32 unless `dtype`/`scale` say otherwise.
 *
 * ```ts
 * const x = await sd.data.readIdx('train-images-idx3-ubyte.gz', { dtype: 'float32', scale: 1 / 255 });
 * x.shape; // [60000,28,28]
 * ```
 */
export async function readIdx(path: string, options: ReadIdxOptions = {}): Promise<Tensor> {
  return idxToTensor(parseIdxHeader(await readBytes('readIdx', path), `'${path}'`), options);
}

/** The synchronous form of `readIdx`. */
export function readIdxSync(path: string, options: ReadIdxOptions = {}): Tensor {
  if (options.dtype === 'float32') {
    const direct = readUbyteIdxAsFloat32(path, options.scale ?? 1);
    if (direct) return direct;
  }
  return idxToTensor(parseIdxHeader(readBytesSync('readIdx', path), `'${path}'`), options);
}

export interface WriteIdxOptions {
  /** Element type; default ubyte for bool, int for int32, float for float32, double for float64. */
  type?: IdxType;
  /** Gzip the file. Default: true when the path ends in `.gz`. */
  gzip?: boolean;
}

/** Encodes a tensor as IDX bytes. Values must fit the element type (a ValueError otherwise). */
export function encodeIdx(t: Tensor, options: WriteIdxOptions = {}): Uint8Array {
  const defaults: Record<DType, IdxType> = { bool: 'ubyte', int32: 'int', float32: 'float', float64: 'double' };
  const type = options.type ?? defaults[t.dtype];
  const spec = IDX_TYPES[type];
  if (spec === undefined) {
    throw new ValueError(`writeIdx: unknown type '${String(type)}' (expected ${Object.keys(IDX_TYPES).join(', ')})`);
  }
  if (t.rank > 255) throw new ValueError(`writeIdx: rank ${t.rank} is more than IDX's 255`);
  const header = 4 + 4 * t.rank;
  const out = new Uint8Array(header + t.size * spec.bytes);
  const view = new DataView(out.buffer);
  out[2] = spec.code;
  out[3] = t.rank;
  t.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const integer = spec.dtype === 'int32';
  for (let i = 0; i < t.size; i++) {
    const v = t.values[i];
    if (integer && (!Number.isInteger(v) || v < spec.min || v > spec.max)) {
      throw new ValueError(`writeIdx: element ${i} is ${v}, which does not fit IDX type ${type} (${spec.min}..${spec.max})`);
    }
    const at = header + i * spec.bytes;
    if (type === 'ubyte') view.setUint8(at, v);
    else if (type === 'byte') view.setInt8(at, v);
    else if (type === 'short') view.setInt16(at, v, false);
    else if (type === 'int') view.setInt32(at, v, false);
    else if (type === 'float') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return options.gzip ? gzipSync(out) : out;
}

/**
 * Writes a tensor as an IDX file (gzipped when the path ends in `.gz` or `gzip` is set).
 *
 * ```ts
 * await sd.data.writeIdx('labels-idx1-ubyte.gz', labels, { type: 'ubyte' });
 * ```
 */
export async function writeIdx(path: string, t: Tensor, options: WriteIdxOptions = {}): Promise<void> {
  await writeFile(path, encodeIdx(t, { ...options, gzip: options.gzip ?? path.endsWith('.gz') }));
}

/** The synchronous form of `writeIdx`. */
export function writeIdxSync(path: string, t: Tensor, options: WriteIdxOptions = {}): void {
  writeFileSync(path, encodeIdx(t, { ...options, gzip: options.gzip ?? path.endsWith('.gz') }));
}
