import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as sd from '../../../src/index.js';
import { assertThrows } from '../../helpers.js';

let dir = '';
before(() => (dir = mkdtempSync(join(tmpdir(), 'shendu-idx-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('data.readIdx', () => {
  it('round-trips ubyte images, plain and gzipped', async () => {
    const images = sd.tensor(Int32Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 11) % 256), [2, 3, 4]);
    for (const name of ['images-idx3-ubyte', 'images-idx3-ubyte.gz']) {
      const path = join(dir, name);
      await sd.data.writeIdx(path, images, { type: 'ubyte' });
      const back = await sd.data.readIdx(path);
      assert.deepEqual([...back.shape], [2, 3, 4]);
      assert.equal(back.dtype, 'int32');
      assert.deepEqual(Array.from(back.values), Array.from(images.values));
      const scaled = sd.data.readIdxSync(path, { dtype: 'float32', scale: 1 / 255 });
      assert.equal(scaled.dtype, 'float32');
      assert.ok(Math.abs(scaled.values[23] - images.values[23] / 255) < 1e-7);
    }
  });

  it('recognises gzip by its magic bytes, not by the name', () => {
    const labels = sd.tensor(new Int32Array([7, 2, 1, 0]));
    const path = join(dir, 'labels-without-extension');
    writeFileSync(path, gzipSync(sd.data.encodeIdx(labels, { type: 'ubyte' })));
    assert.deepEqual(Array.from(sd.data.readIdxSync(path).values), [7, 2, 1, 0]);
  });

  it('decompresses files whose gzip trailer does not state the whole size (several members)', () => {
    const images = sd.tensor(Int32Array.from({ length: 5 * 7 * 9 }, (_, i) => (i * 13) % 256), [5, 7, 9]);
    const bytes = sd.data.encodeIdx(images, { type: 'ubyte' });
    // the trailer holds the size of the last member only: here smaller, then larger than the first
    for (const cut of [300, 10]) {
      const twoMembers = Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]);
      assert.deepEqual(Array.from(sd.data.parseIdx(twoMembers).values), Array.from(images.values), `cut at ${cut}`);
    }
  });

  it('reads every IDX element type, big-endian', () => {
    const cases: [sd.data.IdxType, sd.Tensor][] = [
      ['byte', sd.tensor(new Int32Array([-128, 0, 127]))],
      ['short', sd.tensor(new Int32Array([-30000, 1, 30000]))],
      ['int', sd.tensor(new Int32Array([-2e9, 5, 2e9]))],
      ['float', sd.tensor([1.5, -2.25, 1e30])],
      ['double', sd.tensor(new Float64Array([Math.PI, -1e-300, 2]))],
    ];
    for (const [type, t] of cases) {
      const bytes = sd.data.encodeIdx(t, { type });
      const back = sd.data.parseIdx(bytes);
      assert.deepEqual(Array.from(back.values), Array.from(t.values), type);
    }
    // the header is big-endian: a [2,3] ubyte file
    const bytes = sd.data.encodeIdx(sd.zeros([2, 3], 'int32'), { type: 'ubyte' });
    assert.deepEqual(Array.from(bytes.subarray(0, 12)), [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
  });

  it('rejects a missing file, bad magic bytes, truncated data and values that do not fit', async () => {
    await assert.rejects(sd.data.readIdx(join(dir, 'nope.idx')), (e: Error) => e instanceof sd.ValueError && /readIdx: no such file '.*nope\.idx'/.test(e.message));
    const png = join(dir, 'not-idx');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    assertThrows(() => sd.data.readIdxSync(png), sd.ValueError, /is not an IDX file: magic bytes 0x89 0x50 0x4e 0x47 \(expected 0x00 0x00, a type code/);
    const full = sd.data.encodeIdx(sd.zeros([4, 4], 'int32'), { type: 'ubyte' });
    assertThrows(() => sd.data.parseIdx(full.subarray(0, full.length - 3)), sd.ValueError, /has 13 bytes of data but its header declares ubyte \[4,4\] \(16 bytes\); the file is truncated/);
    assertThrows(() => sd.data.parseIdx(full.subarray(0, 6)), sd.ValueError, /truncated: its header declares rank 2/);
    assertThrows(() => sd.data.parseIdx(Uint8Array.of(0x1f, 0x8b, 1, 2)), sd.ValueError, /starts like gzip but does not decompress/);
    assertThrows(() => sd.data.encodeIdx(sd.tensor(new Int32Array([256])), { type: 'ubyte' }), sd.ValueError, /element 0 is 256, which does not fit IDX type ubyte \(0\.\.255\)/);
    assertThrows(() => sd.data.parseIdx(full, { dtype: 'int32', scale: 0.5 }), sd.DTypeError, /scale needs a float dtype/);
  });
});
