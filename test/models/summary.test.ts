import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

const SEED_SUMMARY = `Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 flatten (Flatten)           (None, 784)               0
 dense (Dense)               (None, 128)               100480
 dropout (Dropout)           (None, 128)               0
 dense_1 (Dense)             (None, 10)                1290
=================================================================
Total params: 101,770
Trainable params: 101,770
Non-trainable params: 0
_________________________________________________________________`;

function seedModel(): sd.Sequential {
  return sd.sequential([
    sd.layers.flatten({ inputShape: [28, 28] }),
    sd.layers.dense({ units: 128, activation: 'relu' }),
    sd.layers.dropout({ rate: 0.2 }),
    sd.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

describe('summary', () => {
  beforeEach(() => sd.models.clearSession());

  it("prints the seed model's table exactly, with 101,770 parameters", () => {
    const lines: string[] = [];
    const text = seedModel().summary({ printFn: (l) => lines.push(l) });
    assert.equal(lines.join('\n'), SEED_SUMMARY);
    assert.equal(text, SEED_SUMMARY);
  });

  it('names layers and models as Keras does, counting up until clearSession', () => {
    const first = seedModel();
    const second = seedModel();
    assert.deepEqual(first.layers.map((l) => l.name), ['flatten', 'dense', 'dropout', 'dense_1']);
    assert.deepEqual(second.layers.map((l) => l.name), ['flatten_1', 'dense_2', 'dropout_1', 'dense_3']);
    assert.equal(second.name, 'sequential_1');
    assert.equal(sd.input({ shape: [3] }).sourceLayer.name, 'input_1');
    sd.models.clearSession();
    assert.equal(seedModel().name, 'sequential');
  });

  it('takes lineLength and positions (tfjs positional arguments too)', () => {
    const lines: string[] = [];
    seedModel().summary(50, [0.5, 0.8, 1], (l) => lines.push(l));
    assert.equal(lines[1], '_'.repeat(50));
    assert.equal(lines[2], ' Layer (type)            Output Shape   Param #');
    assert.equal(lines[5], ' dense (Dense)           (None, 128)    100480');
  });

  it('counts batch-norm moving statistics as non-trainable, and frozen layers too', () => {
    const model = sd.sequential([
      sd.layers.dense({ units: 4, inputShape: [3] }),
      sd.layers.batchNormalization(),
      sd.layers.dense({ units: 2, trainable: false }),
    ]);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    // a long name wraps onto a second line, as in Keras
    assert.deepEqual(lines.slice(4, 8), [
      ' dense (Dense)               (None, 4)                 16',
      ' batch_normalization (BatchN  (None, 4)                16',
      ' ormalization)',
      ' dense_1 (Dense)             (None, 2)                 10',
    ]);
    assert.deepEqual(lines.slice(-4, -1), ['Total params: 42', 'Trainable params: 24', 'Non-trainable params: 18']);
  });

  it('adds "Connected to" for graphs with branches', () => {
    const x = sd.input({ shape: [8] });
    const h = sd.layers.dense({ units: 8, activation: 'relu' }).apply(x);
    const y = sd.layers.add().apply([x, h]);
    const out = sd.layers.dense({ units: 1 }).apply(y);
    const lines: string[] = [];
    sd.model({ inputs: x, outputs: out }).summary({ printFn: (l) => lines.push(l) });
    assert.deepEqual(lines, [
      'Model: "model"',
      '_'.repeat(98),
      ' Layer (type)                   Output Shape         Param #     Connected to',
      '='.repeat(98),
      ' input_1 (InputLayer)           [(None, 8)]          0           []',
      " dense (Dense)                  (None, 8)            72          ['input_1[0][0]']",
      " add (Add)                      (None, 8)            0           ['input_1[0][0]',",
      "                                                                  'dense[0][0]']",
      " dense_1 (Dense)                (None, 1)            9           ['add[0][0]']",
      '='.repeat(98),
      'Total params: 81',
      'Trainable params: 81',
      'Non-trainable params: 0',
      '_'.repeat(98),
    ]);
  });

  it('prints a functional chain like a sequential model, input layer included', () => {
    const x = sd.input({ shape: [4] });
    const y = sd.layers.dense({ units: 2 }).apply(x);
    const lines: string[] = [];
    sd.model({ inputs: x, outputs: y }).summary({ printFn: (l) => lines.push(l) });
    assert.equal(lines[4], ' input_1 (InputLayer)        [(None, 4)]               0');
    assert.equal(lines[5], ' dense (Dense)               (None, 2)                 10');
  });

  it('refuses a Sequential model that is not built yet', () => {
    const model = sd.sequential([sd.layers.dense({ units: 2 })]);
    assertThrows(() => model.summary({ printFn: () => {} }), sd.ValueError, /summary: the model has not been built yet: give the first layer an inputShape, call build\(\)/);
    model.build([null, 5]);
    assert.match(model.summary({ printFn: () => {} }), /Total params: 12/);
  });
});
