import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers.js';

// The example of scikit-learn's preprocessing guide, with its printed results.
const X_TRAIN = [[1, -1, 2], [2, 0, 0], [0, 1, -1]];

describe('data.StandardScaler', () => {
  it('matches scikit-learn: population std, statistics of the training data reused', () => {
    const scaler = new sd.data.StandardScaler().fit(X_TRAIN);
    assertClose(sd.tensor(scaler.mean!), [1, 0, 0.33333333]);
    assertClose(sd.tensor(scaler.scale!), [0.81649658, 0.81649658, 1.24721913]);
    assertClose(scaler.transform(X_TRAIN), [[0, -1.22474487, 1.33630621], [1.22474487, 0, -0.26726124], [-1.22474487, 1.22474487, -1.06904497]]);
    assertClose(scaler.transform([[-1, 1, 0]]), [[-2.44948974, 1.22474487, -0.26726124]]);
    assertClose(scaler.inverseTransform(scaler.transform(X_TRAIN)), X_TRAIN);
  });

  it('gives scale 1 to constant features, ignores NaN, and respects withMean/withStd', () => {
    const s = new sd.data.StandardScaler().fit([[0, 5], [0, 7], [NaN, 9]]);
    assertClose(sd.tensor(s.scale!), [1, Math.sqrt(8 / 3)]);
    assertClose(s.transform([[0, NaN]]), [[0, NaN]]);
    const onlyStd = new sd.data.StandardScaler({ withMean: false }).fitTransform([[1], [3]]);
    assertClose(onlyStd, [[1], [3]]);
    const onlyMean = new sd.data.StandardScaler({ withStd: false }).fitTransform([[1], [3]]);
    assertClose(onlyMean, [[-1], [1]]);
  });

  it('scales channels of NCHW images with axis 1 and keeps float64', () => {
    const x = sd.tensor(new Float64Array([0, 2, 10, 30, 4, 6, 50, 70]), [2, 2, 2, 1]);
    const z = new sd.data.StandardScaler({ axis: 1 }).fitTransform(x);
    assert.equal(z.dtype, 'float64');
    // channel 0 holds 0,2,4,6 (mean 3, std √5); channel 1 holds 10,30,50,70 (mean 40, std √500)
    const r5 = Math.sqrt(5); // both channels standardize to (−3, −1, 1, 3)/√5
    assertClose(z, sd.tensor(new Float64Array([-3, -1, -3, -1, 1, 3, 1, 3].map((v) => v / r5)), [2, 2, 2, 1]));
  });

  it('round-trips through JSON for inference', () => {
    const scaler = new sd.data.StandardScaler().fit(X_TRAIN);
    const again = sd.data.StandardScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
    assert.deepEqual(Array.from(again.transform(X_TRAIN).values), Array.from(scaler.transform(X_TRAIN).values));
  });

  it('rejects use before fit, a different feature count and foreign JSON', () => {
    assertThrows(() => new sd.data.StandardScaler().transform(X_TRAIN), sd.ValueError, /StandardScaler.transform: not fitted yet; call fit\(\) \(on the training split\) first/);
    const scaler = new sd.data.StandardScaler().fit(X_TRAIN);
    assertThrows(() => scaler.transform([[1, 2]]), sd.ShapeError, /x has 2 features along axis -1 \(shape \[1,2\]\) but the fit saw 3/);
    assertThrows(() => sd.data.StandardScaler.fromJSON({ kind: 'MinMaxScaler' } as never), sd.ValueError, /expected an object with kind 'StandardScaler'/);
    assertThrows(() => new sd.data.StandardScaler().fit([[NaN], [NaN]]), sd.ValueError, /feature 0 has no values \(all missing\)/);
  });
});

describe('data.MinMaxScaler', () => {
  it('matches scikit-learn, including data beyond the fitted range', () => {
    const scaler = new sd.data.MinMaxScaler().fit(X_TRAIN);
    assertClose(scaler.transform(X_TRAIN), [[0.5, 0, 1], [1, 0.5, 0.33333333], [0, 1, 0]]);
    assertClose(scaler.transform([[-3, -1, 4]]), [[-1.5, 0, 1.66666667]]);
    const clipped = new sd.data.MinMaxScaler({ clip: true }).fit(X_TRAIN);
    assertClose(clipped.transform([[-3, -1, 4]]), [[0, 0, 1]]);
    const data = [[-1, 2], [-0.5, 6], [0, 10], [1, 18]];
    const s2 = new sd.data.MinMaxScaler().fit(data);
    assertClose(s2.transform(data), [[0, 0], [0.25, 0.25], [0.5, 0.5], [1, 1]]);
    assertClose(s2.transform([[2, 2]]), [[1.5, 0]]);
    assertClose(s2.inverseTransform([[1.5, 0]]), [[2, 2]]);
  });

  it('maps to a feature range, sends constant features to its low end, and round-trips JSON', () => {
    const s = new sd.data.MinMaxScaler({ featureRange: [-1, 1] }).fit([[0, 3], [10, 3]]);
    assertClose(s.transform([[5, 3], [10, 3]]), [[0, -1], [1, -1]]);
    const again = sd.data.MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    assertClose(again.transform([[5, 3]]), [[0, -1]]);
    assert.deepEqual(again.featureRange, [-1, 1]);
  });

  it('rejects an empty feature range and use before fit', () => {
    assertThrows(() => new sd.data.MinMaxScaler({ featureRange: [1, 1] }), sd.ValueError, /featureRange must be \[min, max\] with min < max, got \[1, 1\]/);
    assertThrows(() => new sd.data.MinMaxScaler().transform([[1]]), sd.ValueError, /MinMaxScaler.transform: not fitted yet/);
  });
});
