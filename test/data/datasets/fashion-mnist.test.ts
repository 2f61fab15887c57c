import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sd from '../../../src/index.js';
import { assertThrows } from '../../helpers.js';

const installed = sd.datasets.hasFashionMnist();

let dir = '';
before(() => {
  // a miniature Fashion-MNIST in the same file layout: 3 training and 2 test images
  dir = mkdtempSync(join(tmpdir(), 'shendu-fashion-'));
  const images = (n: number) => sd.tensor(Int32Array.from({ length: n * 784 }, (_, i) => i % 256), [n, 28, 28]);
  sd.data.writeIdxSync(join(dir, 'train-images-idx3-ubyte.gz'), images(3), { type: 'ubyte' });
  sd.data.writeIdxSync(join(dir, 'train-labels-idx1-ubyte.gz'), sd.tensor(new Int32Array([9, 0, 3])), { type: 'ubyte' });
  sd.data.writeIdxSync(join(dir, 't10k-images-idx3-ubyte'), images(2), { type: 'ubyte' });
  sd.data.writeIdxSync(join(dir, 't10k-labels-idx1-ubyte'), sd.tensor(new Int32Array([2, 1])), { type: 'ubyte' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('datasets.fashionMnist', () => {
  it('reads the four IDX files of a folder, gzipped or plain, scaled to [0, 1]', () => {
    const { train, test, classNames } = sd.datasets.fashionMnist(dir);
    assert.deepEqual([...train.x.shape], [3, 28, 28]);
    assert.deepEqual(Array.from(train.y.values), [9, 0, 3]);
    assert.deepEqual([...test.x.shape], [2, 28, 28]);
    assert.equal(train.x.dtype, 'float32');
    assert.equal(train.y.dtype, 'int32');
    assert.equal(train.x.values[255], 1);
    assert.ok(Math.abs(train.x.values[1] - 1 / 255) < 1e-7);
    assert.equal(classNames[train.y.values[0]], 'Ankle boot');
    assert.equal(sd.datasets.FASHION_MNIST_CLASSES.length, 10);
  });

  it('says how to get the files when they are missing', () => {
    assertThrows(
      () => sd.datasets.fashionMnist(join(dir, 'nowhere')),
      sd.datasets.DatasetNotFoundError,
      /train-images-idx3-ubyte\[\.gz\], train-labels-idx1-ubyte\[\.gz\], .* not found in .*nowhere\. Install them with `apt-get install dataset-fashion-mnist`.*or download .* and pass it/,
    );
  });

  it('loads the real 60,000 / 10,000 Fashion-MNIST', { skip: installed ? false : `Fashion-MNIST is not in ${sd.datasets.FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)` }, () => {
    const { train, test } = sd.datasets.fashionMnist();
    assert.deepEqual([...train.x.shape], [60000, 28, 28]);
    assert.deepEqual([...train.y.shape], [60000]);
    assert.deepEqual([...test.x.shape], [10000, 28, 28]);
    assert.deepEqual([...test.y.shape], [10000]);
    assert.equal(train.y.values[0], 9); // an ankle boot, as in the published files
    assert.equal(test.y.values[0], 9);
    const counts = new Array(10).fill(0);
    for (const label of train.y.values) counts[label]++;
    assert.deepEqual(counts, new Array(10).fill(6000));
  });
});
