import { ValueError } from '../../errors.js';
import { toTensor, type TensorLike } from '../../tensor/convert.js';
import { allocArray, isFloatDType } from '../../tensor/dtype.js';
import { normalizeAxis, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { assertFitted, checkJSON, featureOperand, featureValues, mapFeatures } from './features.js';

/**
 * Missing values: SimpleImputer (mean, median, most frequent or a constant per feature,
 * fitted on the training split), `interpolate` (linear along an axis, for series), and
 * `imputeCategorical` for columns of strings.
 */

export type ImputeStrategy = 'mean' | 'median' | 'mostFrequent' | 'constant';
const STRATEGIES: readonly ImputeStrategy[] = ['mean', 'median', 'mostFrequent', 'constant'];

export interface SimpleImputerOptions {
  /** Default 'mean'. */
  strategy?: ImputeStrategy;
  /** The value used by strategy 'constant'; default 0. */
  fillValue?: number;
  /** The marker of a missing value; default NaN. */
  missingValue?: number;
  /** The feature axis; default -1 ([samples, features]). */
  axis?: number;
}

export interface SimpleImputerJSON {
  kind: 'SimpleImputer';
  strategy: ImputeStrategy;
  missingValue: number | null;
  axis: number;
  statistics: number[];
}

/**
 * Replaces missing values feature by feature with a statistic of the observed values
 * (scikit-learn's SimpleImputer): the mean, the median, the most frequent value (the
 * smallest one on ties) or a constant. Fit on the training split, reuse everywhere.
 *
 * ```ts
 * const imputer = new sd.data.SimpleImputer({ strategy: 'median' }).fit(xTrain);
 * const filled = imputer.transform(xTest);
 * ```
 */
export class SimpleImputer {
  readonly strategy: ImputeStrategy;
  readonly fillValue: number;
  readonly missingValue: number;
  readonly axis: number;
  /** The value filled in per feature, after fit. */
  statistics: Float64Array | undefined;

  constructor(options: SimpleImputerOptions = {}) {
    this.strategy = options.strategy ?? 'mean';
    if (!STRATEGIES.includes(this.strategy)) {
      throw new ValueError(`SimpleImputer: unknown strategy '${String(this.strategy)}' (expected ${STRATEGIES.join(', ')})`);
    }
    this.fillValue = options.fillValue ?? 0;
    this.missingValue = options.missingValue ?? NaN;
    this.axis = options.axis ?? -1;
  }

  private isMissing(v: number): boolean {
    return Number.isNaN(this.missingValue) ? Number.isNaN(v) : v === this.missingValue;
  }

  fit(x: TensorLike): this {
    const { t, l } = featureOperand('SimpleImputer.fit', x, this.axis);
    this.statistics = new Float64Array(l.features);
    for (let j = 0; j < l.features; j++) {
      if (this.strategy === 'constant') {
        this.statistics[j] = this.fillValue;
        continue;
      }
      const observed = featureValues(t, l, j).filter((v) => !this.isMissing(v) && !Number.isNaN(v));
      if (observed.length === 0) {
        throw new ValueError(
          `SimpleImputer.fit: feature ${j} has no observed values, so its ${this.strategy} is undefined; use strategy 'constant'`,
        );
      }
      this.statistics[j] = statistic(this.strategy, observed);
    }
    return this;
  }

  transform(x: TensorLike): Tensor {
    const stats = assertFitted('SimpleImputer.transform', this.statistics);
    const { t, l } = featureOperand('SimpleImputer.transform', x, this.axis, stats.length);
    return mapFeatures(t, l, (v, j) => (this.isMissing(v) ? stats[j] : v));
  }

  fitTransform(x: TensorLike): Tensor {
    return this.fit(x).transform(x);
  }

  toJSON(): SimpleImputerJSON {
    const stats = assertFitted('SimpleImputer.toJSON', this.statistics);
    const missingValue = Number.isNaN(this.missingValue) ? null : this.missingValue;
    return { kind: 'SimpleImputer', strategy: this.strategy, missingValue, axis: this.axis, statistics: [...stats] };
  }

  static fromJSON(json: SimpleImputerJSON): SimpleImputer {
    const j = checkJSON('SimpleImputer', json) as unknown as SimpleImputerJSON;
    const imp = new SimpleImputer({ strategy: j.strategy, missingValue: j.missingValue ?? NaN, axis: j.axis });
    imp.statistics = Float64Array.from(j.statistics);
    return imp;
  }
}

function statistic(strategy: ImputeStrategy, values: Float64Array): number {
  if (strategy === 'mean') {
    let s = 0;
    for (const v of values) s += v;
    return s / values.length;
  }
  const sorted = values.slice().sort();
  if (strategy === 'median') {
    const m = sorted.length >> 1;
    return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
  // most frequent: the longest run in sorted order; the first (smallest) wins ties
  let best = sorted[0];
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let k = i;
    while (k < sorted.length && sorted[k] === sorted[i]) k++;
    if (k - i > bestCount) {
      best = sorted[i];
      bestCount = k - i;
    }
    i = k;
  }
  return best;
}

export interface InterpolateOptions {
  /** The axis along which values are ordered (time); default 0. */
  axis?: number;
  /**
   * Missing values before the first or after the last observed one: 'nearest' (default)
   * repeats the closest observed value, as numpy.interp; 'keep' leaves them NaN.
   */
  edges?: 'nearest' | 'keep';
}

/**
 * Fills NaN by linear interpolation between the nearest observed neighbours along `axis`
 * (pandas' interpolate(method='linear')), e.g. gaps in a sensor series [T, F]. A line with
 * no observed value stays NaN.
 *
 * ```ts
 * sd.data.interpolate([1, NaN, NaN, 4, NaN]); // [1, 2, 3, 4, 4]
 * ```
 */
export function interpolate(x: TensorLike, options: InterpolateOptions = {}): Tensor {
  const t = toTensor(x, 'interpolate', 'x');
  const edges = options.edges ?? 'nearest';
  if (edges !== 'nearest' && edges !== 'keep') {
    throw new ValueError(`interpolate: edges must be 'nearest' or 'keep', got '${String(edges)}'`);
  }
  if (t.rank === 0) return t.clone();
  const a = normalizeAxis('interpolate', options.axis ?? 0, t.rank);
  const n = t.shape[a];
  const inner = sizeOf(t.shape.slice(a + 1));
  const outer = sizeOf(t.shape.slice(0, a));
  const dtype = isFloatDType(t.dtype) ? t.dtype : 'float32';
  const out = allocArray(dtype, t.size);
  out.set(t.values);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * n + k) * inner + i;
      let prev = -1; // index of the last observed value
      for (let k = 0; k <= n; k++) {
        if (k < n && Number.isNaN(out[at(k)])) continue;
        // fill the gap (prev, k)
        for (let g = prev + 1; g < k; g++) {
          if (prev >= 0 && k < n) {
            const w = (g - prev) / (k - prev);
            out[at(g)] = out[at(prev)] * (1 - w) + out[at(k)] * w;
          } else if (edges === 'nearest' && (prev >= 0 || k < n)) {
            out[at(g)] = prev >= 0 ? out[at(prev)] : out[at(k)];
          }
        }
        prev = k;
      }
    }
  }
  return new Tensor(out, t.shape, dtype);
}

export interface ImputeCategoricalOptions {
  /** 'mostFrequent' (default; the first in sorted order on ties) or 'constant'. */
  strategy?: 'mostFrequent' | 'constant';
  /** The value used by 'constant'; default 'missing'. */
  fillValue?: string;
}

/**
 * Fills null/undefined/'' cells of a categorical column with its most frequent value or a
 * constant. Returns the filled column and the value used, to fill later data alike.
 *
 * ```ts
 * const { values, fill } = sd.data.imputeCategorical(['a', null, 'b', 'a']); // fill 'a'
 * ```
 */
export function imputeCategorical(
  column: readonly (string | null | undefined)[],
  options: ImputeCategoricalOptions = {},
): { values: string[]; fill: string } {
  const strategy = options.strategy ?? 'mostFrequent';
  const missing = (v: string | null | undefined): v is null | undefined | '' => v === null || v === undefined || v === '';
  let fill = options.fillValue ?? 'missing';
  if (strategy === 'mostFrequent') {
    const counts = new Map<string, number>();
    for (const v of column) if (!missing(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size === 0) {
      throw new ValueError(`imputeCategorical: the column has no observed values; use strategy 'constant'`);
    }
    const ranked = [...counts].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1));
    fill = ranked[0][0];
  } else if (strategy !== 'constant') {
    throw new ValueError(`imputeCategorical: unknown strategy '${String(strategy)}' (expected mostFrequent or constant)`);
  }
  return { values: column.map((v) => (missing(v) ? fill : v)), fill };
}
