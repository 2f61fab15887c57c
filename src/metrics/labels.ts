import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';

/**
 * Reading metric inputs: tensors as plain numbers, labels as integers, and score
 * matrices as their argmax. Metrics run outside autograd, in float64 JS numbers.
 */

/** A metric argument as a tensor (bool counts as 0/1). */
export function asTensor(op: string, arg: string, value: TensorLike): Tensor {
  return toTensor(value, op, arg);
}

/**
 * Integer labels from a tensor of int32, bool or integer-valued floats; a fraction is a
 * DTypeError that says what to do.
 */
export function labelValues(op: string, arg: string, t: Tensor): Int32Array {
  if (t.dtype === 'int32') return t.values as Int32Array;
  const v = t.values;
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = Number(v[i]);
    if (!Number.isInteger(x)) {
      const shown = t.dtype === 'float32' ? Number(x.toPrecision(7)) : x;
      throw new DTypeError(
        `${op}: ${arg} must hold class labels (integers), got ${shown} at position ${i} (threshold probabilities first, e.g. sd.gt(p, 0.5))`,
      );
    }
    out[i] = x;
  }
  return out;
}

/** Index of the first largest value of each row of `width` values (NaN never wins). */
export function rowArgmax(values: ArrayLike<number>, width: number): Int32Array {
  const rows = width === 0 ? 0 : values.length / width;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = -Infinity;
    let arg = 0;
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c];
      if (v > best) {
        best = v;
        arg = c;
      }
    }
    out[r] = arg;
  }
  return out;
}

/**
 * True and predicted labels, one per sample: yTrue as labels ([N], or [N,1]); yPred as
 * labels of the same shape, or as scores with one more axis ([N,C]), read by argmax.
 */
export function labelPairs(op: string, yTrue: TensorLike, yPred: TensorLike): [Int32Array, Int32Array] {
  let t = asTensor(op, 'yTrue', yTrue);
  const p = asTensor(op, 'yPred', yPred);
  if (p.rank === t.rank + 1) {
    if (p.rank === 0 || !shapesEqual(t.shape, p.shape.slice(0, -1))) throw mismatch(op, t, p);
    return [labelValues(op, 'yTrue', t), rowArgmax(p.values, p.shape[p.rank - 1])];
  }
  if (t.rank === p.rank + 1 && t.shape[t.rank - 1] === 1) t = reshaped(t, t.shape.slice(0, -1));
  if (!shapesEqual(t.shape, p.shape)) throw mismatch(op, t, p);
  return [labelValues(op, 'yTrue', t), labelValues(op, 'yPred', p)];
}

/**
 * yTrue and yPred of one shape, a trailing axis of 1 on either side dropped as Keras does
 * ([N] against [N,1]); anything else that differs is a ShapeError naming both.
 */
export function sameShapeValues(op: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  let t = asTensor(op, 'yTrue', yTrue);
  let p = asTensor(op, 'yPred', yPred);
  const last = (x: Tensor): number => x.shape[x.rank - 1];
  if (t.rank === p.rank + 1 && last(t) === 1) t = reshaped(t, t.shape.slice(0, -1));
  else if (p.rank === t.rank + 1 && last(p) === 1) p = reshaped(p, p.shape.slice(0, -1));
  if (!shapesEqual(t.shape, p.shape)) throw mismatch(op, t, p);
  return [t, p];
}

export function mismatch(op: string, t: Tensor, p: Tensor): ShapeError {
  return new ShapeError(`${op}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p.shape)} do not match`);
}

/** The same values under another shape of equal size (metrics only read values). */
function reshaped(t: Tensor, shape: number[]): Tensor {
  return new Tensor(t.values, shape, t.dtype);
}
