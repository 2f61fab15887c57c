import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastShapes, shapesEqual } from '../tensor/shape.js';
import { cast } from '../ops/cast.js';
import { mean, sum } from '../ops/reduce.js';

/**
 * What the losses share: the reduction of per-element losses, and the checks of the
 * prediction, the target and the weights at entry.
 */

/**
 * How a loss reduces its per-element values, as PyTorch's `reduction`: 'mean' (the
 * default), 'sum', or 'none' (the unreduced tensor).
 */
export type Reduction = 'mean' | 'sum' | 'none';

export interface ReductionOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

const REDUCTIONS: readonly string[] = ['mean', 'sum', 'none'];

/** Checks a reduction option, naming the op and the valid values; `extra` adds ones like 'batchmean'. */
export function checkReduction<R extends string = Reduction>(
  op: string,
  reduction: unknown,
  extra: readonly string[] = [],
): R {
  const valid = [...REDUCTIONS, ...extra];
  if (typeof reduction !== 'string' || !valid.includes(reduction)) {
    throw new ValueError(`${op}: reduction must be ${valid.map((r) => `'${r}'`).join(', ')}, got ${describe(reduction)}`);
  }
  return reduction as R;
}

/** Applies `reduction` to per-element losses: their mean, their sum, or the tensor itself. */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return mean(loss);
  if (reduction === 'sum') return sum(loss);
  return loss;
}

/** Checks that `options` is an object (or undefined) and returns it. */
export function optionsOf<T extends object>(op: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object like { reduction: 'sum' }, got ${describe(options)}`);
  }
  return options;
}

/** The prediction of a loss: a float tensor. */
export function floatInput(op: string, arg: string, value: TensorLike): Tensor {
  const t = toTensor(value, op, arg);
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(`${op}: ${arg} must be float32 or float64, got ${t.dtype} (cast it with sd.cast(${arg}, 'float32'))`);
  }
  return t;
}

/**
 * A real-valued target of `input`'s shape, in `input`'s dtype: int32 targets (regression
 * values, 0/1 labels) are converted; bool is rejected.
 */
export function realTarget(op: string, input: Tensor, target: TensorLike, arg = 'target'): Tensor {
  const t = toTensor(target, op, arg, input.dtype);
  if (t.dtype === 'bool') {
    throw new DTypeError(`${op}: ${arg} must be numeric, got bool (cast it with sd.cast(${arg}, 'float32'))`);
  }
  checkSameShape(op, input, t, arg);
  return t.dtype === input.dtype ? t : cast(t, input.dtype);
}

/** Throws a ShapeError naming both shapes unless `target` has `input`'s shape. */
export function checkSameShape(op: string, input: Tensor, target: Tensor, arg = 'target'): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `${op}: input and ${arg} must have the same shape, got input ${fmtShape(input.shape)} and ${arg} ${fmtShape(target.shape)}`,
    );
  }
}

/**
 * An optional elementwise weight that broadcasts to `input`'s shape (without growing
 * it), in `input`'s dtype.
 */
export function broadcastWeight(op: string, arg: string, input: Tensor, weight: TensorLike | undefined | null): Tensor | null {
  if (weight === undefined || weight === null) return null;
  const w = toTensor(weight, op, arg, input.dtype);
  if (!isFloatDType(w.dtype) && w.dtype !== 'int32') {
    throw new DTypeError(`${op}: ${arg} must be numeric, got ${w.dtype}`);
  }
  const shape = broadcastShapes(op, w.shape, input.shape);
  if (!shapesEqual(shape, input.shape)) {
    throw new ShapeError(`${op}: ${arg} ${fmtShape(w.shape)} must broadcast to the input shape ${fmtShape(input.shape)}`);
  }
  return w.dtype === input.dtype ? w : cast(w, input.dtype);
}

/** Checks a finite number option, with an optional lower bound. */
export function numberOption(op: string, name: string, value: unknown, min?: { value: number; inclusive: boolean }): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (min === undefined || (min.inclusive ? value >= min.value : value > min.value));
  if (!ok) {
    const bound = min === undefined ? 'a finite number' : `a number ${min.inclusive ? '>=' : '>'} ${min.value}`;
    throw new ValueError(`${op}: ${name} must be ${bound}, got ${describe(value)}`);
  }
  return value as number;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Tensor) return `a Tensor of shape ${fmtShape(value.shape)}`;
  return String(value);
}
