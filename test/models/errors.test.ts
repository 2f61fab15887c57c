import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';
import { assertRejects, blobModel, blobs } from './toy.js';

function mnistLike(): sd.Sequential {
  const model = sd.sequential([
    sd.layers.flatten({ inputShape: [28, 28] }),
    sd.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('bad input', () => {
  it('a wrong input shape names the expected and the given shapes', async () => {
    sd.models.clearSession();
    const model = mnistLike();
    const y = sd.zeros([4], 'int32');
    await assertRejects(model.fit(sd.zeros([4, 784]), y, { verbose: 0 }), sd.ShapeError, /fit: expected input 'flatten_input' to have shape \(None, 28, 28\), got \[4,784\]/);
    assertThrows(() => model.predict(sd.zeros([2, 28, 27])), sd.ShapeError, /predict: expected input 'flatten_input' to have shape \(None, 28, 28\), got \[2,28,27\]/);
    assertThrows(() => model.evaluate(sd.zeros([28, 28]), y), sd.ShapeError, /evaluate: expected input 'flatten_input' to have shape \(None, 28, 28\), got \[28,28\]/);
    // a layer applied to the wrong features says which axis
    const dense = sd.layers.dense({ units: 2 });
    dense.apply(sd.zeros([1, 3]));
    assertThrows(() => dense.apply(sd.zeros([1, 4])), sd.ShapeError, /dense_\d+ \(Dense\): input 0 is incompatible with the layer: expected axis -1 of the input shape to be 3, got shape \(None, 4\)/);
  });

  it('labels of the wrong dtype or range are caught before training', async () => {
    const model = mnistLike();
    const x = sd.zeros([3, 28, 28]);
    await assertRejects(model.fit(x, sd.tensor([0, 10, 2], undefined, 'int32'), { verbose: 0 }), sd.ValueError,
      /fit: labels for 'dense_\d+' \(sparseCategoricalCrossentropy\) must be class indices in \[0, 10\), got 10 at index 1/);
    await assertRejects(model.fit(x, sd.tensor([0, -1, 2], undefined, 'int32'), { verbose: 0 }), sd.ValueError, /must be class indices in \[0, 10\), got -1 at index 1/);
    await assertRejects(model.fit(x, sd.tensor([0, 1.5, 2]), { verbose: 0 }), sd.DTypeError, /must be whole class indices, got 1.5 at index 1/);
    await assertRejects(model.fit(x, sd.tensor([true, false, true]), { verbose: 0 }), sd.DTypeError, /must be int32 class indices, got bool/);
    await assertRejects(model.fit(x, sd.oneHot(sd.tensor([1, 2, 3], undefined, 'int32'), 10), { verbose: 0 }), sd.ShapeError,
      /look one-hot \(\[3,10\]\); use loss 'categoricalCrossentropy', or give class indices of shape \[3\]/);
    assertThrows(() => model.evaluate(x, sd.tensor([0, 12, 2], undefined, 'int32')), sd.ValueError, /evaluate: labels .* got 12 at index 1/);
    // float labels holding whole numbers are fine
    await model.fit(x, sd.tensor([0, 1, 2]), { verbose: 0 });

    const categorical = sd.sequential([sd.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    categorical.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await assertRejects(categorical.fit(sd.zeros([2, 2]), sd.tensor([0, 2], undefined, 'int32'), { verbose: 0 }), sd.ShapeError,
      /must be one-hot of shape \(2, 3\), got \[2\]; for class indices use 'sparseCategoricalCrossentropy'/);
    const binary = sd.sequential([sd.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
    binary.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await assertRejects(binary.fit(sd.zeros([2, 2]), sd.tensor([[0], [2]]), { verbose: 0 }), sd.ValueError, /must be in \[0, 1\], got 2 at index 1/);
  });

  it('an unknown loss, metric or optimizer name lists the valid names', () => {
    const model = sd.sequential([sd.layers.dense({ units: 2, inputShape: [2] })]);
    assertThrows(() => model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropi' }), sd.ValueError,
      /unknown loss 'sparse_categorical_crossentropi'; valid names: meanSquaredError \(mse\), .*sparseCategoricalCrossentropy/);
    assertThrows(() => model.compile({ optimizer: 'adamm', loss: 'mse' }), sd.ValueError, /compile: unknown optimizer "adamm"; valid names: adam, sgd, rmsprop, adagrad, adamw/);
    assertThrows(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] }), sd.ValueError, /unknown metric 'acuracy'; valid names: accuracy \(acc\)/);
    assertThrows(() => model.compile({ optimizer: 'adam', loss: 'mse', metric: ['accuracy'] } as never), sd.ValueError, /compile: unknown option 'metric'/);
    // names in Python spelling and tfjs spelling both work
    model.compile({ optimizer: 'RMSprop', loss: 'mean_squared_error', metrics: ['mae'] });
    assert.ok(model.optimizer instanceof sd.optim.RMSprop);
  });

  it('mismatched x and y lengths', async () => {
    const { x } = blobs(10);
    const model = blobModel();
    await assertRejects(model.fit(x, sd.zeros([9], 'int32'), { verbose: 0 }), sd.ValueError, /fit: x has 10 samples but y has 9 \(the first axes must match\)/);
    assertThrows(() => model.evaluate(x, sd.zeros([11], 'int32')), sd.ValueError, /evaluate: x has 10 samples but y has 11/);
  });

  it('fit before compile, misspelt options and bad option values', async () => {
    const { x, y } = blobs(8);
    const model = sd.sequential([sd.layers.dense({ units: 2, inputShape: [2] })]);
    await assertRejects(model.fit(x, y, { verbose: 0 }), sd.ValueError, /fit: the model must be compiled first/);
    assertThrows(() => model.evaluate(x, y), sd.ValueError, /evaluate: the model must be compiled first/);
    const compiled = blobModel();
    await assertRejects(compiled.fit(x, y, { batch_size: 4 } as never), sd.ValueError, /fit: unknown option 'batch_size' \(did you mean 'batchSize'\?\)/);
    await assertRejects(compiled.fit(x, y, { epochs: 0 }), sd.ValueError, /fit: epochs must be an integer >= 1, got 0/);
    await assertRejects(compiled.fit(x, y, { validationSplit: 1 }), sd.ValueError, /validationSplit must be a number in \[0, 1\), got 1/);
    await assertRejects(compiled.fit([[1, 2]] as never, y, { verbose: 0 }), sd.ValueError, /x has 1 samples but y has 8/);
    assertThrows(() => compiled.predict(x, { batchSize: 0 }), sd.ValueError, /predict: batchSize must be a positive integer, got 0/);
  });

  it('bad batches from an iterable name the batch', async () => {
    const model = blobModel();
    await assertRejects(model.fit([sd.zeros([2, 2])][Symbol.iterator]() as never, { verbose: 0 }), sd.ValueError, /fit: batch 0 of the data must be \[x, y\]/);
    const { x, y } = blobs(4);
    await assertRejects(model.fit([[sd.zeros([4, 3]), y]][Symbol.iterator]() as never, { verbose: 0 }), sd.ShapeError, /expected input 'dense_\d+_input' to have shape \(None, 2\), got \[4,3\]/);
    assert.ok(x);
  });

  it('layer and model construction errors', () => {
    assertThrows(() => sd.layers.dense({ units: 0 }), sd.ValueError, /Dense: units must be a positive integer, got 0/);
    assertThrows(() => sd.layers.dense({ units: 3, activation: 'relux' }), sd.ValueError, /Dense: unknown activation "relux"; valid: linear, relu/);
    assertThrows(() => sd.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'full' as never }), sd.ValueError, /Conv2D: padding must be 'valid' or 'same', got "full"/);
    assertThrows(() => sd.layers.dense({ units: 3, kernelInitializer: 'glorot' }), sd.ValueError, /Dense: unknown kernelInitializer 'glorot'; valid: glorotUniform/);
    const x = sd.input({ shape: [3] });
    const other = sd.input({ shape: [3] });
    const y = sd.layers.add([x, other]);
    assertThrows(() => sd.model({ inputs: x, outputs: y }), sd.ValueError, /model: graph disconnected: output 'add.*' depends on input 'input_\d+', which is not among the model's inputs \('input_\d+'\)/);
    const d = sd.layers.dense({ units: 3, name: 'same' });
    const e = sd.layers.dense({ units: 3, name: 'same' });
    assertThrows(() => sd.model({ inputs: x, outputs: e.apply(d.apply(x)) }), sd.ValueError, /two layers are named 'same'/);
    assertThrows(() => sd.layers.concatenate().apply([x, sd.input({ shape: [2, 2] })]), sd.ValueError, /concatenate.*inputs must match on every axis but -1/);
    assertThrows(() => sd.layers.add().apply([x, sd.input({ shape: [4] })]), sd.ValueError, /add.*inputs must have the same shape, got \(None, 3\) and \(None, 4\)/);
  });
});
