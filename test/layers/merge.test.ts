import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

describe('merge layers', () => {
  const a = sd.tensor([[1, -2], [3, 4]]);
  const b = sd.tensor([[2, 2], [-1, 0]]);
  const c = sd.tensor([[0, 1], [1, 1]]);

  it('combine a list of inputs elementwise', () => {
    assertClose(sd.layers.add().apply([a, b, c]), [[3, 1], [3, 5]]);
    assertClose(sd.layers.subtract().apply([a, b]), [[-1, -4], [4, 4]]);
    assertClose(sd.layers.multiply().apply([a, b]), [[2, -4], [-3, 0]]);
    assertClose(sd.layers.average().apply([a, b, c]), [[1, 1 / 3], [1, 5 / 3]], { atol: 1e-6 });
    assertClose(sd.layers.maximum().apply([a, b]), [[2, 2], [3, 4]]);
    assertClose(sd.layers.minimum().apply([a, b]), [[1, -2], [-1, 0]]);
    // the shortcut applies at once
    assertClose(sd.layers.add([a, b]), [[3, 0], [2, 4]]);
    assertThrows(() => sd.layers.subtract().apply([a, b, c]), sd.ValueError, /subtract(_\d+)? \(Subtract\): expects exactly 2 inputs, got 3/);
  });

  it('concatenate joins on an axis; symbolic shapes add up', () => {
    assertClose(sd.layers.concatenate().apply([a, b]), [[1, -2, 2, 2], [3, 4, -1, 0]]);
    assertClose(sd.layers.concatenate({ axis: 0 }).apply([a, b]), [[1, -2], [3, 4], [2, 2], [-1, 0]]);
    const x = sd.input({ shape: [4, 3] });
    const y = sd.input({ shape: [4, 5] });
    assert.deepEqual([...sd.layers.concatenate().apply([x, y]).shape], [null, 4, 8]);
    assert.deepEqual([...sd.layers.concatenate({ axis: 1 }).apply([x, x]).shape], [null, 8, 3]);
    assert.deepEqual([...sd.layers.concatenate().apply([x, sd.input({ shape: [4, null] })]).shape], [null, 4, null]);
    assertThrows(() => sd.layers.concatenate({ axis: 0 }).apply([x, y]), sd.ValueError, /axis 0 is out of range for inputs of rank 3 \(the batch axis cannot be joined\)/);
    assertThrows(() => sd.layers.concatenate().apply([x]), sd.ValueError, /expects a list of at least 2 inputs, got 1/);
  });

  it('carry gradients to every input', () => {
    const p = sd.randn([2, 3]).requiresGrad_();
    const q = sd.randn([2, 3]).requiresGrad_();
    sd.sum(sd.layers.multiply().apply([p, q])).backward();
    assertClose(p.grad!, q);
    assertClose(q.grad!, p);
  });
});
