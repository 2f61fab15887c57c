import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as sd from '../../../src/index.js';
import { nativeAddon } from '../../../src/backend/native/index.js';
import { readUbyteIdxAsFloat32 } from '../../../src/data/readers/idx-native.js';
import { assertThrows } from '../../helpers.js';

/** The native IDX reader (zlib straight into the tensor) against the JavaScript one. */

let dir = '';
before(() => (dir = mkdtempSync(join(tmpdir(), 'shendu-idx-native-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const skip = nativeAddon() ? false : 'native addon not built';

describe('native IDX reading', { skip }, () => {
  it('gives the JavaScript reader\'s float32 values, bit for bit, for plain and gzipped files', () => {
    const images = sd.tensor(Int32Array.from({ length: 37 * 7 * 9 }, (_, i) => (i * 7919) % 256), [37, 7, 9]);
    for (const name of ['x-idx3-ubyte', 'x-idx3-ubyte.gz']) {
      const path = join(dir, name);
      sd.data.writeIdxSync(path, images, { type: 'ubyte' });
      const direct = readUbyteIdxAsFloat32(path, 1 / 255);
      assert.ok(direct, `${name}: the native path applies`);
      const viaJs = sd.data.parseIdx(readFileSync(path), { dtype: 'float32', scale: 1 / 255 });
      assert.deepEqual(direct.shape, [37, 7, 9]);
      assert.deepEqual(direct.values, viaJs.values);
      assert.deepEqual(sd.data.readIdxSync(path, { dtype: 'float32', scale: 1 / 255 }).values, viaJs.values);
    }
  });

  it('leaves other types and damaged files to the JavaScript reader, which names the damage', () => {
    const ints = join(dir, 'ints-idx1-int');
    sd.data.writeIdxSync(ints, sd.tensor(Int32Array.of(1, -2, 3)), { type: 'int' });
    assert.equal(readUbyteIdxAsFloat32(ints, 1), undefined);
    assert.deepEqual(Array.from(sd.data.readIdxSync(ints, { dtype: 'float32' }).values), [1, -2, 3]);
    const full = sd.data.encodeIdx(sd.zeros([4, 4], 'int32'), { type: 'ubyte' });
    const truncated = join(dir, 'short-idx2-ubyte.gz');
    writeFileSync(truncated, gzipSync(full.subarray(0, full.length - 3)));
    assert.equal(readUbyteIdxAsFloat32(truncated, 1), undefined);
    assertThrows(() => sd.data.readIdxSync(truncated, { dtype: 'float32' }), sd.ValueError, /the file is truncated/);
    const longer = join(dir, 'long-idx2-ubyte');
    writeFileSync(longer, Buffer.concat([full, Buffer.from([1, 2])]));
    assert.equal(readUbyteIdxAsFloat32(longer, 1), undefined);
    assert.equal(readUbyteIdxAsFloat32(join(dir, 'missing'), 1), undefined);
  });
});
