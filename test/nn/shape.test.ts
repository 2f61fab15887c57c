import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows, describeEachBackend } from '../helpers.js';
import { checkLayerFixture, checkModuleGrad, parameterCount } from './layer-helpers.js';

const { Flatten, Unflatten, Identity } = sd.nn;

describeEachBackend('shape layers', () => {
  it('match torch.nn Flatten, Unflatten and Identity', () => {
    for (const name of ['flatten', 'flatten_range', 'unflatten', 'unflatten_inferred', 'identity']) checkLayerFixture(name);
  });
});

describe('shape layers', () => {
  it('Flatten keeps the batch axis by default', () => {
    assert.deepEqual(new Flatten().call(sd.zeros([32, 1, 28, 28])).shape, [32, 784]);
    assert.deepEqual(new Flatten(0, 1).call(sd.zeros([2, 3, 4])).shape, [6, 4]);
    assert.deepEqual(new Flatten({ startDim: -2 }).call(sd.zeros([2, 3, 4])).shape, [2, 12]);
    assert.deepEqual(new Flatten().call(sd.zeros([5, 0, 3])).shape, [5, 0]);
  });

  it('Unflatten splits an axis, inferring one -1, and undoes Flatten', () => {
    const x = sd.randn([3, 1, 4, 5]);
    const back = new Unflatten(1, [1, 4, 5]).call(new Flatten().call(x));
    assert.deepEqual(back.shape, [3, 1, 4, 5]);
    assert.deepEqual([...back.values], [...x.values]);
    assert.deepEqual(new Unflatten(-1, [2, -1]).call(sd.zeros([3, 8])).shape, [3, 2, 4]);
    assert.deepEqual(new Unflatten({ dim: 0, unflattenedSize: [2, 2] }).call(sd.zeros([4])).shape, [2, 2]);
  });

  it('Identity returns its input itself and accepts any constructor arguments', () => {
    const x = sd.randn([2]);
    assert.equal(new Identity().call(x), x);
    assert.equal(new Identity(54, { unused: true }).call(x), x);
  });

  it('print as PyTorch, have no parameters, and rebuild from getConfig', () => {
    for (const [layer, text] of [
      [new Flatten(), 'Flatten(start_dim=1, end_dim=-1)'],
      [new Flatten(0, -2), 'Flatten(start_dim=0, end_dim=-2)'],
      [new Unflatten(1, [2, 5]), 'Unflatten(dim=1, unflattened_size=(2, 5))'],
      [new Identity(), 'Identity()'],
    ] as const) {
      assert.equal(layer.toString(), text);
      assert.equal(parameterCount(layer), 0);
      const copy = new (layer.constructor as new (c: object) => sd.nn.Module)(layer.getConfig());
      assert.equal(copy.toString(), text);
    }
    assert.deepEqual(new Unflatten(1, [2, 5]).getConfig(), { dim: 1, unflattenedSize: [2, 5] });
  });

  it('pass gradients through unchanged', () => {
    checkModuleGrad(new Flatten(), [sd.randn([2, 2, 3])]);
    checkModuleGrad(new Unflatten(1, [3, 2]), [sd.randn([2, 6])]);
  });

  it('reject bad arguments and inputs, naming the layer', () => {
    assertThrows(() => new Flatten(1.5), sd.ValueError, /^Flatten: startDim must be an integer, got 1.5$/);
    assertThrows(() => new Flatten({ start_dim: 1 } as never), sd.ValueError, /Flatten: unknown option 'start_dim' \(expected startDim, endDim\)/);
    assertThrows(() => new Flatten().call(sd.zeros([5])), sd.ValueError, /^Flatten\(start_dim=1, end_dim=-1\): flatten: axis 1 is out of range/);
    assertThrows(() => new Flatten(2, 1).call(sd.zeros([2, 3, 4])), sd.ValueError, /Flatten\(start_dim=2, end_dim=1\): flatten: startAxis \(2\) must not come after endAxis \(1\)/);
    assertThrows(() => new Unflatten(1, [2, -1, -1]), sd.ValueError, /^Unflatten: unflattenedSize must be a non-empty list of sizes >= 0 with at most one -1, got \[2,-1,-1\]$/);
    assertThrows(() => new Unflatten(1, 4 as never), sd.ValueError, /unflattenedSize must be a non-empty list/);
    assertThrows(() => new Unflatten(0.5, [2]), sd.ValueError, /Unflatten: dim must be an integer, got 0.5/);
    assertThrows(() => new Unflatten(1, [2, 4]).call(sd.zeros([3, 10])), sd.ShapeError,
      /^Unflatten\(dim=1, unflattened_size=\(2, 4\)\): sizes \[2,4\] do not multiply to 10, the size of axis 1 of the input \[3,10\]$/);
    assertThrows(() => new Unflatten(1, [3, -1]).call(sd.zeros([3, 10])), sd.ShapeError, /sizes \[3,-1\] do not multiply to 10/);
    assertThrows(() => new Unflatten(2, [1]).call(sd.zeros([3, 10])), sd.ShapeError, /dim 2 is out of range for an input of shape \[3,10\]/);
  });
});
