import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';
import { layerArgs, pyFloat, pyValue } from '../../src/nn/layer-utils.js';

describe('layer printing', () => {
  it('formats floats as Python repr does', () => {
    const cases: [number, string][] = [
      [1e-5, '1e-05'], [0.1, '0.1'], [1, '1.0'], [0, '0.0'], [-2, '-2.0'], [0.0001, '0.0001'], [1.5e-7, '1.5e-07'],
      [0.001, '0.001'], [123456.789, '123456.789'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [2.5e-12, '2.5e-12'],
      [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
    ];
    for (const [value, text] of cases) assert.equal(pyFloat(value), text, String(value));
  });

  it('formats tuples, booleans and None as Python', () => {
    assert.equal(pyValue([3, 3]), '(3, 3)');
    assert.equal(pyValue([3]), '(3,)');
    assert.equal(pyValue([2, null]), '(2, None)');
    assert.equal(pyValue(true), 'True');
    assert.equal(pyValue(null), 'None');
    assert.equal(pyValue(7), '7');
  });
});

describe('layer arguments', () => {
  const keys = ['a', 'b', 'c'] as const;
  it('accepts positional values, an options object, or one config object', () => {
    assert.deepEqual(layerArgs('L', [1, 2, { c: 3 }], keys, 2), { a: 1, b: 2, c: 3 });
    assert.deepEqual(layerArgs('L', [{ a: 1, c: 3 }], keys, 2), { a: 1, c: 3 });
    assert.deepEqual(layerArgs('L', [1, undefined, undefined], keys, 2), { a: 1 });
    assert.deepEqual(layerArgs('L', [[1, 2]], keys, 2), { a: [1, 2] });
  });

  it('rejects unknown options, duplicates and extra positional values', () => {
    assertThrows(() => layerArgs('L', [{ d: 1 }], keys, 2), sd.ValueError, /^L: unknown option 'd' \(expected a, b, c\)$/);
    assertThrows(() => layerArgs('L', [1, { a: 2 }], keys, 2), sd.ValueError, /^L: a is given twice, as argument 1 and in the options$/);
    assertThrows(() => layerArgs('L', [1, 2, 3], keys, 2), sd.ValueError, /^L: takes at most 2 positional arguments \(a, b\) and an options object, got 3$/);
  });
});
