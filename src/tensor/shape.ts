import { ShapeError, ValueError, fmtShape } from '../errors.js';

export type Shape = readonly number[];

/** Number of elements of a shape; 1 for a scalar. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that every dimension is a non-negative integer. */
export function assertValidShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(`${op}: shape must hold non-negative integers, got ${fmtShape(shape)}`);
    }
  }
}

/**
 * The NumPy broadcast of two shapes: dimensions are aligned from the right, and each pair
 * must be equal or contain a 1.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast ` +
          `(dimension ${i - rank} is ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Resolves a possibly negative axis against `rank`, throwing a ValueError naming the op
 * when it is out of range. A scalar accepts axis 0 or -1 (both give 0), as PyTorch does.
 */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const n = Math.max(rank, 1);
  if (!Number.isInteger(axis) || axis < -n || axis >= n) {
    throw new ValueError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected ${-n}..${n - 1})`);
  }
  return axis < 0 ? axis + n : axis;
}

/**
 * Resolves the position of a new axis inserted into a tensor of rank `rank` (unsqueeze,
 * stack): -(rank+1)..rank, negative counting from the end of the result. The message
 * gives the input's rank.
 */
export function normalizeNewAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank) {
    throw new ValueError(
      `${op}: axis ${axis} is out of range for inserting an axis into a tensor of rank ${rank} (expected ${-(rank + 1)}..${rank})`,
    );
  }
  return axis < 0 ? axis + rank + 1 : axis;
}

/**
 * Resolves a set of axes (undefined = all) to sorted, unique, non-negative axes. For a
 * scalar, axis 0 or -1 stands for no axis at all.
 */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const unique = [...new Set(out)].sort((x, y) => x - y);
  if (unique.length !== out.length) {
    throw new ValueError(`${op}: axes contain a repeated axis: [${list.join(',')}]`);
  }
  return rank === 0 ? [] : unique;
}
