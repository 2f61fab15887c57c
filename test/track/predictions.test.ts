/** What a tracked fit reads of a classifier's predictions: classes and sample images. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { classPredictions, sampleImage } from '../../src/track/predictions.js';

describe('track: classifier predictions', () => {
  it('class indices or one-hot targets with scores; 0/1 targets with probabilities or logits', () => {
    const scores = sd.tensor([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1]]);
    const sparse = classPredictions(sd.tensor([1, 2], undefined, 'int32'), scores);
    assert.deepEqual(sparse && [sparse.numClasses, [...sparse.labels], [...sparse.predicted]], [3, [1, 2], [1, 0]]);
    const oneHot = classPredictions(sd.tensor([[0, 1, 0], [0, 0, 1]]), scores);
    assert.deepEqual(oneHot && [...oneHot.labels], [1, 2]);
    const probabilities = classPredictions(sd.tensor([[1], [0], [1]]), sd.tensor([[0.9], [0.6], [0.2]]));
    assert.deepEqual(probabilities && [probabilities.numClasses, [...probabilities.predicted]], [2, [1, 1, 0]]);
    const logits = classPredictions(sd.tensor([1, 0]), sd.tensor([0.3, -2]));
    assert.deepEqual(logits && [...logits.predicted], [1, 0]);
  });

  it('not a classifier: regression targets, labels out of range, mismatched rows', () => {
    assert.equal(classPredictions(sd.tensor([[0.5], [2]]), sd.tensor([[0.4], [1.9]])), null);
    assert.equal(classPredictions(sd.tensor([3, 0]), sd.tensor([[0.5, 0.5], [1, 0]])), null);
    assert.equal(classPredictions(sd.tensor([1.5, 0]), sd.tensor([[0.5, 0.5], [1, 0]])), null);
    assert.equal(classPredictions(sd.tensor([1]), sd.tensor([[0.5, 0.5], [1, 0]])), null);
  });

  it('images: [H,W], [H,W,C] and [C,H,W] samples; flat vectors and tiny maps are not pictures', () => {
    const hw = sampleImage(sd.rand([2, 8, 9]), 1);
    assert.deepEqual(hw && [hw.height, hw.width, hw.channels, hw.layout, hw.data.length], [8, 9, 1, 'hwc', 72]);
    const x = sd.rand([2, 10, 8, 3]);
    const hwc = sampleImage(x, 1);
    assert.deepEqual(hwc && [hwc.height, hwc.width, hwc.channels, hwc.layout, hwc.data[0]], [10, 8, 3, 'hwc', x.values[240]]);
    const chw = sampleImage(sd.rand([1, 3, 8, 8]), 0);
    assert.deepEqual(chw && [chw.channels, chw.layout], [3, 'chw']);
    assert.equal(sampleImage(sd.rand([2, 784]), 0), null);
    assert.equal(sampleImage(sd.rand([2, 4, 4, 1]), 0), null);
  });
});
