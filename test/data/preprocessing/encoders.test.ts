import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers.js';

describe('data.LabelEncoder', () => {
  it('matches scikit-learn: sorted classes, int32 codes, inverse', () => {
    const enc = new sd.data.LabelEncoder().fit(['paris', 'paris', 'tokyo', 'amsterdam']);
    assert.deepEqual(enc.classes, ['amsterdam', 'paris', 'tokyo']);
    const codes = enc.transform(['tokyo', 'tokyo', 'paris']);
    assert.equal(codes.dtype, 'int32');
    assert.deepEqual(Array.from(codes.values), [2, 2, 1]);
    assert.deepEqual(enc.inverseTransform(codes), ['tokyo', 'tokyo', 'paris']);
    const nums = new sd.data.LabelEncoder();
    assert.deepEqual(Array.from(nums.fitTransform([1, 2, 2, 6, 10]).values), [0, 1, 1, 2, 3]);
    assert.deepEqual(nums.classes, [1, 2, 6, 10]); // numeric order, not '10' < '2'
    const again = sd.data.LabelEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
    assert.deepEqual(Array.from(again.transform(['amsterdam']).values), [0]);
  });

  it('rejects unseen and missing values and out-of-range codes', () => {
    const enc = new sd.data.LabelEncoder().fit(['a', 'b']);
    assertThrows(() => enc.transform(['c']), sd.ValueError, /value 0 \("c"\) was not seen by fit \(classes: "a", "b"\)/);
    assertThrows(() => enc.fit(['a', null]), sd.ValueError, /value 1 is missing; impute it first/);
    assertThrows(() => enc.inverseTransform([2]), sd.ValueError, /code 0 is 2, outside 0\.\.1/);
    assertThrows(() => new sd.data.LabelEncoder().transform(['a']), sd.ValueError, /not fitted yet/);
  });
});

describe('data.OneHotEncoder and oneHot', () => {
  it('encodes a categorical column as float32 one-hot rows', () => {
    const enc = new sd.data.OneHotEncoder().fit(['red', 'green', 'blue', 'green']);
    assert.deepEqual(enc.categories, ['blue', 'green', 'red']);
    const rows = enc.transform(['green', 'red']);
    assert.equal(rows.dtype, 'float32');
    assertClose(rows, [[0, 1, 0], [0, 0, 1]]);
    assert.deepEqual(enc.inverseTransform(rows), ['green', 'red']);
    const lenient = new sd.data.OneHotEncoder({ handleUnknown: 'ignore' }).fit(['a', 'b']);
    assertClose(lenient.transform(['c', 'b']), [[0, 0], [0, 1]]);
    assert.deepEqual(lenient.inverseTransform(lenient.transform(['c'])), [null]);
    const again = sd.data.OneHotEncoder.fromJSON(JSON.parse(JSON.stringify(lenient)));
    assertClose(again.transform(['c']), [[0, 0]]);
    assertThrows(() => enc.transform(['purple']), sd.ValueError, /value 0 \("purple"\) was not seen by fit/);
    assertThrows(() => new sd.data.OneHotEncoder({ handleUnknown: 'skip' as never }), sd.ValueError, /handleUnknown must be 'error' or 'ignore'/);
  });

  it('one-hots integer labels, inferring the class count (Keras to_categorical)', () => {
    assertClose(sd.data.oneHot([0, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    const t = sd.data.oneHot(sd.tensor(new Int32Array([1, 0])), 4);
    assert.deepEqual([...t.shape], [2, 4]);
    assertThrows(() => sd.data.oneHot([0.5]), sd.ValueError, /label 0 is 0.5, not an integer/);
    assertThrows(() => sd.data.oneHot([3], 2), sd.ValueError, /oneHot/);
  });
});
