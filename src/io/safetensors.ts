import { FormatError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { SAFETENSORS_DTYPES, WRITE_DTYPE, decodeElements, describeBadDType, toLittleEndian } from './dtypes.js';

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian unsigned length N, N
 * bytes of UTF-8 JSON, then the tensor data. The JSON maps each tensor name to
 * `{ dtype, shape, data_offsets: [begin, end] }`, offsets counted in bytes from the start
 * of the data; the optional `"__metadata__"` maps strings to strings. Tensors are
 * row-major, little-endian, and tile the data exactly: no gaps, no overlaps. Writers pad
 * the JSON with spaces to a multiple of 8 bytes so that the data starts aligned.
 *
 * Reading treats the file as untrusted: every number of the header is checked before it
 * is used, and any problem throws a FormatError naming the file and the problem.
 */

/** Tensors by name, as `stateDict()` returns them or as a Map (whose order is kept). */
export type NamedTensors = Record<string, Tensor> | Map<string, Tensor>;

/** What a safetensors file holds: the tensors by name (in data order) and the metadata strings. */
export interface SafetensorsContent {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** The key of the metadata object in the header. */
export const METADATA_KEY = '__metadata__';

/** The reference implementation's limit on the header; larger ones are surely corrupt. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** A file laid out for writing: the length prefix and header, then the data chunks in order. */
export interface SafetensorsLayout {
  /** The 8-byte length followed by the padded JSON header. */
  head: Uint8Array;
  /** The data of each tensor, in file order (views of the tensors' storage where possible). */
  chunks: Uint8Array[];
  /** Total size of the file in bytes. */
  byteLength: number;
}

/**
 * Lays out `tensors` and `metadata` as a safetensors file, without copying tensor data.
 * Tensors are ordered by element width, widest first (stable otherwise), so that every
 * tensor starts at an offset aligned to its element size, as the reference writer does.
 */
export function layoutSafetensors(op: string, tensors: NamedTensors, metadata: Record<string, string> = {}): SafetensorsLayout {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name, t] of entries) {
    if (typeof name !== 'string' || name === '' || name === METADATA_KEY) {
      throw new ValueError(`${op}: invalid tensor name ${JSON.stringify(name)}`);
    }
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: '${name}' is ${describe(t)}, not a Tensor`);
  }
  checkMetadata(metadata, (problem) => new ValueError(`${op}: metadata ${problem}`));
  const ordered = entries
    .map(([name, t], i) => ({ name, t, i }))
    .sort((a, b) => b.t.values.BYTES_PER_ELEMENT - a.t.values.BYTES_PER_ELEMENT || a.i - b.i);

  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const { name, t } of ordered) {
    const bytes = toLittleEndian(t.values);
    header[name] = { dtype: WRITE_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded), true);
  head.set(json, 8);
  return { head, chunks, byteLength: head.length + offset };
}

/**
 * Encodes tensors (and string metadata) as the bytes of a safetensors file.
 *
 * ```ts
 * const bytes = sd.io.encodeSafetensors({ w: sd.ones([2, 2]) }, { note: 'hi' });
 * sd.io.decodeSafetensors(bytes).tensors.w; // [[1, 1], [1, 1]]
 * ```
 */
export function encodeSafetensors(tensors: NamedTensors, metadata: Record<string, string> = {}): Uint8Array {
  const { head, chunks, byteLength } = layoutSafetensors('encodeSafetensors', tensors, metadata);
  const out = new Uint8Array(byteLength);
  out.set(head, 0);
  let offset = head.length;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** One tensor's entry of a checked header. */
interface HeaderEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Random access to the bytes of a safetensors file, in memory or on disk: `read` returns a
 * fresh copy (its own buffer, so typed arrays can view it aligned).
 */
export interface ByteSource {
  size: number;
  read(position: number, length: number): Uint8Array;
}

/**
 * Decodes the bytes of a safetensors file into tensors (converted to Shendu dtypes, see
 * `SAFETENSORS_DTYPES`) and metadata. `source` names the file in error messages.
 * Throws a FormatError for anything the format does not allow; nothing is returned
 * unless the whole file is valid.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'buffer'): SafetensorsContent {
  // new Uint8Array(view) copies (Buffer#slice would share Node's pool)
  return readSafetensors({ size: bytes.length, read: (p, n) => new Uint8Array(bytes.subarray(p, p + n)) }, source);
}

/**
 * Reads a safetensors file from `src`: the header first, checked whole (each entry's
 * dtype, shape and byte range, and that the ranges tile the data), then each tensor's
 * bytes straight into its storage.
 */
export function readSafetensors(src: ByteSource, source: string): SafetensorsContent {
  const fail = (problem: string): FormatError => new FormatError(`${source} is not a valid safetensors file: ${problem}`);
  if (src.size < 8) {
    throw fail(`it has ${src.size} bytes, fewer than the 8-byte header length that starts the format (truncated?)`);
  }
  const prefix = src.read(0, 8);
  const headerLength = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(src.size - 8)) {
    throw fail(`the header length ${headerLength} exceeds the ${src.size - 8} bytes after the length prefix (truncated, or not safetensors)`);
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw fail(`the header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const dataStart = 8 + Number(headerLength);
  const { entries, metadata } = parseHeader(src.read(8, dataStart - 8), fail);
  checkLayout(entries, src.size - dataStart, fail);
  const tensors: [string, Tensor][] = [];
  for (const e of entries) {
    const values = decodeElements(src.read(dataStart + e.begin, e.end - e.begin), e.dtype);
    if (typeof values === 'string') throw fail(`tensor '${e.name}': ${values}`);
    tensors.push([e.name, new Tensor(values, e.shape, SAFETENSORS_DTYPES[e.dtype].target)]);
  }
  // fromEntries defines own properties, so even a tensor named '__proto__' stays a tensor
  return { tensors: Object.fromEntries(tensors), metadata };
}

/**
 * Parses and checks the JSON header: each entry's dtype, shape and offsets, and that its
 * byte range matches shape × element size. Entries come back in data order.
 */
function parseHeader(bytes: Uint8Array, fail: (problem: string) => Error): { entries: HeaderEntry[]; metadata: Record<string, string> } {
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!text.startsWith('{')) throw new Error(`it starts with ${JSON.stringify(text.slice(0, 10))}, not '{'`);
    header = JSON.parse(text);
  } catch (err) {
    throw fail(`the header is not valid JSON: ${(err as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw fail('the header is not a JSON object');
  }
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      checkMetadata(info, (problem) => fail(`${METADATA_KEY} ${problem}`));
      metadata = info as Record<string, string>;
      continue;
    }
    entries.push(checkEntry(name, info, fail));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  return { entries, metadata };
}

function checkEntry(name: string, info: unknown, fail: (problem: string) => Error): HeaderEntry {
  const where = `tensor '${name}'`;
  if (info === null || typeof info !== 'object' || Array.isArray(info)) throw fail(`${where}: expected {dtype, shape, data_offsets}, got ${JSON.stringify(info)}`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPES, dtype)) throw fail(`${where}: ${describeBadDType(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw fail(`${where}: data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw fail(`${where}: data_offsets [${begin},${end}] end before they begin`);
  const elements = shape.reduce((a: number, b: number) => a * b, 1);
  const needed = elements * SAFETENSORS_DTYPES[dtype].width;
  if (!Number.isSafeInteger(needed)) throw fail(`${where}: shape ${fmtShape(shape)} is too large`);
  if (end - begin !== needed) {
    throw fail(`${where}: data_offsets [${begin},${end}] hold ${end - begin} bytes, but shape ${fmtShape(shape)} of ${dtype} needs ${needed}`);
  }
  return { name, dtype, shape, begin, end };
}

/** The byte ranges (sorted by begin) must tile the data exactly: no gap, no overlap, nothing left over. */
function checkLayout(entries: HeaderEntry[], dataLength: number, fail: (problem: string) => Error): void {
  let expected = 0;
  let previous: HeaderEntry | undefined;
  for (const e of entries) {
    if (e.begin !== expected) {
      const range = (x: HeaderEntry): string => `'${x.name}' [${x.begin},${x.end}]`;
      const after = previous ? `after ${range(previous)}` : 'at the start of the data';
      throw fail(`tensor ${range(e)} ${e.begin < expected ? 'overlaps the data' : 'leaves a gap'} ${after}`);
    }
    expected = e.end;
    previous = e;
  }
  if (expected > dataLength) {
    throw fail(`the tensors need ${expected} bytes of data but the file has ${dataLength} (truncated?)`);
  }
  if (expected < dataLength) {
    throw fail(`${dataLength - expected} bytes after the last tensor belong to no tensor`);
  }
}

/** Metadata must be an object of string values. */
function checkMetadata(metadata: unknown, fail: (problem: string) => Error): void {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw fail(`must be an object of strings, got ${JSON.stringify(metadata)}`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw fail(`value of '${key}' must be a string, got ${JSON.stringify(value) ?? typeof value}`);
  }
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `a ${typeof value}`;
}
