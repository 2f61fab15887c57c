import { it } from 'node:test';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';
import { casesStartingWith, checkLossFixture } from './fixture.js';

const K = sd.losses.keras;

describeEachBackend('Keras losses', () => {
  it('match the Keras definitions per sample, in (yTrue, yPred) order', () => {
    const names = casesStartingWith('keras_');
    if (names.length < 15) throw new Error('too few keras fixtures');
    for (const name of names) checkLossFixture(name);
  });

  it('clip probabilities to [1e-7, 1 - 1e-7] like Keras', () => {
    const loss = K.binaryCrossentropy(sd.tensor([[1]]), sd.tensor([[0]]));
    assertClose(loss, [-Math.log(1e-7)], { rtol: 1e-3 });
    const sparse = K.sparseCategoricalCrossentropy(sd.tensor(new Int32Array([1])), sd.tensor([[1, 0]]));
    assertClose(sparse, [-Math.log(1e-7)], { rtol: 1e-3 });
  });

  it('take sparse labels as int32, [N,1], or floats holding integers', () => {
    const p = sd.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
    const expected = [-Math.log(0.7), -Math.log(0.8)];
    assertClose(K.sparseCategoricalCrossentropy(sd.tensor(new Int32Array([0, 2])), p), expected);
    assertClose(K.sparseCategoricalCrossentropy(sd.tensor(new Int32Array([0, 2]), [2, 1]), p), expected);
    assertClose(K.sparseCategoricalCrossentropy(sd.tensor([0, 2]), p), expected);
  });

  it('label smoothing: targets t(1 − ε) + ε/C, the sparse form equal to PyTorch cross_entropy', () => {
    const logits = sd.tensor([[1.5, -0.3, 0.2], [0.1, 2.0, -1.0]]);
    const labels = sd.tensor(new Int32Array([0, 2]));
    const onehot = sd.tensor([[1, 0, 0], [0, 0, 1]]);
    const e = 0.1;
    const soft = sd.tensor([[1 - e + e / 3, e / 3, e / 3], [e / 3, e / 3, 1 - e + e / 3]]);
    const expected = K.categoricalCrossentropy(soft, logits, { fromLogits: true });
    assertClose(K.categoricalCrossentropy(onehot, logits, { fromLogits: true, labelSmoothing: e }), expected, { rtol: 1e-6 });
    assertClose(K.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, labelSmoothing: e }), expected, { rtol: 1e-6 });
    assertClose(sd.losses.crossEntropy(logits, labels, { labelSmoothing: e, reduction: 'none' }), expected, { rtol: 1e-6 });
    const probabilities = sd.softmax(logits, -1);
    assertClose(K.categoricalCrossentropy(onehot, probabilities, { labelSmoothing: e }), expected, { rtol: 1e-5 });
    // binary: t(1 − ε) + ε/2
    const p = sd.tensor([[0.9], [0.2]]);
    const t = [1 - e / 2, e / 2];
    const bce = t.map((ti, i) => -(ti * Math.log(p.values[i]) + (1 - ti) * Math.log(1 - p.values[i])));
    assertClose(K.binaryCrossentropy(sd.tensor([[1], [0]]), p, { labelSmoothing: e }), bce, { rtol: 1e-5 });
    assertThrows(() => K.binaryCrossentropy(sd.tensor([[1]]), sd.tensor([[0.5]]), { labelSmoothing: 1.5 }), sd.ValueError, /binaryCrossentropy: labelSmoothing must be a number in \[0, 1\], got 1.5/);
  });

  it('reject bad labels: fractions, out of range, one-hot to the sparse loss', () => {
    const p = sd.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
    assertThrows(() => K.sparseCategoricalCrossentropy(sd.tensor([0, 1.5]), p), sd.DTypeError, /sparseCategoricalCrossentropy: yTrue must hold class indices \(int32\), got float32 value 1.5 at position 1/);
    assertThrows(() => K.sparseCategoricalCrossentropy(sd.tensor(new Int32Array([0, 3])), p), sd.ValueError, /sparseCategoricalCrossentropy: yTrue holds 3 at position 1, out of range for 3 classes/);
    assertThrows(() => K.sparseCategoricalCrossentropy(sd.tensor([[1, 0, 0], [0, 0, 1]]), p), sd.ShapeError, /yTrue must hold one class index per sample, shape \[2\] for yPred \[2,3\], got \[2,3\] \(one-hot targets go with categoricalCrossentropy\)/);
    assertThrows(() => K.meanSquaredError(sd.zeros([2, 3]), sd.zeros([3, 2])), sd.ShapeError, /meanSquaredError: yTrue and yPred must have the same shape, got yTrue \[2,3\] and yPred \[3,2\]/);
  });
});

it('Keras losses pass gradcheck', () => {
  const p = sd.softmax(sd.randn([3, 4]), 1);
  const onehot = sd.oneHot([1, 0, 3], 4);
  checkGrad((q) => K.categoricalCrossentropy(onehot, q), [p]);
  checkGrad((q) => K.sparseCategoricalCrossentropy(sd.tensor(new Int32Array([1, 0, 3])), q, { fromLogits: true }), [sd.randn([3, 4])]);
  checkGrad((q) => K.binaryCrossentropy(sd.tensor([[1, 0], [0, 1]]), q), [sd.tensor([[0.3, 0.6], [0.2, 0.9]])]);
  checkGrad((q) => K.logCosh(sd.tensor([1, 2, 3]), q), [sd.randn([3])]);
});

describeEachBackend('Keras cross-entropies on the output of a softmax or sigmoid activation', () => {
  const softmaxLayer = () => sd.layers.activation({ activation: 'softmax' });
  const sigmoidLayer = () => sd.layers.activation({ activation: 'sigmoid' });

  it('compute from the logits the activation remembers, past where clipped probabilities saturate', () => {
    const logits = sd.tensor([[0, 40, -3], [2, 1, 0.5]]);
    const p = softmaxLayer().apply(logits) as sd.Tensor;
    const labels = sd.tensor(new Int32Array([0, 2]));
    const exact = sd.neg(sd.takeAlongAxis(sd.logSoftmax(logits, -1), sd.reshape(labels, [2, 1]), 1));
    // −log p of the first row is 40: clipped probabilities would stop at −log(1e−7) ≈ 16.1
    assertClose(K.sparseCategoricalCrossentropy(labels, p), sd.reshape(exact, [2]), { rtol: 1e-6 });
    assertClose(K.categoricalCrossentropy(sd.oneHot(labels, 3), p), sd.reshape(exact, [2]), { rtol: 1e-6 });
    // the same probabilities as a plain tensor go through the clipped form
    const plain = sd.tensor(p.values, p.shape);
    assertClose(sd.slice(K.sparseCategoricalCrossentropy(labels, plain), [0], [1]), [-Math.log(1e-7)], { rtol: 1e-5 });
  });

  it('binary cross-entropy of a sigmoid output uses the stable logits form', () => {
    const z = sd.tensor([[30], [-2], [0.3]]);
    const t = sd.tensor([[0], [1], [1]]);
    const p = sigmoidLayer().apply(z) as sd.Tensor;
    const exact = sd.losses.keras.binaryCrossentropy(t, z, { fromLogits: true });
    assertClose(K.binaryCrossentropy(t, p), exact, { rtol: 1e-6 });
    assertClose(sd.slice(exact, [0], [1]), [30], { rtol: 1e-6 });
  });

  it('gradients reach the logits', () => {
    const labels = sd.tensor(new Int32Array([1, 0]));
    checkGrad((z) => sd.sum(K.sparseCategoricalCrossentropy(labels, softmaxLayer().apply(z) as sd.Tensor)), [sd.tensor([[0.1, 0.5, -1], [2, -2, 0]], undefined, 'float64')]);
  });
});
