import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import * as sd from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers.js';

let root = '';

/** A PNG of `w`×`h` whose pixel (x, y) is RGBA (r, g, b, 255). */
function png(w: number, h: number, color: (x: number, y: number) => [number, number, number]): Buffer {
  const image = new pngjs.PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = color(x, y);
      image.data.set([r, g, b, 255], 4 * (y * w + x));
    }
  }
  return pngjs.PNG.sync.write(image);
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'shendu-images-'));
  mkdirSync(join(root, 'train', 'cats'), { recursive: true });
  mkdirSync(join(root, 'train', 'dogs'));
  writeFileSync(join(root, 'train', 'dogs', 'd1.png'), png(3, 2, () => [0, 0, 255]));
  writeFileSync(join(root, 'train', 'cats', 'c2.png'), png(3, 2, (x, y) => [x * 100, y * 200, 0]));
  writeFileSync(join(root, 'train', 'cats', 'c1.PNG'), png(3, 2, () => [255, 0, 0]));
  writeFileSync(join(root, 'train', 'cats', 'notes.txt'), 'not an image');
  const gray = { width: 4, height: 4, data: new Uint8Array(64).fill(128) };
  writeFileSync(join(root, 'train', 'dogs', 'd2.jpg'), jpeg.encode(gray, 100).data);
  mkdirSync(join(root, 'empty', 'nothing'), { recursive: true });
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('data.readImageFolder', () => {
  it('reads class sub-folders in sorted order as NCHW floats in [0, 1] with int32 labels', async () => {
    const folder = await sd.data.readImageFolder(join(root, 'train'), { size: [2, 3] });
    assert.deepEqual(folder.classes, ['cats', 'dogs']);
    assert.deepEqual(folder.files.map((f) => f.split('/').slice(-2).join('/')), ['cats/c1.PNG', 'cats/c2.png', 'dogs/d1.png', 'dogs/d2.jpg']);
    assert.deepEqual([...folder.x.shape], [4, 3, 2, 3]);
    assert.equal(folder.x.dtype, 'float32');
    assert.deepEqual(Array.from(folder.y.values), [0, 0, 1, 1]);
    // c1 is pure red: channel 0 all ones, channels 1 and 2 zero
    assertClose(sd.data.takeRows(folder.x, [0]), [[[[1, 1, 1], [1, 1, 1]], [[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]]);
    // c2: red grows with x, green with y
    const c2 = sd.data.takeRows(folder.x, [1]).values;
    assertClose(sd.tensor(Array.from(c2.subarray(0, 12))), [0, 100 / 255, 200 / 255, 0, 100 / 255, 200 / 255, 0, 0, 0, 200 / 255, 200 / 255, 200 / 255]);
    // the 4×4 gray JPEG was resized to 2×3: still gray (JPEG at quality 100 is near exact)
    const d2 = sd.data.takeRows(folder.x, [3]).values;
    for (const v of d2) assert.ok(Math.abs(v - 128 / 255) < 0.02, `gray pixel ${v}`);
  });

  it('gives NHWC, grayscale and the synchronous form', () => {
    const folder = sd.data.readImageFolderSync(join(root, 'train'), { size: [2, 3], dataFormat: 'NHWC', channels: 1 });
    assert.deepEqual([...folder.x.shape], [4, 2, 3, 1]);
    // red in grayscale is 0.299 (PIL's L)
    assert.ok(Math.abs(folder.x.values[0] - 0.299) < 1e-6);
    const rgbLast = sd.data.readImageFolderSync(join(root, 'train'), { size: [2, 3], dataFormat: 'NHWC' });
    assert.deepEqual(Array.from(rgbLast.x.values.subarray(0, 3)), [1, 0, 0]);
  });

  it('reads single images and decodes by magic bytes', async () => {
    const img = await sd.data.readImage(join(root, 'train', 'dogs', 'd1.png'));
    assert.deepEqual([...img.shape], [3, 2, 3]);
    assert.deepEqual(Array.from(img.values.subarray(12, 18)), [1, 1, 1, 1, 1, 1]);
    const rgba = sd.data.readImageSync(join(root, 'train', 'dogs', 'd1.png'), { channels: 4, scale: 1 });
    assert.deepEqual(Array.from(rgba.values.subarray(18, 24)), [255, 255, 255, 255, 255, 255]);
    const decoded = sd.data.decodeImage(png(1, 1, () => [1, 2, 3]));
    assert.deepEqual(Array.from(decoded.data), [1, 2, 3, 255]);
  });

  it('loads lazily as a dataset for a DataLoader', () => {
    const ds = sd.data.imageFolderDataset(join(root, 'train'), { size: [8, 8] });
    assert.deepEqual(ds.classes, ['cats', 'dogs']);
    assert.equal(ds.size, 4);
    const [x, label] = ds.getItem(2);
    assert.deepEqual([...x.shape], [3, 8, 8]);
    assert.equal(label, 1);
    const batches = [...new sd.data.DataLoader(ds, { batchSize: 3 })];
    assert.deepEqual([...batches[0][0].shape], [3, 3, 8, 8]);
    assert.deepEqual(Array.from(batches[1][1].values), [1]);
  });

  it('rejects images of different sizes without size, missing folders, empty classes and non-images', () => {
    assertThrows(() => sd.data.readImageFolderSync(join(root, 'train')), sd.ShapeError, /d2\.jpg' is 4x4 but '.*c1\.PNG' is 2x3; pass size: \[height, width\]/);
    assertThrows(() => sd.data.readImageFolderSync(join(root, 'nope')), sd.ValueError, /cannot read the folder '.*nope'/);
    assertThrows(() => sd.data.readImageFolderSync(join(root, 'empty')), sd.ValueError, /class folder '.*nothing' has no images/);
    assertThrows(() => sd.data.readImageFolderSync(join(root, 'train', 'dogs')), sd.ValueError, /has no class sub-folders/);
    assertThrows(() => sd.data.decodeImage(Buffer.from('hello world')), sd.ValueError, /neither PNG nor JPEG/);
    assertThrows(() => sd.data.decodeImage(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2])), sd.ValueError, /could not be decoded/);
    assertThrows(() => sd.data.readImageSync(join(root, 'x.png'), { channels: 2 as 3 }), sd.ValueError, /channels must be 1, 3 or 4, got 2/);
  });
});
