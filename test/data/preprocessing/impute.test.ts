import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers.js';

describe('data.SimpleImputer', () => {
  it('fills the mean of the training data (the scikit-learn example)', () => {
    const imp = new sd.data.SimpleImputer({ strategy: 'mean' }).fit([[7, 2, 3], [4, NaN, 6], [10, 5, 9]]);
    assertClose(sd.tensor(imp.statistics!), [7, 3.5, 6]);
    assertClose(imp.transform([[NaN, 2, 3], [4, NaN, 6], [10, NaN, 9]]), [[7, 2, 3], [4, 3.5, 6], [10, 3.5, 9]]);
  });

  it('fills the median, the most frequent value (smallest on ties) or a constant', () => {
    const x = [[1, 2], [NaN, 3], [7, 6], [4, NaN]];
    assertClose(new sd.data.SimpleImputer({ strategy: 'median' }).fitTransform(x), [[1, 2], [4, 3], [7, 6], [4, 3]]);
    const y = [[1, 2], [1, 3], [7, 3], [7, NaN], [NaN, 2]];
    const freq = new sd.data.SimpleImputer({ strategy: 'mostFrequent' }).fit(y);
    assertClose(sd.tensor(freq.statistics!), [1, 2]);
    assertClose(new sd.data.SimpleImputer({ strategy: 'constant', fillValue: -1 }).fitTransform(x), [[1, 2], [-1, 3], [7, 6], [4, -1]]);
  });

  it('takes another missing marker and round-trips JSON', () => {
    const imp = new sd.data.SimpleImputer({ missingValue: -1 }).fit([[1], [-1], [3]]);
    assertClose(imp.transform([[-1], [5]]), [[2], [5]]);
    const again = sd.data.SimpleImputer.fromJSON(JSON.parse(JSON.stringify(imp)));
    assertClose(again.transform([[-1]]), [[2]]);
    const nanJson = JSON.parse(JSON.stringify(new sd.data.SimpleImputer().fit([[1], [NaN]])));
    assert.equal(nanJson.missingValue, null); // NaN is not JSON
    assertClose(sd.data.SimpleImputer.fromJSON(nanJson).transform([[NaN]]), [[1]]);
  });

  it('rejects an unknown strategy, an all-missing feature and use before fit', () => {
    assertThrows(() => new sd.data.SimpleImputer({ strategy: 'mode' as never }), sd.ValueError, /unknown strategy 'mode' \(expected mean, median, mostFrequent, constant\)/);
    assertThrows(() => new sd.data.SimpleImputer().fit([[1, NaN], [2, NaN]]), sd.ValueError, /feature 1 has no observed values, so its mean is undefined; use strategy 'constant'/);
    assertThrows(() => new sd.data.SimpleImputer().transform([[1]]), sd.ValueError, /not fitted yet/);
  });
});

describe('data.interpolate', () => {
  it('fills gaps linearly and repeats the nearest value at the edges', () => {
    assertClose(sd.data.interpolate([1, NaN, NaN, 4, NaN]), [1, 2, 3, 4, 4]);
    assertClose(sd.data.interpolate([NaN, 2, NaN, 6]), [2, 2, 4, 6]);
    assertClose(sd.data.interpolate([NaN, 2, NaN, 6, NaN], { edges: 'keep' }), [NaN, 2, 4, 6, NaN]);
    assertClose(sd.data.interpolate([NaN, NaN]), [NaN, NaN]);
  });

  it('runs along the chosen axis of a matrix', () => {
    const x = [[1, NaN], [NaN, 10], [3, 30]];
    assertClose(sd.data.interpolate(x), [[1, 10], [2, 10], [3, 30]]);
    assertClose(sd.data.interpolate([[0, NaN, 4], [NaN, 1, NaN]], { axis: 1 }), [[0, 2, 4], [1, 1, 1]]);
    assertThrows(() => sd.data.interpolate(x, { axis: 2 }), sd.ValueError, /interpolate/);
    assertThrows(() => sd.data.interpolate(x, { edges: 'zero' as never }), sd.ValueError, /edges must be 'nearest' or 'keep'/);
  });
});

describe('data.imputeCategorical', () => {
  it('fills missing categories with the most frequent or a constant', () => {
    assert.deepEqual(sd.data.imputeCategorical(['b', null, 'a', 'b', '', 'a']), { values: ['b', 'a', 'a', 'b', 'a', 'a'], fill: 'a' });
    assert.deepEqual(sd.data.imputeCategorical(['x', null], { strategy: 'constant', fillValue: '?' }).values, ['x', '?']);
    assertThrows(() => sd.data.imputeCategorical([null, null]), sd.ValueError, /no observed values/);
  });
});
