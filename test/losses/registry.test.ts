import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

describe('getLoss', () => {
  const labels = sd.tensor(new Int32Array([0, 2]));
  const probs = sd.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);

  it('resolves Keras names, aliases and Python spellings to the batch mean', () => {
    const expected = -(Math.log(0.7) + Math.log(0.8)) / 2;
    for (const name of ['sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy']) {
      const loss = sd.losses.getLoss(name);
      assert.equal(loss.name, 'sparseCategoricalCrossentropy');
      assertClose(loss(labels, probs), expected);
    }
    assert.equal(sd.losses.getLoss('mse').name, 'meanSquaredError');
    assert.equal(sd.losses.getLoss('mean_absolute_error').name, 'meanAbsoluteError');
    assert.equal(sd.losses.getLoss('kld').name, 'kullbackLeiblerDivergence');
    assert.equal(sd.losses.canonicalLossName('MSE'), 'meanSquaredError');
    assert.equal(sd.losses.canonicalLossName('nope'), undefined);
  });

  it('takes (yTrue, yPred) and passes them to the PyTorch-order functions the right way round', () => {
    const yTrue = sd.tensor([[0, 1], [1, 0]]);
    const yPred = sd.tensor([[0.2, 0.6], [0.9, 0.3]]);
    assertClose(sd.losses.getLoss('binaryCrossentropy')(yTrue, yPred), sd.losses.binaryCrossEntropy(yPred, yTrue), { rtol: 1e-5 });
    assertClose(sd.losses.getLoss('mse')(yTrue, yPred), sd.losses.mseLoss(yPred, yTrue));
  });

  it('handles fromLogits configs, functions and PyTorch loss modules', () => {
    const logits = sd.log(probs);
    const fromLogits = sd.losses.getLoss({ name: 'sparseCategoricalCrossentropy', fromLogits: true });
    assertClose(fromLogits(labels, logits), sd.losses.crossEntropy(logits, labels));
    const module = sd.losses.getLoss(new sd.nn.CrossEntropyLoss());
    assert.equal(module.name, 'CrossEntropyLoss');
    assertClose(module(labels, logits), sd.losses.crossEntropy(logits, labels));
    const custom = sd.losses.getLoss(function doubled(yTrue: sd.Tensor, yPred: sd.Tensor) {
      return sd.mul(sd.abs(sd.sub(yPred, yTrue)), 2);
    });
    assert.equal(custom.name, 'doubled');
    assertClose(custom(sd.tensor([1, 2]), sd.tensor([2, 2])), 1);
  });

  it('passes labelSmoothing to the cross-entropies, and compile saves it with the loss', () => {
    const logits = sd.log(probs);
    const smoothed = sd.losses.getLoss({ name: 'sparse_categorical_crossentropy', fromLogits: true, labelSmoothing: 0.2 });
    assertClose(smoothed(labels, logits), sd.losses.crossEntropy(logits, labels, { labelSmoothing: 0.2 }), { rtol: 1e-6 });
    assertThrows(() => sd.losses.getLoss({ name: 'mse', labelSmoothing: 0.1 }), sd.ValueError, /getLoss: 'meanSquaredError' has no labelSmoothing option/);
    assertThrows(() => sd.losses.getLoss({ name: 'categoricalCrossentropy', labelSmoothing: -1 }), sd.ValueError, /getLoss: labelSmoothing must be a number in \[0, 1\], got -1/);
    assertThrows(() => sd.losses.getLoss({ name: 'categoricalCrossentropy', labelSmoothin: 0.1 } as never), sd.ValueError, /getLoss: unknown option 'labelSmoothin' in the config of 'categoricalCrossentropy' \(valid: fromLogits, labelSmoothing\)/);
    const model = sd.sequential([sd.layers.dense({ units: 3, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: { name: 'categoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1 } });
    assert.deepEqual(model.getCompileConfig()?.loss, { name: 'categoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1 });
  });

  it('weights samples: Σ loss·w / N (Keras sum over batch size)', () => {
    const loss = sd.losses.getLoss('mse');
    const yTrue = sd.tensor([[0, 0], [0, 0], [0, 0]]);
    const yPred = sd.tensor([[1, 1], [2, 2], [3, 3]]);
    assertClose(loss(yTrue, yPred, sd.tensor([1, 0, 2])), (1 + 0 + 18) / 3);
    assertThrows(() => loss(yTrue, yPred, sd.tensor([1, 0])), sd.ShapeError, /meanSquaredError: sampleWeight must hold one weight per sample, shape \[3\], got \[2\]/);
  });

  it('gives the batch mean a gradient', () => {
    const p = probs.clone().requiresGrad_();
    sd.losses.getLoss('sparseCategoricalCrossentropy')(labels, p).backward();
    assertClose(p.grad!, [[-0.5 / 0.7 + 0.5, 0.5, 0.5], [0.5, 0.5, -0.5 / 0.8 + 0.5]], { atol: 1e-5 });
  });

  it('lists the valid names for an unknown one', () => {
    assertThrows(
      () => sd.losses.getLoss('sparseCrossentropy'),
      sd.ValueError,
      /getLoss: unknown loss 'sparseCrossentropy'; valid names: meanSquaredError \(mse\), meanAbsoluteError \(mae\), .*sparseCategoricalCrossentropy, .*categoricalHinge/,
    );
    assertThrows(() => sd.losses.getLoss({ name: 'mse', fromLogits: true }), sd.ValueError, /getLoss: 'meanSquaredError' has no fromLogits option/);
    assertThrows(() => sd.losses.getLoss(42 as never), sd.ValueError, /getLoss: expected a loss name/);
  });
});
