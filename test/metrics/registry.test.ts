import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

const M = sd.metrics;

describe('getMetric and resolveAccuracy', () => {
  it('resolves Keras names in camelCase or snake_case, named as asked', () => {
    const m = M.getMetric('sparse_categorical_accuracy');
    assert.ok(m instanceof M.SparseCategoricalAccuracy);
    assert.equal(m.name, 'sparse_categorical_accuracy');
    assert.ok(M.getMetric('mse') instanceof M.MeanSquaredError);
    assert.ok(M.getMetric('meanAbsoluteError') instanceof M.MeanAbsoluteError);
    assert.ok(M.getMetric('AUC') instanceof M.AUC);
    assert.ok(M.getMetric('precision') instanceof M.Precision);
    assert.ok(M.getMetric('f1') instanceof M.F1Score);
    assert.notEqual(M.getMetric('auc'), M.getMetric('auc'), 'a fresh metric per call');
    const own = new M.Recall();
    assert.equal(M.getMetric(own), own);
    assert.ok(M.getMetric((t: sd.Tensor, p: sd.Tensor) => sd.abs(sd.sub(t, p))) instanceof M.MeanMetricWrapper);
  });

  it("resolves 'accuracy' by the loss, as Keras", () => {
    const acc = (loss?: Parameters<typeof M.resolveAccuracy>[0]): sd.metrics.Metric => M.getMetric('accuracy', { loss });
    assert.ok(acc('sparseCategoricalCrossentropy') instanceof M.SparseCategoricalAccuracy);
    assert.ok(acc('sparse_categorical_crossentropy') instanceof M.SparseCategoricalAccuracy);
    assert.ok(acc('categoricalCrossentropy') instanceof M.CategoricalAccuracy);
    assert.ok(acc('binaryCrossentropy') instanceof M.BinaryAccuracy);
    assert.equal((acc({ name: 'binaryCrossentropy', fromLogits: true }) as sd.metrics.BinaryAccuracy).threshold, 0);
    assert.ok(acc(new sd.nn.CrossEntropyLoss()) instanceof M.SparseCategoricalAccuracy);
    assert.equal((acc(new sd.nn.BCEWithLogitsLoss()) as sd.metrics.BinaryAccuracy).threshold, 0);
    assert.ok(acc(sd.losses.getLoss('categorical_crossentropy')) instanceof M.CategoricalAccuracy);
    assert.ok(acc('mse') instanceof M.Accuracy);
    assert.ok(acc() instanceof M.Accuracy);
    assert.equal(acc('sparseCategoricalCrossentropy').name, 'accuracy');
    assert.equal(M.getMetric('acc', { loss: 'binaryCrossentropy' }).name, 'acc');
  });

  it("'crossentropy' by the loss (on logits when the loss takes them), else by the shapes; the cross-entropies by name", () => {
    const probs = sd.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
    const labels = sd.tensor(new Int32Array([0, 2]));
    const onehot = sd.tensor([[1, 0, 0], [0, 0, 1]]);
    const expected = (-Math.log(0.7) - Math.log(0.8)) / 2;
    const value = (m: sd.metrics.Metric, t: sd.Tensor, p: sd.Tensor): number => {
      m.update(t, p);
      return m.result();
    };
    const ce = (loss?: Parameters<typeof M.resolveCrossentropy>[0]): sd.metrics.Metric => M.getMetric('crossentropy', { loss });
    assert.ok(Math.abs(value(ce('sparseCategoricalCrossentropy'), labels, probs) - expected) < 1e-6);
    assert.ok(Math.abs(value(ce('categoricalCrossentropy'), onehot, probs) - expected) < 1e-6);
    assert.ok(Math.abs(value(ce(), labels, probs) - expected) < 1e-6);
    assert.ok(Math.abs(value(ce(), onehot, probs) - expected) < 1e-6);
    const logits = sd.log(probs);
    assert.ok(Math.abs(value(ce(new sd.nn.CrossEntropyLoss()), labels, logits) - expected) < 1e-6);
    assert.ok(Math.abs(value(ce({ name: 'sparseCategoricalCrossentropy', fromLogits: true }), labels, logits) - expected) < 1e-6);
    const binary = (-Math.log(0.9) - Math.log(0.8)) / 2;
    assert.ok(Math.abs(value(M.getMetric('ce', { loss: 'binaryCrossentropy' }), sd.tensor([[1], [0]]), sd.tensor([[0.9], [0.2]])) - binary) < 1e-6);
    assert.equal(M.getMetric('ce').name, 'ce');
    const named = M.getMetric('sparse_categorical_crossentropy');
    assert.equal(named.name, 'sparse_categorical_crossentropy');
    assert.ok(Math.abs(value(named, labels, probs) - expected) < 1e-6);
    assert.ok(Math.abs(value(M.getMetric('categoricalCrossentropy'), onehot, probs) - expected) < 1e-6);
  });

  it('lists the valid names for an unknown one', () => {
    assertThrows(
      () => M.getMetric('accuracyy'),
      sd.ValueError,
      /getMetric: unknown metric 'accuracyy'; valid names: accuracy \(acc\), binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, .*auc, meanSquaredError \(mse\), meanAbsoluteError \(mae\)/,
    );
    assertThrows(() => M.getMetric(3 as never), sd.ValueError, /getMetric: expected a metric name, a Metric or a function, got 3/);
  });
});
