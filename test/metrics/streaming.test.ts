import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

const M = sd.metrics;
const int = (...v: number[]): sd.Tensor => sd.tensor(new Int32Array(v));

/** Feeds `metric` the batches, returns its result. */
function stream(metric: sd.metrics.Metric, batches: [sd.TensorLike, sd.TensorLike][]): number {
  for (const [t, p] of batches) metric.update(t, p);
  return metric.result();
}

describe('streaming metrics', () => {
  const probs = sd.tensor([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]]);
  const labels = int(1, 1, 2, 0);

  it('add batches up to the value over the whole set, and reset', () => {
    const acc = new M.SparseCategoricalAccuracy();
    assert.equal(acc.result(), 0);
    // batches of 3 and 1 samples: 2/3 and 0/1 -> 2/4, not the mean of batch means
    const value = stream(acc, [
      [int(1, 1, 2), sd.slice(probs, [0, 0], [3, 3])],
      [int(0), sd.slice(probs, [3, 0], [1, 3])],
    ]);
    assert.equal(value, M.sparseCategoricalAccuracy(labels, probs));
    assert.equal(value, 0.5);
    acc.reset();
    assert.equal(acc.result(), 0);
    assert.equal(acc.name, 'sparse_categorical_accuracy');
  });

  it('agree with the functional metrics', () => {
    const onehot = sd.oneHot(labels, 3);
    assert.equal(stream(new M.CategoricalAccuracy(), [[onehot, probs]]), M.categoricalAccuracy(onehot, probs));
    assert.equal(stream(new M.TopKCategoricalAccuracy({ k: 2 }), [[labels, probs]]), M.topKAccuracy(labels, probs, { k: 2 }));
    const bt = [1, 0, 1, 1];
    const bp = [[0.9], [0.6], [0.4], [0.7]];
    assert.equal(stream(new M.BinaryAccuracy(), [[bt, bp]]), M.binaryAccuracy(bt, bp));
    assert.equal(stream(new M.Precision(), [[bt.slice(0, 2), bp.slice(0, 2)], [bt.slice(2), bp.slice(2)]]), 2 / 3);
    assert.equal(stream(new M.Recall(), [[bt, bp]]), 2 / 3);
    assert.equal(stream(new M.Recall({ threshold: 0.3 }), [[bt, bp]]), 1);
    const mse = stream(new M.MeanSquaredError(), [[[1, 2], [1, 4]], [[0], [1]]]);
    assert.ok(Math.abs(mse - 5 / 3) < 1e-12);
    assert.equal(stream(new M.MeanAbsoluteError(), [[[1, 2], [1, 4]], [[0], [1]]]), 1);
  });

  it('F1Score: macro over argmax for scores, binary with a threshold for one column', () => {
    const f1 = new M.F1Score();
    stream(f1, [[labels, probs]]);
    assert.equal(f1.result(), M.f1Score(labels, probs, { average: 'macro' }));
    assert.equal(stream(new M.F1Score({ average: 'micro' }), [[sd.oneHot(labels, 3), probs]]), M.accuracy(labels, probs));
    assert.equal(stream(new M.F1Score(), [[[1, 0, 1, 1], [[0.9], [0.6], [0.4], [0.7]]]]), 2 / 3);
  });

  it('AUC is exact over all batches, with ties, and 0 while one class has been seen', () => {
    const auc = new M.AUC();
    auc.update([0, 0], [0.1, 0.4]);
    assert.equal(auc.result(), 0);
    auc.update([1, 1], [[0.35], [0.8]]);
    assert.equal(auc.result(), 0.75);
    auc.reset();
    auc.update(labels, probs);
    const expected = M.rocAuc(sd.oneHot(labels, 3), probs, { average: 'micro' });
    assert.equal(auc.result(), expected);
  });

  it('Accuracy picks binary, sparse or categorical from the shapes of the first batch', () => {
    assert.equal(stream(new M.Accuracy(), [[labels, probs]]), 0.5);
    assert.equal(stream(new M.Accuracy(), [[sd.oneHot(labels, 3), probs]]), 0.5);
    assert.equal(stream(new M.Accuracy(), [[sd.reshape(labels, [4, 1]), probs]]), 0.5);
    assert.equal(stream(new M.Accuracy(), [[[1, 0], [[0.7], [0.2]]]]), 1);
  });

  it('MeanMetricWrapper averages a custom function over every value', () => {
    const m = new M.MeanMetricWrapper(function absError(t: sd.Tensor, p: sd.Tensor) {
      return sd.abs(sd.sub(p, t));
    });
    assert.equal(m.name, 'absError');
    assert.equal(stream(m, [[[1, 2], [2, 2]], [[0], [2]]]), 1);
  });

  it('check their options and inputs', () => {
    assertThrows(() => new M.TopKCategoricalAccuracy({ k: 0 }), sd.ValueError, /TopKCategoricalAccuracy: k must be a positive integer, got 0/);
    assertThrows(() => new M.F1Score({ average: 'none' as 'macro' }), sd.ValueError, /F1Score: average must be 'binary', 'micro', 'macro' or 'weighted', got none/);
    assertThrows(() => new M.Precision({ threshold: 'high' as unknown as number }), sd.ValueError, /Precision: threshold must be a number, got high/);
    assertThrows(() => new M.SparseCategoricalAccuracy().update(int(0, 1, 2), probs), sd.ShapeError, /sparseCategoricalAccuracy: yTrue \[3\] and yPred \[4,3\] do not match/);
  });
});
