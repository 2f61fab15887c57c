/**
 * Error classes thrown at op entry, before any kernel runs. Messages name the op, the
 * argument, what was expected and what came, e.g.
 * `matmul: inner dimensions differ: a is [32,784], b is [128,10] (784 ≠ 128)`.
 */

/** Shapes that do not fit together: broadcasting, matmul, conv, concat, reshape. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A dtype the op cannot take, e.g. a float op on a bool tensor. */
export class DTypeError extends Error {
  override name = 'DTypeError';
}

/** A value out of range: an axis, an index, a probability, a negative size. */
export class ValueError extends Error {
  override name = 'ValueError';
}

/** A file that is not what it claims to be: truncated, corrupted, or of another format. */
export class FormatError extends ValueError {
  override name = 'FormatError';
}

/** Formats a shape the way messages print it: `[32,784]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
