import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('shape');

describeEachBackend('oneHot', () => {
  it('matches F.one_hot, with on/off values and size-0 input', () => {
    checkFixture(fixtures, 'one_hot_1d', (i) => sd.oneHot(i, 4));
    checkFixture(fixtures, 'one_hot_2d_on_off', (i) => sd.oneHot(i, 3, { onValue: 5, offValue: -1 }));
    checkFixture(fixtures, 'one_hot_empty', (i) => sd.oneHot(i, 3));
  });

  it('takes plain arrays and scalars, and any dtype', () => {
    assertClose(sd.oneHot([0, 2], 3), [[1, 0, 0], [0, 0, 1]]);
    assertClose(sd.oneHot(1, 2), [0, 1]);
    const asInt = sd.oneHot([1], 2, { dtype: 'int32' });
    assert.equal(asInt.dtype, 'int32');
    assert.deepEqual(sd.oneHot([1], 2, { dtype: 'bool' }).array(), [[false, true]]);
    assert.equal(sd.oneHot([1], 2, { dtype: 'float64' }).dtype, 'float64');
  });

  it('is not differentiable', () => {
    assert.equal(sd.oneHot([1], 2).requiresGrad, false);
  });

  it('rejects labels out of range, bad depth and non-int32 labels', () => {
    assertThrows(() => sd.oneHot([0, 3], 3), sd.ValueError, /oneHot: indices holds 3 at position 1, out of range for depth 3 \(valid: 0..2\)/);
    assertThrows(() => sd.oneHot([-1], 3), sd.ValueError, /oneHot: indices holds -1 at position 0/);
    assertThrows(() => sd.oneHot([0], 0), sd.ValueError, /oneHot: depth must be a positive integer, got 0/);
    assertThrows(() => sd.oneHot(sd.tensor([0, 1]), 2), sd.DTypeError, /oneHot: indices must be int32 \(indices\), got float32/);
    assertThrows(() => sd.oneHot([0], 2, { dtype: 'int8' as 'int32' }), sd.DTypeError, /oneHot: unknown dtype 'int8'/);
  });
});
