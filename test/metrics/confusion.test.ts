import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';
import { checkMetricFixture, metricCases } from './fixture.js';

const M = sd.metrics;

describe('confusion matrix, precision, recall, F1', () => {
  it('match the NumPy references for every average', () => {
    for (const prefix of ['precision_', 'recall_', 'f1Score_', 'confusion_matrix']) {
      for (const name of metricCases(prefix)) checkMetricFixture(name);
    }
  });

  it('confusionMatrix: int32 [C,C], rows are the truth', () => {
    const m = M.confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1], 3);
    assert.equal(m.dtype, 'int32');
    assert.deepEqual(m.array(), [[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
    assert.deepEqual(M.confusionMatrix([0, 1], [[0.9, 0.1], [0.8, 0.2]]).array(), [[1, 0], [1, 0]]);
  });

  it('give hand-computed binary and multi-class values', () => {
    // tp 1, fp 1, fn 1
    assert.equal(M.precision([0, 1, 1, 0], [0, 1, 0, 1]), 0.5);
    assert.equal(M.recall([0, 1, 1, 0], [0, 1, 0, 1]), 0.5);
    assert.equal(M.f1Score([0, 1, 1, 0], [0, 1, 0, 1]), 0.5);
    assert.equal(M.precision([1, 0, 1], [0.8, 0.3, 0.4], { threshold: 0.5 }), 1);
    assert.equal(M.recall([1, 0, 1], [0.8, 0.3, 0.4], { threshold: 0.5 }), 0.5);
    // classes 0..2: per-class F1 1, 0, 2/3 -> macro 5/9; micro = accuracy 3/5
    const t = [0, 1, 2, 2, 0];
    const p = [0, 2, 2, 1, 0];
    assert.ok(Math.abs(M.f1Score(t, p, { average: 'macro' }) - (1 + 0 + 0.5) / 3) < 1e-12);
    assert.equal(M.f1Score(t, p, { average: 'micro' }), 3 / 5);
    assert.deepEqual(M.precision(t, p, { average: 'none' }), [1, 0, 0.5]);
    // nothing predicted positive: 0, scikit-learn's zero_division=0
    assert.equal(M.precision([1, 1], [0, 0]), 0);
  });

  it('reject a binary average on multi-class labels, bad options and out-of-range labels', () => {
    assertThrows(() => M.precision([0, 1, 2], [0, 1, 2]), sd.ValueError, /precision: the labels are multi-class \(0, 1, 2\) but average is 'binary'; choose 'micro', 'macro', 'weighted' or 'none'/);
    assertThrows(() => M.recall([0, 2], [2, 0]), sd.ValueError, /recall: posLabel 1 is not one of the labels \(0, 2\)/);
    assertThrows(() => M.f1Score([0, 1], [0, 1], { average: 'samples' as 'macro' }), sd.ValueError, /f1Score: average must be 'binary', 'micro', 'macro', 'weighted' or 'none', got samples/);
    assertThrows(() => M.confusionMatrix([0, 3], [0, 1], 3), sd.ValueError, /confusionMatrix: yTrue holds label 3 at position 1, out of range for 3 classes \(valid: 0..2\)/);
    assertThrows(() => M.confusionMatrix([0, 1], [0, 1], 0), sd.ValueError, /confusionMatrix: numClasses must be a positive integer, got 0/);
    assertThrows(() => M.confusionMatrix([0, 1], [0, 1, 1]), sd.ShapeError, /confusionMatrix: yTrue \[2\] and yPred \[3\] do not match/);
  });
});
