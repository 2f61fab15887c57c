import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors.js';
import { allocArray, isFloatDType } from '../../tensor/dtype.js';
import { Generator as RandomGenerator, globalGenerator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Plane } from '../resample.js';

/**
 * What the augmentations share: an Augmentation is a function from an image batch to an
 * augmented batch, drawing its random parameters (one set per image) from a generator; the
 * batch is viewed as N images of C planes of H×W.
 */

/**
 * A batch transform. Called with a generator it draws from that one (compose passes its
 * own); otherwise from the generator of its `seed` option, or the global one (`sd.seed`).
 */
export type Augmentation = ((images: Tensor, generator?: RandomGenerator) => Tensor) & { readonly augmentation: string };

export interface SeedOption {
  /** Seed of this transform's own generator; default: the global generator. */
  seed?: number;
}

/** Wraps `body` as an Augmentation named `name`, choosing the generator as documented. */
export function augmentation(
  name: string,
  seed: number | undefined,
  body: (images: ImageBatch, rng: RandomGenerator) => Tensor,
): Augmentation {
  const own = seed === undefined ? undefined : new RandomGenerator(seed);
  const fn = (images: Tensor, generator?: RandomGenerator): Tensor =>
    body(imageBatch(name, images), generator ?? own ?? globalGenerator);
  return Object.assign(fn, { augmentation: name });
}

/** A batch [N,C,H,W] (or [N,H,W] with C = 1) seen plane by plane. */
export interface ImageBatch {
  tensor: Tensor;
  n: number;
  c: number;
  h: number;
  w: number;
}

export function imageBatch(op: string, x: Tensor): ImageBatch {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: images must be a Tensor [N,C,H,W] or [N,H,W]`);
  if (!isFloatDType(x.dtype)) {
    throw new DTypeError(`${op}: images must be float32 or float64, got ${x.dtype} (scale pixels to floats first)`);
  }
  if (x.rank === 4) return { tensor: x, n: x.shape[0], c: x.shape[1], h: x.shape[2], w: x.shape[3] };
  if (x.rank === 3) return { tensor: x, n: x.shape[0], c: 1, h: x.shape[1], w: x.shape[2] };
  throw new ShapeError(`${op}: images must be [N,C,H,W] or [N,H,W], got shape ${fmtShape(x.shape)}`);
}

/** Plane `k` (image n, channel c) of a batch's storage. */
export function plane(b: ImageBatch, data: Tensor['values'], index: number, h = b.h, w = b.w): Plane {
  return { data, offset: index * h * w, height: h, width: w };
}

/** An output batch of the input's dtype and rank with planes of h×w. */
export function outputBatch(b: ImageBatch, h = b.h, w = b.w): { values: Tensor['values']; make: () => Tensor } {
  const values = allocArray(b.tensor.dtype, b.n * b.c * h * w);
  const shape = b.tensor.rank === 4 ? [b.n, b.c, h, w] : [b.n, h, w];
  return { values, make: () => new Tensor(values, shape, b.tensor.dtype) };
}

/** A uniform draw in [lo, hi). */
export function uniform(rng: RandomGenerator, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.uniform();
}

/** `v` as an interval: a number d gives [center − d, center + d]. */
export function interval(op: string, name: string, v: number | readonly [number, number], center = 0): [number, number] {
  const [lo, hi] = typeof v === 'number' ? [center - v, center + v] : v;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi || (typeof v === 'number' && v < 0)) {
    throw new ValueError(`${op}: ${name} must be a non-negative number or an interval [lo, hi] with lo ≤ hi, got ${JSON.stringify(v)}`);
  }
  return [lo, hi];
}

export function checkSize(op: string, size: readonly number[]): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${op}: size must be [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  return [size[0], size[1]];
}
