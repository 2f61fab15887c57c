import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

describe('data.collate', () => {
  it('stacks tensors, numbers, booleans, typed arrays, strings, tuples and records', () => {
    const batch = sd.data.collate([
      { img: sd.tensor([[1, 2]]), label: 3, ok: true, name: 'a', raw: new Int32Array([1, 2]), pair: [1, 0.5] },
      { img: sd.tensor([[3, 4]]), label: 4, ok: false, name: 'b', raw: new Int32Array([3, 4]), pair: [2, 1.5] },
    ]);
    assert.deepEqual([...batch.img.shape], [2, 1, 2]);
    assert.deepEqual(Array.from(batch.img.values), [1, 2, 3, 4]);
    assert.equal(batch.label.dtype, 'int32');
    assert.equal(batch.ok.dtype, 'bool');
    assert.deepEqual(batch.name, ['a', 'b']);
    assert.deepEqual([...batch.raw.shape], [2, 2]);
    assert.equal(batch.raw.dtype, 'int32');
    assert.equal(batch.pair[0].dtype, 'int32');
    assert.equal(batch.pair[1].dtype, 'float32');
  });

  it('gathers rows with takeRows', () => {
    const t = sd.tensor([[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(sd.data.takeRows(t, [2, 0]).array(), [[5, 6], [1, 2]]);
    assertThrows(() => sd.data.takeRows(t, [3]), sd.ValueError, /row 3 is out of range for 3 rows/);
  });

  it('gathers long rows (copied whole) of every dtype, into a given array too', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const rows = 5;
      const t = sd.reshape(sd.arange(0, rows * 3 * 40, 1, dtype), [rows, 3, 40]); // 120 elements a row
      const indices = [4, 0, 4, 2];
      const expected = indices.flatMap((r) => Array.from({ length: 120 }, (_, k) => r * 120 + k));
      assert.deepEqual(Array.from(sd.data.takeRows(t, indices).values), expected);
      const into = dtype === 'int32' ? new Int32Array(480) : dtype === 'float64' ? new Float64Array(480) : new Float32Array(480);
      const batch = sd.data.takeRows(t, indices, into);
      assert.equal(batch.values, into);
      assert.deepEqual([...batch.shape], [4, 3, 40]);
      assert.deepEqual(Array.from(into), expected);
    }
  });

  it('names the sample whose shape, dtype or kind differs', () => {
    assertThrows(() => sd.data.collate([sd.zeros([2]), sd.zeros([3])]), sd.ShapeError, /sample 1 has shape \[3\] but sample 0 has \[2\]/);
    assertThrows(() => sd.data.collate([sd.zeros([2]), sd.zeros([2], 'int32')]), sd.DTypeError, /sample 1 is int32 but sample 0 is float32/);
    assertThrows(() => sd.data.collate([[1, 'a'], [2, 3]]), sd.DTypeError, /sample\[1\] 1 is a number but sample\[1\] 0 is a string/);
    assertThrows(() => sd.data.collate([]), sd.ValueError, /empty batch/);
  });
});
