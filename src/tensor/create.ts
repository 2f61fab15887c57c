import { DTypeError, ValueError } from '../errors.js';
import { allocArray, isDType, isFloatDType, type DType } from './dtype.js';
import { Tensor } from './tensor.js';
import { assertValidShape, sizeOf } from './shape.js';
import { Generator, globalGenerator } from './random.js';

/** Options of the random creation functions. */
export interface RandomOptions {
  dtype?: DType;
  /** Defaults to the global generator seeded by `sd.seed`. */
  generator?: Generator;
}

function checkDType(op: string, dtype: DType): DType {
  if (!isDType(dtype)) {
    throw new DTypeError(`${op}: unknown dtype '${String(dtype)}' (expected float32, float64, int32 or bool)`);
  }
  return dtype;
}

function make(op: string, shape: readonly number[], dtype: DType, fill: (i: number) => number): Tensor {
  assertValidShape(op, shape);
  checkDType(op, dtype);
  const size = sizeOf(shape);
  const values = allocArray(dtype, size);
  for (let i = 0; i < size; i++) values[i] = fill(i);
  return new Tensor(values, shape, dtype);
}

/**
 * A tensor of `shape` filled with `value`; a boolean value gives bool unless `dtype` says
 * otherwise, a number float32.
 *
 * ```ts
 * sd.full([2, 3], 0.5);
 * sd.full([4], true);           // bool
 * ```
 */
export function full(shape: readonly number[], value: number | boolean, dtype?: DType): Tensor {
  return filled('full', shape, value, dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'));
}

function filled(op: string, shape: readonly number[], value: number | boolean, dtype: DType): Tensor {
  assertValidShape(op, shape);
  checkDType(op, dtype);
  const v = Number(value);
  const values = allocArray(dtype, sizeOf(shape));
  values.fill(dtype === 'bool' ? (v !== 0 ? 1 : 0) : v);
  return new Tensor(values, shape, dtype);
}

/** A zero-rank tensor holding `value`. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return full([], value, dtype);
}

/** A tensor of zeros (float32 unless `dtype` is given). */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  assertValidShape('zeros', shape);
  checkDType('zeros', dtype);
  return new Tensor(allocArray(dtype, sizeOf(shape)), shape, dtype);
}

/** A tensor of ones (float32 unless `dtype` is given). */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

/** Zeros with t's shape and (unless given) dtype. */
export function zerosLike(t: Tensor, dtype?: DType): Tensor {
  return zeros(t.shape, dtype ?? t.dtype);
}

/** Ones with t's shape and (unless given) dtype. */
export function onesLike(t: Tensor, dtype?: DType): Tensor {
  return filled('onesLike', t.shape, 1, dtype ?? t.dtype);
}

/** `value` with t's shape and (unless given) dtype. */
export function fullLike(t: Tensor, value: number | boolean, dtype?: DType): Tensor {
  return filled('fullLike', t.shape, value, dtype ?? t.dtype);
}

/**
 * Values from `start` up to but excluding `end`, `step` apart. With one argument the range
 * is [0, start). Integer arguments give int32 (as PyTorch), others float32.
 */
export function arange(start: number, end?: number, step = 1, dtype?: DType): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a non-zero finite number, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new ValueError(`arange: start and end must be finite, got ${start} and ${end}`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const d = dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const s = start;
  return make('arange', [n], d, (i) => s + i * step);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included. As PyTorch, the first
 * half counts up from `start` and the second half down from `end` (in the output's
 * precision), so both ends are exact.
 *
 * ```ts
 * sd.linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, end: number, steps: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const step = steps > 1 ? round(round(round(end) - round(start)) / (steps - 1)) : 0;
  const halfway = Math.floor(steps / 2);
  if (steps === 1) return make('linspace', [1], dtype, () => start);
  return make('linspace', [steps], dtype, (i) =>
    i < halfway ? round(start + round(step * i)) : round(end - round(step * (steps - 1 - i))),
  );
}

/** The identity matrix, n×m (m defaults to n). */
export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  return make('eye', [n, m], dtype, (i) => (Math.floor(i / m) === i % m ? 1 : 0));
}

function floatDType(op: string, options: RandomOptions): DType {
  const dtype = options.dtype ?? 'float32';
  if (!isFloatDType(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  return dtype;
}

/**
 * Uniform samples in [0, 1) (float32 samples have 24 random bits, float64 samples 53).
 *
 * ```ts
 * sd.rand([2, 3]);
 * sd.rand([4], { dtype: 'float64', generator: new sd.Generator(7) });
 * ```
 */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? globalGenerator;
  const dtype = floatDType('rand', options);
  return make('rand', shape, dtype, dtype === 'float32' ? () => g.uniformFloat32() : () => g.uniform());
}

/** Standard normal samples. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? globalGenerator;
  return make('randn', shape, floatDType('randn', options), () => g.normal());
}

/** Uniform integers in [low, high), int32. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: expected integers with low < high, got low=${low}, high=${high}`);
  }
  const g = options.generator ?? globalGenerator;
  return make('randint', shape, options.dtype ?? 'int32', () => g.integer(low, high));
}

/**
 * Normal samples with values beyond two standard deviations redrawn, as TensorFlow's
 * truncated_normal (the Keras default initializers use it).
 */
export function truncatedNormal(
  shape: readonly number[],
  options: RandomOptions & { mean?: number; std?: number } = {},
): Tensor {
  const { mean = 0, std = 1 } = options;
  if (!(std >= 0)) throw new ValueError(`truncatedNormal: std must be >= 0, got ${std}`);
  const g = options.generator ?? globalGenerator;
  return make('truncatedNormal', shape, floatDType('truncatedNormal', options), () => {
    let z: number;
    do z = g.normal();
    while (Math.abs(z) > 2);
    return mean + std * z;
  });
}

/**
 * 1 with probability `p`, else 0. `p` is one probability for the whole `shape`, or a tensor
 * of probabilities (the output then has its shape and dtype).
 */
export function bernoulli(p: number | Tensor, shape?: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? globalGenerator;
  if (p instanceof Tensor) {
    if (!isFloatDType(p.dtype)) throw new DTypeError(`bernoulli: p must be a float tensor, got ${p.dtype}`);
    for (const v of p.values) {
      if (!(v >= 0 && v <= 1)) throw new ValueError(`bernoulli: every probability must be in [0, 1], got ${v}`);
    }
    const probs = p.values;
    return make('bernoulli', p.shape, p.dtype, (i) => (g.uniform() < probs[i] ? 1 : 0));
  }
  if (!(p >= 0 && p <= 1)) throw new ValueError(`bernoulli: p must be in [0, 1], got ${p}`);
  if (!shape) throw new ValueError('bernoulli: a shape is required when p is a number');
  const out = make('bernoulli', shape, options.dtype ?? 'float32', () => 0);
  g.fillBernoulli(out.values, p, 1);
  return out;
}

/** A random permutation of 0..n-1 (int32), by Fisher–Yates. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`randperm: n must be a non-negative integer, got ${n}`);
  const g = options.generator ?? globalGenerator;
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return new Tensor(values, [n], 'int32');
}
