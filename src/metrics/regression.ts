import type { TensorLike } from '../tensor/convert.js';
import { sameShapeValues } from './labels.js';

/**
 * Regression metrics in (yTrue, yPred) order, as numbers (NaN for no elements). yTrue
 * and yPred have one shape; [N] against [N,1] is accepted, as Keras does.
 */

/** Sum of squared and absolute errors, and the number of elements, for the streaming metrics. */
export interface ErrorSums {
  squared: number;
  absolute: number;
  count: number;
}

export function errorSums(op: string, yTrue: TensorLike, yPred: TensorLike): ErrorSums {
  const [t, p] = sameShapeValues(op, yTrue, yPred);
  const tv = t.values;
  const pv = p.values;
  let squared = 0;
  let absolute = 0;
  for (let i = 0; i < pv.length; i++) {
    const d = Number(pv[i]) - Number(tv[i]);
    squared += d * d;
    absolute += Math.abs(d);
  }
  return { squared, absolute, count: pv.length };
}

/**
 * Mean of (yPred − yTrue)² over every element.
 *
 * ```ts
 * sd.metrics.meanSquaredError([1, 2, 3], [1, 2, 5]); // 4/3
 * ```
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): number {
  const s = errorSums('meanSquaredError', yTrue, yPred);
  return s.squared / s.count;
}

/**
 * Mean of |yPred − yTrue| over every element.
 *
 * ```ts
 * sd.metrics.meanAbsoluteError([1, 2, 3], [1, 2, 5]); // 2/3
 * ```
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): number {
  const s = errorSums('meanAbsoluteError', yTrue, yPred);
  return s.absolute / s.count;
}
