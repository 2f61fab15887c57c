import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor, toTensor, type TensorLike } from '../tensor/convert.js';
import { allocArray, isFloatDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';
import { cast } from '../ops/cast.js';
import { reshape } from '../ops/reshape.js';
import { permute } from '../ops/transpose.js';
import { floatInput, numberOption } from './reduction.js';

/**
 * The class layout shared by crossEntropy and nllLoss (PyTorch's): the input holds one
 * score per class along axis 1 — [C], [N,C] or [N,C,d1,...,dk] — and the target holds
 * either one int32 class index per sample — [], [N] or [N,d1,...,dk] — or class
 * probabilities of the input's shape.
 */

/** The input as rows of class scores. */
export interface ClassRows {
  /** The input as given: [C], [N,C] or [N,C,d1,...,dk]. */
  input: Tensor;
  /** [M,C]: one row per sample and position, the class axis last. */
  rows: Tensor;
  classes: number;
  /** The shape of one value per sample: [], [N] or [N,d1,...,dk]. */
  batchShape: number[];
}

/** Moves the class axis (1) of `input` last and flattens the rest into rows. */
export function classRows(op: string, input: TensorLike): ClassRows {
  const x = floatInput(op, 'input', input);
  if (x.rank === 0) {
    throw new ShapeError(`${op}: input must have a class axis: [C], [N,C] or [N,C,d1,...], got a scalar`);
  }
  const classes = x.rank === 1 ? x.shape[0] : x.shape[1];
  if (classes === 0) throw new ShapeError(`${op}: input ${fmtShape(x.shape)} has no classes (the class axis is empty)`);
  const batchShape = x.rank === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
  const m = x.size / classes;
  if (x.rank <= 2) return { input: x, rows: reshape(x, [m, classes]), classes, batchShape };
  const perm = [0, ...x.shape.slice(2).map((_, i) => i + 2), 1];
  return { input: x, rows: reshape(permute(x, perm), [m, classes]), classes, batchShape };
}

/** Class indices, flattened in row order, with what the weighted losses need. */
export interface IndexTarget {
  kind: 'index';
  /** Each row's class, with ignored rows set to 0 so that they can still be gathered. */
  safe: Tensor;
  /** Each row's weight: weight[class], 0 where the target is ignoreIndex. */
  rowWeight: Float64Array;
  /** Whether each row counts (its target is not ignoreIndex). */
  valid: Uint8Array;
  /** Σ rowWeight: the divisor of PyTorch's weighted mean. */
  totalWeight: number;
}

/** Class probabilities (or any soft target), as rows like the input's. */
export interface ProbabilityTarget {
  kind: 'probabilities';
  rows: Tensor;
}

/**
 * Reads a class target against `input`: int32 indices of the batch shape (plain JS
 * integer arrays are accepted), or, when `allowProbabilities`, a float tensor of the
 * input's shape. Anything else is a DTypeError or ShapeError naming both shapes; an
 * index outside 0..C−1 (other than ignoreIndex) is a ValueError naming it.
 */
export function classTarget(
  op: string,
  layout: ClassRows,
  target: TensorLike,
  options: { weight: number[] | null; ignoreIndex: number; allowProbabilities: boolean },
): IndexTarget | ProbabilityTarget {
  const { input, batchShape, classes } = layout;
  const t = targetTensor(op, target, batchShape);
  const expected = `class indices of shape ${fmtShape(batchShape)} (int32)`;
  if (t.dtype === 'int32') {
    if (!shapesEqual(t.shape, batchShape)) {
      throw new ShapeError(`${op}: target must hold ${expected} for input ${fmtShape(input.shape)}, got target ${fmtShape(t.shape)}`);
    }
    return indexTarget(op, t, classes, options.weight, options.ignoreIndex);
  }
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(`${op}: target must be int32 class indices${options.allowProbabilities ? ' or float probabilities' : ''}, got ${t.dtype}`);
  }
  if (options.allowProbabilities && shapesEqual(t.shape, input.shape)) {
    const probs = t.dtype === input.dtype ? t : cast(t, input.dtype);
    return { kind: 'probabilities', rows: classRows(op, probs).rows };
  }
  if (shapesEqual(t.shape, batchShape) || !options.allowProbabilities) {
    throw new DTypeError(
      `${op}: target holds class indices but has dtype ${t.dtype}; they must be int32 (sd.cast(target, 'int32'))` +
        (options.allowProbabilities ? `, or give float class probabilities of the input's shape ${fmtShape(input.shape)}` : ''),
    );
  }
  throw new ShapeError(
    `${op}: target must hold ${expected} or class probabilities of the input's shape, got input ${fmtShape(input.shape)} and target ${fmtShape(t.shape)}`,
  );
}

/** A JS array of integers of the batch shape is read as class indices; anything else as given. */
function targetTensor(op: string, target: TensorLike, batchShape: number[]): Tensor {
  if (Array.isArray(target) || typeof target === 'number') {
    const t = tensor(target, undefined, 'float64');
    if (shapesEqual(t.shape, batchShape) && t.values.every((v) => Number.isInteger(v))) {
      return new Tensor(Int32Array.from(t.values), t.shape, 'int32');
    }
  }
  return toTensor(target, op, 'target');
}

function indexTarget(op: string, t: Tensor, classes: number, weight: number[] | null, ignoreIndex: number): IndexTarget {
  const v = t.values;
  const safe = new Int32Array(v.length);
  const rowWeight = new Float64Array(v.length);
  const valid = new Uint8Array(v.length);
  let totalWeight = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === ignoreIndex) continue;
    if (c < 0 || c >= classes) {
      throw new ValueError(
        `${op}: target holds class ${c} at position ${i}, out of range for ${classes} classes (valid: 0..${classes - 1}, or ignoreIndex ${ignoreIndex})`,
      );
    }
    safe[i] = c;
    valid[i] = 1;
    rowWeight[i] = weight ? weight[c] : 1;
    totalWeight += rowWeight[i];
  }
  return { kind: 'index', safe: new Tensor(safe, [v.length, 1], 'int32'), rowWeight, valid, totalWeight };
}

/** Checks a per-class weight of shape [C] and returns its values. */
export function classWeight(op: string, weight: TensorLike | undefined | null, classes: number): number[] | null {
  if (weight === undefined || weight === null) return null;
  const w = toTensor(weight, op, 'weight');
  if (w.dtype === 'bool') throw new DTypeError(`${op}: weight must be numeric, got bool`);
  if (w.rank !== 1 || w.shape[0] !== classes) {
    throw new ShapeError(`${op}: weight must have one value per class, shape [${classes}], got ${fmtShape(w.shape)}`);
  }
  return Array.from(w.values, Number);
}

/** Checks ignoreIndex: an integer, −100 by default (PyTorch's). */
export function ignoreIndexOption(op: string, ignoreIndex: unknown): number {
  const v = numberOption(op, 'ignoreIndex', ignoreIndex);
  if (!Number.isInteger(v)) throw new ValueError(`${op}: ignoreIndex must be an integer, got ${v}`);
  return v;
}

/** A constant tensor of `values` in `dtype`. */
export function constant(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const out = allocArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return new Tensor(out, shape, dtype);
}
