import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';
import { checkMetricFixture, metricCases } from './fixture.js';

const M = sd.metrics;

describe('ROC curve and AUC', () => {
  it('match the Mann-Whitney references: ties, -1/1 labels, one-vs-rest, multi-label', () => {
    for (const name of metricCases('auc_')) checkMetricFixture(name);
  });

  it('give the scikit-learn example values', () => {
    assert.equal(M.rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
    const curve = M.rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    assert.deepEqual(curve.fpr, [0, 0, 0.5, 0.5, 1]);
    assert.deepEqual(curve.tpr, [0, 0.5, 0.5, 1, 1]);
    assert.deepEqual(curve.thresholds.map((v) => Math.round(v * 100) / 100), [Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    assert.equal(M.rocAuc([0, 1], [0.5, 0.5]), 0.5);
    assert.equal(M.rocAuc([0, 1, 1], [0.2, 0.2, 0.9]), 0.75);
    assert.equal(M.rocAuc([true, false], [0.9, 0.1]), 1);
  });

  it('rejects a single class, NaN scores, multi-class 1-D labels and mismatched shapes', () => {
    assertThrows(() => M.rocAuc([1, 1], [0.2, 0.3]), sd.ValueError, /rocAuc: only one class is present in yTrue; the ROC AUC is not defined then/);
    assertThrows(() => M.rocAuc([0, 1], [0.2, Number.NaN]), sd.ValueError, /rocAuc: yScore holds NaN at position 1/);
    assertThrows(() => M.rocAuc([0, 1, 2], [0.2, 0.3, 0.4]), sd.ValueError, /rocAuc: yTrue must be binary, got labels 0, 1, 2 \(give \[N,C\] scores for multi-class\)/);
    assertThrows(() => M.rocAuc([0, 1], [0.2, 0.3, 0.4]), sd.ShapeError, /rocAuc: yTrue \[2\] and yScore \[3\] do not match/);
    assertThrows(() => M.rocAuc([0, 3], [[0.2, 0.8], [0.6, 0.4]]), sd.ValueError, /rocAuc: yTrue holds label 3 at position 1, out of range for 2 score columns/);
    assertThrows(() => M.rocAuc([0, 1], [0.2, 0.3], { average: 'samples' as 'macro' }), sd.ValueError, /rocAuc: average must be 'macro', 'weighted' or 'micro'/);
  });
});
