import { ValueError } from '../../errors.js';
import type { TensorLike } from '../../tensor/convert.js';
import type { Tensor } from '../../tensor/tensor.js';
import { assertFitted, checkJSON, featureOperand, featureValues, mapFeatures } from './features.js';

/**
 * Feature scaling with statistics fitted once (on the training split only) and reused on
 * validation, test and inference data, as scikit-learn's StandardScaler and MinMaxScaler.
 * Statistics are computed in float64 and ignore NaN (missing) values, which stay NaN.
 * Features lie along `axis` (default -1: x is [samples, features]); statistics are taken
 * over every other axis, so `axis: 1` scales each channel of NCHW images.
 */

export interface StandardScalerOptions {
  /** Subtract the mean; default true. */
  withMean?: boolean;
  /** Divide by the standard deviation; default true. */
  withStd?: boolean;
  /** The feature axis; default -1. */
  axis?: number;
}

export interface StandardScalerJSON {
  kind: 'StandardScaler';
  axis: number;
  mean: number[];
  scale: number[];
}

/**
 * Standardizes features: z = (x − mean) / std, with the population standard deviation
 * (ddof 0, as scikit-learn); a feature of zero variance gets scale 1.
 *
 * ```ts
 * const scaler = new sd.data.StandardScaler().fit(xTrain);
 * const xTrainS = scaler.transform(xTrain);
 * const xTestS = scaler.transform(xTest);             // training statistics
 * fs.writeFileSync('scaler.json', JSON.stringify(scaler)); // reuse at inference
 * const again = sd.data.StandardScaler.fromJSON(JSON.parse(fs.readFileSync('scaler.json', 'utf8')));
 * ```
 */
export class StandardScaler {
  readonly axis: number;
  private readonly withMean: boolean;
  private readonly withStd: boolean;
  /** Per-feature mean (0 when withMean is false), after fit. */
  mean: Float64Array | undefined;
  /** Per-feature divisor (the standard deviation, or 1), after fit. */
  scale: Float64Array | undefined;

  constructor(options: StandardScalerOptions = {}) {
    this.withMean = options.withMean ?? true;
    this.withStd = options.withStd ?? true;
    this.axis = options.axis ?? -1;
  }

  fit(x: TensorLike): this {
    const { t, l } = featureOperand('StandardScaler.fit', x, this.axis);
    this.mean = new Float64Array(l.features);
    this.scale = new Float64Array(l.features).fill(1);
    for (let j = 0; j < l.features; j++) {
      const v = featureValues(t, l, j);
      let n = 0;
      let sum = 0;
      for (const a of v) if (!Number.isNaN(a)) (n++, (sum += a));
      if (n === 0) throw new ValueError(`StandardScaler.fit: feature ${j} has no values (all missing)`);
      const mean = sum / n;
      let ss = 0;
      for (const a of v) if (!Number.isNaN(a)) ss += (a - mean) * (a - mean);
      const std = Math.sqrt(ss / n);
      if (this.withMean) this.mean[j] = mean;
      if (this.withStd && std > 0) this.scale[j] = std;
    }
    return this;
  }

  transform(x: TensorLike): Tensor {
    const mean = assertFitted('StandardScaler.transform', this.mean);
    const scale = this.scale as Float64Array;
    const { t, l } = featureOperand('StandardScaler.transform', x, this.axis, mean.length);
    return mapFeatures(t, l, (v, j) => (v - mean[j]) / scale[j]);
  }

  fitTransform(x: TensorLike): Tensor {
    return this.fit(x).transform(x);
  }

  /** Back to the original units: x = z·std + mean. */
  inverseTransform(z: TensorLike): Tensor {
    const mean = assertFitted('StandardScaler.inverseTransform', this.mean);
    const scale = this.scale as Float64Array;
    const { t, l } = featureOperand('StandardScaler.inverseTransform', z, this.axis, mean.length);
    return mapFeatures(t, l, (v, j) => v * scale[j] + mean[j]);
  }

  toJSON(): StandardScalerJSON {
    const mean = assertFitted('StandardScaler.toJSON', this.mean);
    return { kind: 'StandardScaler', axis: this.axis, mean: [...mean], scale: [...(this.scale as Float64Array)] };
  }

  static fromJSON(json: StandardScalerJSON): StandardScaler {
    const j = checkJSON('StandardScaler', json) as unknown as StandardScalerJSON;
    const s = new StandardScaler({ axis: j.axis });
    s.mean = Float64Array.from(j.mean);
    s.scale = Float64Array.from(j.scale);
    return s;
  }
}

export interface MinMaxScalerOptions {
  /** The target interval; default [0, 1]. */
  featureRange?: readonly [number, number];
  /** Clip transformed values into featureRange (for data beyond the fitted min and max). */
  clip?: boolean;
  /** The feature axis; default -1. */
  axis?: number;
}

export interface MinMaxScalerJSON {
  kind: 'MinMaxScaler';
  axis: number;
  featureRange: [number, number];
  clip: boolean;
  dataMin: number[];
  dataMax: number[];
}

/**
 * Scales each feature linearly so that the fitted minimum and maximum map to
 * featureRange: y = (x − min)/(max − min)·(hi − lo) + lo. A constant feature maps to lo.
 *
 * ```ts
 * const scaler = new sd.data.MinMaxScaler({ featureRange: [-1, 1] }).fit(xTrain);
 * const y = scaler.transform(xTest);
 * ```
 */
export class MinMaxScaler {
  readonly axis: number;
  readonly featureRange: [number, number];
  readonly clip: boolean;
  dataMin: Float64Array | undefined;
  dataMax: Float64Array | undefined;

  constructor(options: MinMaxScalerOptions = {}) {
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(lo < hi)) {
      throw new ValueError(`MinMaxScaler: featureRange must be [min, max] with min < max, got [${lo}, ${hi}]`);
    }
    this.featureRange = [lo, hi];
    this.clip = options.clip ?? false;
    this.axis = options.axis ?? -1;
  }

  fit(x: TensorLike): this {
    const { t, l } = featureOperand('MinMaxScaler.fit', x, this.axis);
    this.dataMin = new Float64Array(l.features);
    this.dataMax = new Float64Array(l.features);
    for (let j = 0; j < l.features; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const a of featureValues(t, l, j)) {
        if (a < lo) lo = a;
        if (a > hi) hi = a;
      }
      if (lo > hi) throw new ValueError(`MinMaxScaler.fit: feature ${j} has no values (all missing)`);
      this.dataMin[j] = lo;
      this.dataMax[j] = hi;
    }
    return this;
  }

  transform(x: TensorLike): Tensor {
    const { scale, offset } = this.coefficients('MinMaxScaler.transform');
    const { t, l } = featureOperand('MinMaxScaler.transform', x, this.axis, scale.length);
    const [lo, hi] = this.featureRange;
    return mapFeatures(t, l, (v, j) => {
      const y = v * scale[j] + offset[j];
      return this.clip ? Math.min(hi, Math.max(lo, y)) : y;
    });
  }

  fitTransform(x: TensorLike): Tensor {
    return this.fit(x).transform(x);
  }

  inverseTransform(y: TensorLike): Tensor {
    const { scale, offset } = this.coefficients('MinMaxScaler.inverseTransform');
    const { t, l } = featureOperand('MinMaxScaler.inverseTransform', y, this.axis, scale.length);
    return mapFeatures(t, l, (v, j) => (v - offset[j]) / scale[j]);
  }

  /** y = x·scale + offset, per feature; a zero range counts as 1 (as scikit-learn). */
  private coefficients(op: string): { scale: Float64Array; offset: Float64Array } {
    const min = assertFitted(op, this.dataMin);
    const max = this.dataMax as Float64Array;
    const [lo, hi] = this.featureRange;
    const scale = min.map((m, j) => (hi - lo) / (max[j] - m || 1));
    const offset = min.map((m, j) => lo - m * scale[j]);
    return { scale, offset };
  }

  toJSON(): MinMaxScalerJSON {
    const min = assertFitted('MinMaxScaler.toJSON', this.dataMin);
    return {
      kind: 'MinMaxScaler',
      axis: this.axis,
      featureRange: [...this.featureRange],
      clip: this.clip,
      dataMin: [...min],
      dataMax: [...(this.dataMax as Float64Array)],
    };
  }

  static fromJSON(json: MinMaxScalerJSON): MinMaxScaler {
    const j = checkJSON('MinMaxScaler', json) as unknown as MinMaxScalerJSON;
    const s = new MinMaxScaler({ featureRange: j.featureRange, clip: j.clip, axis: j.axis });
    s.dataMin = Float64Array.from(j.dataMin);
    s.dataMax = Float64Array.from(j.dataMax);
    return s;
  }
}
