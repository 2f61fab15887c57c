import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

describe('Sequential', () => {
  beforeEach(() => sd.models.clearSession());

  it('builds at once from the first layer\'s inputShape, naming the input after it', () => {
    const model = sd.sequential({ name: 'mlp', layers: [sd.layers.dense({ units: 4, inputShape: [3] }), sd.layers.dense({ units: 2 })] });
    assert.equal(model.name, 'mlp');
    assert.ok(model.built);
    assert.equal(model.inputs[0].sourceLayer.name, 'dense_input');
    assert.deepEqual([...model.outputs[0].shape], [null, 2]);
    assert.deepEqual(model.layers.map((l) => l.name), ['dense', 'dense_1']);
    assert.equal(model.getLayer('dense_1'), model.getLayer(1));
    assertThrows(() => model.getLayer('nope'), sd.ValueError, /getLayer: no layer "nope"; the layers are dense, dense_1/);
  });

  it('add applies a layer at once when built, checking its input; pop removes the last', () => {
    const model = sd.sequential();
    model.add(sd.layers.dense({ units: 4, inputShape: [3] }));
    model.add(sd.layers.dense({ units: 2 }));
    assert.equal(model.countParams(), 16 + 10);
    const popped = model.pop();
    assert.equal(popped.name, 'dense_1');
    assert.deepEqual([...model.outputs[0].shape], [null, 4]);
    assert.deepEqual([...(model.predict(sd.ones([2, 3])) as sd.Tensor).shape], [2, 4]);
    const dense = sd.layers.dense({ units: 1 });
    dense.apply(sd.ones([1, 7]));
    assertThrows(() => model.add(dense), sd.ShapeError, /expected axis -1 of the input shape to be 7, got shape \(None, 4\)/);
    assertThrows(() => model.add(sd.layers.dense({ units: 1, inputShape: [4] })), sd.ValueError, /only the first layer may have an inputShape/);
    assertThrows(() => model.add(model.layers[0]), sd.ValueError, /layer 'dense' is already in the model/);
    assertThrows(() => model.add({} as never), sd.ValueError, /expected a layer .* got Object/);
  });

  it('starts from an sd.input, or builds later with build() or from data', () => {
    const viaInput = sd.sequential([sd.input({ shape: [5], name: 'features' }), sd.layers.dense({ units: 2 })]);
    assert.equal(viaInput.inputs[0].sourceLayer.name, 'features');
    const later = sd.sequential([sd.layers.dense({ units: 2 })]);
    assert.equal(later.built, false);
    assert.deepEqual(later.layers[0].weights, []);
    assertThrows(() => later.inputs, sd.ValueError, /inputs: the model has not been built yet/);
    later.build([null, 6]);
    assert.equal(later.countParams(), 14);
    const fromData = sd.sequential([sd.layers.dense({ units: 2 })]);
    fromData.predict([[1, 2, 3]]);
    assert.equal(fromData.countParams(), 8);
    assert.deepEqual(fromData.toJSON().config.buildInputShape, [null, 3]);
  });

  it('rejects unknown options and layers that are not layers', () => {
    assertThrows(() => sd.sequential({ layer: [] } as never), sd.ValueError, /sequential: unknown option 'layer' \(valid: layers, name\)/);
    assertThrows(() => sd.sequential([sd.layers.dense({ units: 2 }), 'relu' as never]), sd.ValueError, /expected a layer/);
  });

  it('prints as a short description', () => {
    const model = sd.sequential([sd.layers.dense({ units: 2, inputShape: [3] })]);
    assert.equal(String(model), 'Sequential(name=sequential, layers=1, params=8)');
    assert.equal(String(model.layers[0]), 'Dense(name=dense, params=8)');
  });
});
