import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';
import { checkMetricFixture, metricCases } from './fixture.js';

const M = sd.metrics;
const int = (...v: number[]): sd.Tensor => sd.tensor(new Int32Array(v));

describe('accuracy metrics', () => {
  it('match the NumPy references', () => {
    for (const prefix of ['accuracy_', 'sparse_accuracy', 'categorical_accuracy', 'top', 'binary_accuracy']) {
      for (const name of metricCases(prefix)) checkMetricFixture(name);
    }
  });

  it('give hand-computed values', () => {
    assert.equal(M.accuracy([0, 1, 2, 2], [0, 2, 2, 2]), 0.75);
    assert.equal(M.accuracy(int(1, 0), sd.tensor([[0.2, 0.8], [0.4, 0.6]])), 0.5);
    assert.equal(M.binaryAccuracy([1, 0, 1], [0.9, 0.4, 0.2]), 2 / 3);
    assert.equal(M.binaryAccuracy([[1], [0]], [0.6, 0.1]), 1);
    assert.equal(M.binaryAccuracy([1, 1], [0.3, -2], { threshold: 0 }), 0.5);
    assert.equal(M.categoricalAccuracy([[0, 1, 0], [1, 0, 0]], [[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]]), 0.5);
    assert.equal(M.sparseCategoricalAccuracy(int(1, 0), [[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]]), 0.5);
    assert.equal(M.sparseCategoricalAccuracy(sd.tensor([[1], [1]]), [[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]]), 1);
  });

  it('topKAccuracy counts ties at the boundary as hits, like in_top_k, and takes one-hot targets', () => {
    const scores = [[0.5, 0.5, 0.5, 0.1], [0.4, 0.3, 0.2, 0.1]];
    assert.equal(M.topKAccuracy(int(2, 3), scores, { k: 1 }), 0.5);
    assert.equal(M.topKAccuracy(int(2, 2), scores, { k: 2 }), 0.5);
    assert.equal(M.topKAccuracy(int(2, 2), scores, { k: 3 }), 1);
    assert.equal(M.topKAccuracy([[0, 0, 1, 0], [0, 1, 0, 0]], scores, { k: 2 }), 1);
  });

  it('is NaN for no samples', () => {
    assert.ok(Number.isNaN(M.accuracy(int(), int())));
  });

  it('rejects mismatched shapes and non-integer labels', () => {
    assertThrows(() => M.accuracy([0, 1, 2], [0, 1]), sd.ShapeError, /accuracy: yTrue \[3\] and yPred \[2\] do not match/);
    assertThrows(() => M.accuracy([0, 1], [0.3, 0.9]), sd.DTypeError, /accuracy: yPred must hold class labels \(integers\), got 0.3 at position 0 \(threshold probabilities first/);
    assertThrows(() => M.categoricalAccuracy(int(0, 1), [[0.1, 0.9], [0.8, 0.2]]), sd.ShapeError, /categoricalAccuracy: yTrue \[2\] must be one-hot of yPred's shape \[2,2\] \(integer labels go with sparseCategoricalAccuracy\)/);
    assertThrows(() => M.sparseCategoricalAccuracy(int(0, 1, 1), [[0.1, 0.9], [0.8, 0.2]]), sd.ShapeError, /sparseCategoricalAccuracy: yTrue \[3\] and yPred \[2,2\] do not match/);
    assertThrows(() => M.topKAccuracy(int(0), [[1, 2]], { k: 0 }), sd.ValueError, /topKAccuracy: k must be a positive integer, got 0/);
    assertThrows(() => M.binaryAccuracy([1], [0.5], { threshold: Number.NaN }), sd.ValueError, /binaryAccuracy: threshold must be a number/);
  });
});
