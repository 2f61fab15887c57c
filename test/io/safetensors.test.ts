import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sd from '../../src/index.js';
import { halfToFloat } from '../../src/io/dtypes.js';
import { assertThrows, type FixtureTensor } from '../helpers.js';

const { encodeSafetensors, decodeSafetensors } = sd.io;

/** The bytes of a tensor's storage, to compare values bit for bit (NaN payloads, -0). */
function bits(t: sd.Tensor): number[] {
  return [...new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength)];
}

function assertSameTensor(actual: sd.Tensor | undefined, expected: sd.Tensor, what: string): void {
  assert.ok(actual, `${what}: missing`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${what}: shape`);
  assert.deepEqual(bits(actual), bits(expected), `${what}: values`);
}

/** A file made by hand: 8-byte length, JSON header padded with spaces, data. */
function fileOf(header: unknown, data: number[] = [], pad = true): Uint8Array {
  let json = typeof header === 'string' ? header : JSON.stringify(header);
  if (pad) json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const text = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + text.length + data.length);
  out.writeBigUInt64LE(BigInt(text.length), 0);
  text.copy(out, 8);
  Buffer.from(data).copy(out, 8 + text.length);
  return out;
}

const f32 = (name: string, shape: number[], begin: number, end: number): Record<string, unknown> => ({
  [name]: { dtype: 'F32', shape, data_offsets: [begin, end] },
});

describe('safetensors round trip', () => {
  const tensors: Record<string, sd.Tensor> = {
    'f32.special': sd.tensor([0, -0, 1.5, -2, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38], undefined, 'float32'),
    'f32.matrix': sd.randn([3, 4]),
    'f64.values': sd.tensor([Math.PI, -0, NaN, Infinity, 5e-324, Number.MAX_VALUE], undefined, 'float64'),
    'i32.values': sd.tensor([[0, -1], [2147483647, -2147483648]], undefined, 'int32'),
    'bool.mask': sd.tensor([true, false, true, true, false]),
    'f32.scalar': sd.tensor(2.5),
    'i32.scalar': sd.tensor(-7, undefined, 'int32'),
    'bool.scalar': sd.tensor(true),
    'f64.scalar': sd.tensor(0.1, undefined, 'float64'),
    'f32.empty': sd.zeros([0, 3]),
    'i32.empty': sd.zeros([2, 0], 'int32'),
    'bool.empty': sd.zeros([0], 'bool'),
    'f64.empty': sd.zeros([0], 'float64'),
  };

  it('keeps every dtype, shape and bit, with scalars and zero-size tensors', () => {
    const { tensors: back, metadata } = decodeSafetensors(encodeSafetensors(tensors));
    assert.deepEqual(metadata, {});
    assert.deepEqual(Object.keys(back).sort(), Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) assertSameTensor(back[name], t, name);
  });

  it('keeps metadata strings, including unicode and empty ones', () => {
    const metadata = { format: 'pt', note: '深度 — ünïcode "quoted" \\ back\nslash', empty: '', json: '{"a":[1,2]}' };
    const back = decodeSafetensors(encodeSafetensors({ x: sd.ones([2]) }, metadata));
    assert.deepEqual(back.metadata, metadata);
  });

  it('accepts a Map and a file with no tensors', () => {
    const back = decodeSafetensors(encodeSafetensors(new Map([['a', sd.ones([1])]])));
    assert.deepEqual([...back.tensors.a.values], [1]);
    assert.deepEqual(decodeSafetensors(encodeSafetensors({}, { only: 'metadata' })), { tensors: {}, metadata: { only: 'metadata' } });
    assert.deepEqual(decodeSafetensors(encodeSafetensors({})).tensors, {});
  });

  it('pads the header to 8 bytes and puts the widest elements first, so every tensor is aligned', () => {
    const bytes = encodeSafetensors({ mask: sd.zeros([3], 'bool'), w: sd.ones([3]), d: sd.ones([1], 'float64') }, { a: 'b' });
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    assert.equal(n % 8, 0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
    assert.deepEqual(Object.keys(header), ['__metadata__', 'd', 'w', 'mask']);
    assert.deepEqual(header.d.data_offsets, [0, 8]);
    assert.deepEqual(header.w, { dtype: 'F32', shape: [3], data_offsets: [8, 20] });
    assert.deepEqual(header.mask, { dtype: 'BOOL', shape: [3], data_offsets: [20, 23] });
    assert.equal(bytes.length, 8 + n + 23);
  });

  it('writes exactly the bytes of a hand-made file', () => {
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes, padded to 56
    const expected = Buffer.concat([
      Buffer.from('3800000000000000', 'hex'),
      Buffer.from(json + '  ', 'utf8'),
      Buffer.from('0000803f000000c0', 'hex'), // 1.0, -2.0 little-endian
    ]);
    assert.deepEqual(Buffer.from(encodeSafetensors({ a: sd.tensor([1, -2]) })), expected);
    const back = decodeSafetensors(expected).tensors.a;
    assert.deepEqual([...back.values], [1, -2]);
  });

  it('writes views (slices of a larger buffer) correctly', () => {
    const base = new Float32Array([9, 1, 2, 3, 9]);
    const view = new sd.Tensor(base.subarray(1, 4), [3], 'float32');
    assert.deepEqual([...decodeSafetensors(encodeSafetensors({ v: view })).tensors.v.values], [1, 2, 3]);
  });

  it('reads from a Uint8Array that is a view at an odd offset', () => {
    const bytes = encodeSafetensors({ a: sd.tensor([1, 2, 3], undefined, 'float64') });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    assert.deepEqual([...decodeSafetensors(shifted.subarray(3)).tensors.a.values], [1, 2, 3]);
  });
});

describe('safetensors dtypes read from other tools', () => {
  it('converts half floats exactly', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x7bff), 65504);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x03ff), 1023 * 2 ** -24);
    assert.equal(halfToFloat(0x0400), 2 ** -14);
    assert.ok(Object.is(halfToFloat(0x8000), -0));
    assert.equal(halfToFloat(0x7c00), Infinity);
    assert.equal(halfToFloat(0xfc00), -Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  });

  it('reads F16, BF16, I64, I16, I8, U16, U8, U32 and U64', () => {
    const header = {
      h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
      l: { dtype: 'I64', shape: [2], data_offsets: [8, 24] },
      s: { dtype: 'I16', shape: [1], data_offsets: [24, 26] },
      c: { dtype: 'I8', shape: [1], data_offsets: [26, 27] },
      u: { dtype: 'U8', shape: [1], data_offsets: [27, 28] },
      w: { dtype: 'U16', shape: [1], data_offsets: [28, 30] },
      d: { dtype: 'U32', shape: [1], data_offsets: [30, 34] },
      q: { dtype: 'U64', shape: [1], data_offsets: [34, 42] },
    };
    const data = Buffer.alloc(42);
    data.writeUInt16LE(0x3c00, 0); // 1
    data.writeUInt16LE(0xc100, 2); // -2.5
    data.writeUInt16LE(0x3f80, 4); // bf16 1
    data.writeUInt16LE(0xc049, 6); // bf16 -3.140625
    data.writeBigInt64LE(-5n, 8);
    data.writeBigInt64LE(2147483647n, 16);
    data.writeInt16LE(-300, 24);
    data.writeInt8(-100, 26);
    data.writeUInt8(250, 27);
    data.writeUInt16LE(65535, 28);
    data.writeUInt32LE(2147483647, 30);
    data.writeBigUInt64LE(12n, 34);
    const { tensors } = decodeSafetensors(fileOf(header, [...data]));
    const read = (name: string): [string, number[]] => [tensors[name].dtype, [...tensors[name].values]];
    assert.deepEqual(read('h'), ['float32', [1, -2.5]]);
    assert.deepEqual(read('b'), ['float32', [1, -3.140625]]);
    assert.deepEqual(read('l'), ['int32', [-5, 2147483647]]);
    assert.deepEqual(read('s'), ['int32', [-300]]);
    assert.deepEqual(read('c'), ['int32', [-100]]);
    assert.deepEqual(read('u'), ['int32', [250]]);
    assert.deepEqual(read('w'), ['int32', [65535]]);
    assert.deepEqual(read('d'), ['int32', [2147483647]]);
    assert.deepEqual(read('q'), ['int32', [12]]);
  });

  it('reads any non-zero BOOL byte as true', () => {
    const { tensors } = decodeSafetensors(fileOf({ m: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] } }, [0, 2, 255]));
    assert.deepEqual([...tensors.m.values], [0, 1, 1]);
  });

  it('rejects integers that do not fit in int32, naming the tensor and the value', () => {
    const data = Buffer.alloc(16);
    data.writeBigInt64LE(1n, 0);
    data.writeBigInt64LE(3000000000n, 8);
    const file = fileOf({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, [...data]);
    assertThrows(() => decodeSafetensors(file), sd.FormatError, /tensor 'ids': I64 value 3000000000 at element 1 does not fit in int32/);
    const u32 = fileOf({ u: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, [0xff, 0xff, 0xff, 0xff]);
    assertThrows(() => decodeSafetensors(u32), sd.FormatError, /U32 value 4294967295/);
  });
});

describe('safetensors written by Python', () => {
  const dir = new URL('../fixtures/safetensors/', import.meta.url);
  const expected = JSON.parse(readFileSync(new URL('python.json', dir), 'utf8')) as {
    metadata: Record<string, string>;
    tensors: Record<string, FixtureTensor>;
  };

  it('reads every tensor and the metadata as PyTorch wrote them', () => {
    const { tensors, metadata } = decodeSafetensors(readFileSync(new URL('python.safetensors', dir)));
    assert.deepEqual(metadata, expected.metadata);
    assert.deepEqual(Object.keys(tensors).sort(), Object.keys(expected.tensors).sort());
    for (const [name, e] of Object.entries(expected.tensors)) {
      const want = sd.tensor(e.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v)), e.shape, e.dtype);
      assert.equal(tensors[name].dtype, want.dtype, name);
      assert.deepEqual([...tensors[name].shape], [...want.shape], name);
      [...want.values].forEach((v, i) => assert.ok(Object.is(tensors[name].values[i], v), `${name}[${i}]: ${tensors[name].values[i]} ≠ ${v}`));
    }
  });

  it('keeps -0 of the F16 tensor', () => {
    const { tensors } = decodeSafetensors(readFileSync(new URL('python.safetensors', dir)));
    assert.ok(Object.is(tensors['float16.special'].values[1], -0));
  });
});

describe('safetensors rejects broken files with a message', () => {
  const good = encodeSafetensors({ a: sd.tensor([1, 2, 3]), b: sd.tensor([4, 5], undefined, 'int32') }, { k: 'v' });
  const reject = (bytes: Uint8Array, message: RegExp): void =>
    assertThrows(() => decodeSafetensors(bytes, "'model.safetensors'"), sd.FormatError, message);

  it('names the file', () => {
    reject(new Uint8Array(3), /^'model\.safetensors' is not a valid safetensors file: it has 3 bytes/);
  });

  it('truncated files', () => {
    reject(good.subarray(0, 7), /fewer than the 8-byte header length/);
    reject(good.subarray(0, 20), /the header length \d+ exceeds the 12 bytes after the length prefix/);
    reject(good.subarray(0, good.length - 1), /the tensors need 20 bytes of data but the file has 19 \(truncated\?\)/);
  });

  it('is a FormatError (a ValueError) at every truncation, never another error', () => {
    for (let n = 0; n < good.length; n++) {
      assert.throws(() => decodeSafetensors(good.subarray(0, n)), sd.FormatError, `truncated to ${n} bytes`);
    }
    assert.ok(new sd.FormatError('x') instanceof sd.ValueError);
  });

  it('never fails other than with a FormatError when a header byte is corrupted', () => {
    const n = Number(Buffer.from(good).readBigUInt64LE(0));
    for (let i = 0; i < 8 + n; i++) {
      for (const value of [0x00, 0x22, 0x30, 0x39, 0x5b, 0x7b, 0x7d, 0xff]) {
        const bad = good.slice();
        bad[i] = value;
        try {
          decodeSafetensors(bad);
        } catch (err) {
          assert.ok(err instanceof sd.FormatError, `byte ${i} = ${value}: ${(err as Error).name}: ${(err as Error).message}`);
        }
      }
    }
  });

  it('header length beyond the file or the limit', () => {
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    reject(huge, /the header length 9223372036854775808 exceeds/);
    const big = new Uint8Array(8 + 100 * 1024 * 1024 + 8);
    new DataView(big.buffer).setBigUint64(0, BigInt(100 * 1024 * 1024 + 8), true);
    reject(big, /exceeds the limit of 104857600 bytes/);
  });

  it('corrupted header', () => {
    reject(fileOf('{"a": {"dtype": "F32",'), /the header is not valid JSON/);
    reject(fileOf('[1, 2]   '), /the header is not valid JSON: it starts with "\[1, 2\]/);
    reject(fileOf('{"a": 1} extra'), /the header is not valid JSON/);
    const badUtf8 = fileOf('{"a":"xx"}');
    badUtf8[14] = 0xff;
    reject(badUtf8, /the header is not valid JSON: .*(encoded|decode)/i);
    reject(fileOf({ __metadata__: { n: 1 } }), /__metadata__ value of 'n' must be a string, got 1/);
    reject(fileOf({ __metadata__: ['a'] }), /__metadata__ must be an object of strings/);
    reject(fileOf({ a: 'F32' }), /tensor 'a': expected \{dtype, shape, data_offsets\}, got "F32"/);
  });

  it('unknown and unsupported dtypes', () => {
    reject(fileOf({ a: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }), /tensor 'a': unknown dtype "F128" \(expected one of F64, F32, F16, BF16/);
    reject(fileOf({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, [0]), /tensor 'a': dtype F8_E4M3 is not supported/);
    reject(fileOf({ a: { shape: [1], data_offsets: [0, 4] } }), /unknown dtype undefined/);
  });

  it('bad shapes and offsets', () => {
    const four = [0, 0, 0, 0];
    reject(fileOf({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, four), /shape must be an array of non-negative integers, got \[-1\]/);
    reject(fileOf({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, four), /shape must be an array/);
    reject(fileOf({ a: { dtype: 'F32', shape: 4, data_offsets: [0, 4] } }, four), /shape must be an array/);
    reject(fileOf({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, four), /data_offsets must be \[begin, end\]/);
    reject(fileOf({ a: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } }, four), /data_offsets must be \[begin, end\] with non-negative integers, got \[-4,0\]/);
    reject(fileOf({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, four), /data_offsets \[4,0\] end before they begin/);
    reject(fileOf({ a: { dtype: 'F32', shape: [2 ** 40, 2 ** 20], data_offsets: [0, 4] } }, four), /shape \[1099511627776,1048576\] is too large/);
  });

  it('byte sizes that do not match shape × dtype', () => {
    reject(fileOf(f32('a', [2, 2], 0, 12), Array(12).fill(0)), /tensor 'a': data_offsets \[0,12\] hold 12 bytes, but shape \[2,2\] of F32 needs 16/);
    reject(fileOf(f32('s', [], 0, 0)), /shape \[\] of F32 needs 4/);
  });

  it('overlapping, gapped and out-of-range offsets', () => {
    const data = Array(16).fill(0);
    reject(fileOf({ ...f32('a', [2], 0, 8), ...f32('b', [2], 4, 12) }, data.slice(0, 12)), /tensor 'b' \[4,12\] overlaps the data after 'a' \[0,8\]/);
    reject(fileOf({ ...f32('a', [2], 0, 8), ...f32('b', [1], 12, 16) }, data), /tensor 'b' \[12,16\] leaves a gap after 'a' \[0,8\]/);
    reject(fileOf(f32('a', [1], 4, 8), data.slice(0, 8)), /tensor 'a' \[4,8\] leaves a gap at the start of the data/);
    reject(fileOf(f32('a', [2], 8, 16), data.slice(0, 8)), /leaves a gap at the start/);
    reject(fileOf(f32('a', [1], 0, 4), data.slice(0, 8)), /4 bytes after the last tensor belong to no tensor/);
    reject(fileOf({ ...f32('a', [1], 0, 4), ...f32('b', [1], 0, 4) }, data.slice(0, 8)), /tensor 'b' \[0,4\] overlaps the data after 'a' \[0,4\]/);
  });

  it('accepts tensors listed in any order in the header, and zero-size tensors anywhere', () => {
    const data = [...Buffer.from(new Float32Array([1, 2, 3]).buffer)];
    const bytes = fileOf({ ...f32('late', [1], 8, 12), ...f32('empty', [0], 8, 8), ...f32('early', [2], 0, 8) }, data);
    const { tensors } = decodeSafetensors(bytes);
    assert.deepEqual(Object.keys(tensors), ['early', 'empty', 'late']);
    assert.deepEqual([...tensors.late.values], [3]);
    assert.equal(tensors.empty.size, 0);
  });

  it('accepts a header that is not padded (other writers)', () => {
    const data = [...Buffer.from(new Float32Array([7]).buffer)];
    const { tensors } = decodeSafetensors(fileOf(f32('a', [1], 0, 4), data, false));
    assert.deepEqual([...tensors.a.values], [7]);
  });
});

describe('safetensors writer checks its input', () => {
  it('rejects values that are not tensors, bad names and non-string metadata', () => {
    assertThrows(() => encodeSafetensors({ w: [1, 2] as unknown as sd.Tensor }), sd.ValueError, /encodeSafetensors: 'w' is a Array, not a Tensor/);
    assertThrows(() => encodeSafetensors({ w: null as unknown as sd.Tensor }), sd.ValueError, /'w' is null, not a Tensor/);
    assertThrows(() => encodeSafetensors({ '': sd.ones([1]) }), sd.ValueError, /invalid tensor name ""/);
    assertThrows(() => encodeSafetensors(new Map([['__metadata__', sd.ones([1])]])), sd.ValueError, /invalid tensor name "__metadata__"/);
    assertThrows(() => encodeSafetensors({}, { n: 3 as unknown as string }), sd.ValueError, /metadata value of 'n' must be a string, got 3/);
  });
});
