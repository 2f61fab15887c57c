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

  it('lists the valid names for an unknown one', () => {
    assertThrows(
      () => M.getMetric('accuracyy'),
      sd.ValueError,
      /getMetric: unknown metric 'accuracyy'; valid names: accuracy \(acc\), binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, .*auc, meanSquaredError \(mse\), meanAbsoluteError \(mae\)/,
    );
    assertThrows(() => M.getMetric(3 as never), sd.ValueError, /getMetric: expected a metric name, a Metric or a function, got 3/);
  });
});
