import { ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { add } from './arithmetic.js';
import { flip } from './flip.js';
import { slice } from './slice.js';

export type PadMode = 'constant' | 'reflect';

/**
 * Pads every axis of `x` with `paddings[d] = [before, after]` elements.
 *
 * - 'constant' (default) fills with `value` (default 0);
 * - 'reflect' mirrors x about its edges without repeating them, as NumPy's and PyTorch's
 *   'reflect': [1, 2, 3] padded by [2, 2] is [3, 2, 1, 2, 3, 2, 1]. Each padding must then
 *   be smaller than its axis.
 *
 * The third argument may be the mode or, as in TensorFlow.js, the constant value.
 * Shapes: [d0, ...] → [before0 + d0 + after0, ...].
 *
 * ```ts
 * sd.pad(x, [[0, 0], [1, 1]]);            // one zero on each side of axis 1
 * sd.pad(x, [[0, 0], [1, 1]], -1);        // filled with -1 (tfjs style)
 * sd.pad(x, [[0, 0], [2, 2]], 'reflect');
 * ```
 */
export function pad(
  x: TensorLike,
  paddings: readonly (readonly [number, number])[],
  modeOrValue: PadMode | number = 'constant',
  value = 0,
): Tensor {
  const t = toTensor(x, 'pad', 'x');
  const mode = typeof modeOrValue === 'number' ? 'constant' : modeOrValue;
  const fill = typeof modeOrValue === 'number' ? modeOrValue : value;
  if (mode !== 'constant' && mode !== 'reflect') {
    throw new ValueError(`pad: mode must be 'constant' or 'reflect', got '${String(mode)}'`);
  }
  const shown = JSON.stringify(paddings);
  if (!Array.isArray(paddings) || paddings.length !== t.rank) {
    throw new ValueError(`pad: paddings ${shown} must hold one [before, after] pair per axis of x ${fmtShape(t.shape)} (${t.rank})`);
  }
  const pairs = paddings.map((p, d): [number, number] => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ValueError(`pad: paddings[${d}] must be [before, after] with non-negative integers, got ${JSON.stringify(p)}`);
    }
    if (mode === 'reflect' && (p[0] >= t.shape[d] || p[1] >= t.shape[d]) && (p[0] > 0 || p[1] > 0)) {
      throw new ValueError(
        `pad: reflect padding [${p[0]},${p[1]}] of axis ${d} must be smaller than its size ${t.shape[d]} (x is ${fmtShape(t.shape)})`,
      );
    }
    return [p[0], p[1]];
  });
  if (pairs.every(([b, a]) => b === 0 && a === 0)) return t;
  const shape = t.shape;
  return runOp('pad', 'Pad', [t], { paddings: pairs, mode, value: fill }, (dy) => [
    mode === 'constant' ? slice(dy, pairs.map((p) => p[0]), shape) : reflectGrad(dy, pairs, shape),
  ]);
}

/**
 * Gradient of reflect padding, one axis at a time: the centre, plus each mirrored border
 * flipped back onto the positions it copied (1..before and n-1-after..n-2).
 */
function reflectGrad(dy: Tensor, pairs: readonly [number, number][], shape: readonly number[]): Tensor {
  let g = dy;
  pairs.forEach(([before, after], d) => {
    if (before === 0 && after === 0) return;
    const n = shape[d];
    let sum = along(g, d, before, n);
    if (before > 0) {
      sum = add(sum, padAxis(flip(along(g, d, 0, before), [d]), d, 1, n - 1 - before));
    }
    if (after > 0) {
      sum = add(sum, padAxis(flip(along(g, d, before + n, after), [d]), d, n - 1 - after, 1));
    }
    g = sum;
  });
  return g;
}

/** `length` elements of `x` from `start` along `axis`. */
function along(x: Tensor, axis: number, start: number, length: number): Tensor {
  const begin = x.shape.map((_, d) => (d === axis ? start : 0));
  const size = x.shape.map((s, d) => (d === axis ? length : s));
  return slice(x, begin, size);
}

/** Zero padding of one axis. */
function padAxis(x: Tensor, axis: number, before: number, after: number): Tensor {
  return pad(x, x.shape.map((_, d): [number, number] => (d === axis ? [before, after] : [0, 0])));
}
