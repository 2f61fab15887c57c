import { ValueError } from '../../errors.js';
import { augmentation, interval, outputBatch, uniform, type Augmentation, type SeedOption } from './batch.js';

/**
 * Photometric augmentations of image batches [N,C,H,W] (or [N,H,W]): brightness,
 * contrast, Gaussian noise. Shapes are unchanged.
 */

export interface ClipOption extends SeedOption {
  /** Clip the result into [lo, hi], e.g. [0, 1] for images in [0, 1]; default: no clipping. */
  clip?: readonly [number, number];
}

function clipper(op: string, clip: readonly [number, number] | undefined): (v: number) => number {
  if (clip === undefined) return (v) => v;
  const [lo, hi] = clip;
  if (!(lo < hi)) throw new ValueError(`${op}: clip must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
  return (v) => (v < lo ? lo : v > hi ? hi : v);
}

/**
 * Adds a brightness offset drawn per image from [−delta, delta] (or [lo, hi]) to every
 * pixel (tf.image.random_brightness).
 *
 * ```ts
 * sd.data.augment.randomBrightness(0.2, { clip: [0, 1] });
 * ```
 */
export function randomBrightness(delta: number | readonly [number, number], options: ClipOption = {}): Augmentation {
  const [lo, hi] = interval('randomBrightness', 'delta', delta);
  const clip = clipper('randomBrightness', options.clip);
  return augmentation('randomBrightness', options.seed, (b, rng) => {
    const src = b.tensor.values;
    const out = outputBatch(b);
    const per = b.c * b.h * b.w;
    for (let n = 0; n < b.n; n++) {
      const d = uniform(rng, lo, hi);
      for (let i = n * per; i < (n + 1) * per; i++) out.values[i] = clip(src[i] + d);
    }
    return out.make();
  });
}

/**
 * Scales each image's contrast by a factor drawn per image from [1 − factor, 1 + factor]
 * (or [lo, hi]): every channel becomes (x − mean)·k + mean, with the mean of that channel
 * of that image (tf.image.adjust_contrast, Keras' RandomContrast).
 */
export function randomContrast(factor: number | readonly [number, number], options: ClipOption = {}): Augmentation {
  const [lo, hi] = interval('randomContrast', 'factor', factor, 1);
  if (lo < 0) throw new ValueError(`randomContrast: the contrast factor must stay ≥ 0, got the interval [${lo}, ${hi}]`);
  const clip = clipper('randomContrast', options.clip);
  return augmentation('randomContrast', options.seed, (b, rng) => {
    const src = b.tensor.values;
    const out = outputBatch(b);
    const hw = b.h * b.w;
    for (let n = 0; n < b.n; n++) {
      const k = uniform(rng, lo, hi);
      for (let c = 0; c < b.c; c++) {
        const base = (n * b.c + c) * hw;
        let mean = 0;
        for (let i = 0; i < hw; i++) mean += src[base + i];
        mean /= hw || 1;
        for (let i = 0; i < hw; i++) out.values[base + i] = clip((src[base + i] - mean) * k + mean);
      }
    }
    return out.make();
  });
}

/**
 * Adds independent Gaussian noise N(0, std²) to every pixel.
 *
 * ```ts
 * sd.data.augment.gaussianNoise(0.05, { seed: 3 });
 * ```
 */
export function gaussianNoise(std: number, options: ClipOption = {}): Augmentation {
  if (!(std >= 0) || !Number.isFinite(std)) throw new ValueError(`gaussianNoise: std must be a non-negative number, got ${std}`);
  const clip = clipper('gaussianNoise', options.clip);
  return augmentation('gaussianNoise', options.seed, (b, rng) => {
    const src = b.tensor.values;
    const out = outputBatch(b);
    for (let i = 0; i < src.length; i++) out.values[i] = clip(src[i] + std * rng.normal());
    return out.make();
  });
}
