import { ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/create.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { indexAdd } from './gather.js';

/**
 * Slicing, in two styles over one kernel:
 * - `slice(x, begin, size)`, TensorFlow.js: a box given by its corner and its size;
 * - `index(x, ...specs)`, NumPy/Python: per axis an integer (drops the axis), a
 *   `[start, end, step]` slice with negative indices and negative steps, or `'...'`.
 */

/**
 * The box of `x` that starts at `begin` and has `size` (TensorFlow.js `slice`). Missing
 * trailing entries take the whole axis; a size of -1 means "to the end". Entries must lie
 * inside x: begin in 0..n, begin + size ≤ n.
 *
 * ```ts
 * const x = sd.arange(12).reshape([3, 4]);
 * sd.slice(x, [1, 0], [2, -1]); // rows 1..2, all columns: shape [2,4]
 * sd.slice(x, 1);               // rows 1..2: shape [2,4]
 * ```
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'slice', 'x');
  const b = typeof begin === 'number' ? [begin] : [...begin];
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  if (b.length > t.rank || s.length > t.rank) {
    throw new ValueError(`slice: begin [${b.join(',')}] and size [${s.join(',')}] must have at most rank ${t.rank} entries (x is ${fmtShape(t.shape)})`);
  }
  const begins: number[] = [];
  const sizes: number[] = [];
  for (let d = 0; d < t.rank; d++) {
    const n = t.shape[d];
    const start = b[d] ?? 0;
    const len = s[d] ?? -1;
    if (!Number.isInteger(start) || start < 0 || start > n) {
      throw new ValueError(`slice: begin[${d}] = ${start} is out of range for axis ${d} of size ${n} in ${fmtShape(t.shape)} (expected 0..${n})`);
    }
    if (!Number.isInteger(len) || len < -1 || start + len > n) {
      throw new ValueError(
        `slice: size[${d}] = ${len} does not fit axis ${d} of size ${n} from begin ${start} in ${fmtShape(t.shape)} (expected -1 or 0..${n - start})`,
      );
    }
    begins.push(start);
    sizes.push(len === -1 ? n - start : len);
  }
  return stridedSlice('slice', t, begins, begins.map(() => 1), sizes);
}

/** One axis of an `index` call: a slice `[start, end, step]` (each may be null), an integer or `'...'`. */
export type IndexSpec = number | null | string | readonly [start?: number | null, end?: number | null, step?: number | null];

interface AxisSlice {
  start: number | null;
  end: number | null;
  step: number | null;
  /** An integer index: the axis is removed from the result. */
  drop: boolean;
}

/**
 * NumPy/Python-style indexing: one spec per leading axis of `x`, the rest taken whole.
 *
 * - an integer `i` picks one position and removes the axis (negative counts from the end);
 * - `null` or `':'` takes the whole axis;
 * - `[start, end, step]` (or the string `'start:end:step'`) is a Python slice: any part may
 *   be null/omitted, negative positions count from the end, out-of-range bounds are
 *   clipped, and a negative step walks backwards;
 * - `'...'` stands for as many whole axes as needed;
 * - a string with commas holds several specs: `'1:, ::-1'`.
 *
 * ```ts
 * // x[1:, ::-1, 0] in NumPy:
 * sd.index(x, [1], [null, null, -1], 0);
 * sd.index(x, '1:, ::-1, 0');
 * sd.index(x, '...', -1);   // x[..., -1]
 * ```
 */
export function index(x: TensorLike, ...specs: IndexSpec[]): Tensor {
  const t = toTensor(x, 'index', 'x');
  const axes = expandSpecs(specs, t.rank);
  const begin: number[] = [];
  const step: number[] = [];
  const size: number[] = [];
  const shape: number[] = [];
  for (let d = 0; d < t.rank; d++) {
    const n = t.shape[d];
    const a = axes[d];
    if (a.drop) {
      const i = a.start as number;
      if (i < -n || i >= n) {
        throw new ValueError(`index: index ${i} is out of range for axis ${d} of size ${n} in ${fmtShape(t.shape)} (valid: ${-n}..${n - 1})`);
      }
      begin.push(i < 0 ? i + n : i);
      step.push(1);
      size.push(1);
      continue;
    }
    const [b, s, len] = resolveSlice(a, n, d);
    begin.push(b);
    step.push(s);
    size.push(len);
    shape.push(len);
  }
  const sliced = stridedSlice('index', t, begin, step, size);
  return shape.length === sliced.rank ? sliced : reshape(sliced, shape);
}

/** Turns the user's specs into exactly one AxisSlice per axis of a rank-`rank` tensor. */
function expandSpecs(specs: readonly IndexSpec[], rank: number): AxisSlice[] {
  const parsed: (AxisSlice | 'ellipsis')[] = [];
  for (const spec of specs) {
    if (typeof spec === 'string') {
      for (const part of spec.split(',')) parsed.push(parseSpecString(part.trim()));
    } else if (spec === null || spec === undefined) {
      parsed.push({ start: null, end: null, step: null, drop: false });
    } else if (typeof spec === 'number') {
      if (!Number.isInteger(spec)) throw new ValueError(`index: an index must be an integer, got ${spec}`);
      parsed.push({ start: spec, end: null, step: null, drop: true });
    } else if (Array.isArray(spec) && spec.length <= 3) {
      const [start = null, end = null, step = null] = spec;
      for (const v of [start, end, step]) {
        if (v !== null && !Number.isInteger(v)) {
          throw new ValueError(`index: slice [${spec.join(',')}] must hold integers or null`);
        }
      }
      parsed.push({ start, end, step, drop: false });
    } else {
      throw new ValueError(`index: a spec must be an integer, null, [start, end, step] or a string, got ${JSON.stringify(spec)}`);
    }
  }
  const ellipses = parsed.filter((p) => p === 'ellipsis').length;
  if (ellipses > 1) throw new ValueError(`index: at most one '...' is allowed, got ${ellipses}`);
  const explicit = parsed.length - ellipses;
  if (explicit > rank) {
    throw new ValueError(`index: ${explicit} specs given for a tensor of rank ${rank}`);
  }
  const whole = (): AxisSlice => ({ start: null, end: null, step: null, drop: false });
  const out: AxisSlice[] = [];
  for (const p of parsed) {
    if (p === 'ellipsis') for (let k = 0; k < rank - explicit; k++) out.push(whole());
    else out.push(p);
  }
  while (out.length < rank) out.push(whole());
  return out;
}

/** Parses one axis of Python syntax: `'...'`, `'3'`, `':'`, `'1:'`, `'::-1'`, `'-3:-1:2'`. */
function parseSpecString(text: string): AxisSlice | 'ellipsis' {
  if (text === '...') return 'ellipsis';
  const parts = text.split(':');
  const parse = (p: string): number | null => {
    const s = p.trim();
    if (s === '') return null;
    if (!/^[+-]?\d+$/.test(s)) throw new ValueError(`index: cannot parse '${text}' as an index or a slice`);
    return Number(s);
  };
  if (parts.length > 3 || (parts.length === 1 && parts[0].trim() === '')) {
    throw new ValueError(`index: cannot parse '${text}' as an index or a slice`);
  }
  if (parts.length === 1) return { start: parse(parts[0]), end: null, step: null, drop: true };
  return { start: parse(parts[0]), end: parse(parts[1]), step: parts.length === 3 ? parse(parts[2]) : null, drop: false };
}

/**
 * Python's slice.indices(n): clips start and end into range for the direction of `step`
 * and counts the elements. Returns [first position, step, count].
 */
function resolveSlice(a: AxisSlice, n: number, axis: number): [number, number, number] {
  const step = a.step ?? 1;
  if (step === 0) throw new ValueError(`index: slice step must not be zero (axis ${axis})`);
  const clip = (v: number | null, fallback: number): number => {
    if (v === null) return fallback;
    if (v < 0) v += n;
    if (step > 0) return Math.min(Math.max(v, 0), n);
    return Math.min(Math.max(v, -1), n - 1);
  };
  const start = clip(a.start, step > 0 ? 0 : n - 1);
  const end = clip(a.end, step > 0 ? n : -1);
  const count = step > 0 ? Math.max(0, Math.ceil((end - start) / step)) : Math.max(0, Math.ceil((start - end) / -step));
  return [count > 0 ? start : 0, step, count];
}

/**
 * The Slice kernel after the checks: for each axis d, `size[d]` elements starting at
 * `begin[d]` and `step[d]` apart. The gradient adds dy back at those positions, one axis at
 * a time (indexAdd into zeros), so it works for any step.
 */
function stridedSlice(op: string, x: Tensor, begin: number[], step: number[], size: number[]): Tensor {
  const identity = (d: number): boolean => begin[d] === 0 && step[d] === 1 && size[d] === x.shape[d];
  if (x.shape.every((_, d) => identity(d))) return x;
  const shape = x.shape;
  return runOp(op, 'Slice', [x], { begin, step, size }, (dy) => {
    let g = dy;
    for (let d = 0; d < shape.length; d++) {
      if (identity(d)) continue;
      const positions = Int32Array.from({ length: size[d] }, (_, j) => begin[d] + j * step[d]);
      const target = [...g.shape];
      target[d] = shape[d];
      g = indexAdd(zeros(target, g.dtype), d, positions, g);
    }
    return [g];
  });
}
