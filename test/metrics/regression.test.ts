import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';
import { checkMetricFixture } from './fixture.js';

describe('regression metrics', () => {
  it('match the NumPy references and hand values', () => {
    checkMetricFixture('mse');
    checkMetricFixture('mae');
    assert.ok(Math.abs(sd.metrics.meanSquaredError([1, 2, 3], [1, 2, 5]) - 4 / 3) < 1e-12);
    assert.ok(Math.abs(sd.metrics.meanAbsoluteError([1, 2, 3], [[1], [2], [5]]) - 2 / 3) < 1e-12);
  });

  it('rejects mismatched shapes', () => {
    assertThrows(() => sd.metrics.meanSquaredError([1, 2], [1, 2, 3]), sd.ShapeError, /meanSquaredError: yTrue \[2\] and yPred \[3\] do not match/);
  });
});
