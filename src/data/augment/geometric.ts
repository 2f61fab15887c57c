import { ValueError } from '../../errors.js';
import type { Generator as RandomGenerator } from '../../tensor/random.js';
import { resizeBilinear, rotateShiftInverse, warpAffine, type Box } from '../resample.js';
import { augmentation, checkSize, interval, outputBatch, plane, uniform, type Augmentation, type SeedOption } from './batch.js';

/**
 * Geometric augmentations of image batches [N,C,H,W] (or [N,H,W]): flips, rotation,
 * translation, random crop, random resized crop, and a plain resize. Each image of the
 * batch draws its own parameters; all channels of an image move together.
 */

export interface FlipOptions extends SeedOption {
  /** Probability of flipping each image (per direction); default 0.5. */
  p?: number;
}

/**
 * Flips each image left–right ('horizontal', default), top–bottom ('vertical') or each
 * direction independently ('horizontalAndVertical'), with probability p.
 *
 * ```ts
 * const flip = sd.data.augment.randomFlip('horizontal', { seed: 1 });
 * const xb2 = flip(xb); // same shape as xb
 * ```
 */
export function randomFlip(mode: 'horizontal' | 'vertical' | 'horizontalAndVertical' = 'horizontal', options: FlipOptions = {}): Augmentation {
  const p = options.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`randomFlip: p must be a probability in [0, 1], got ${p}`);
  if (mode !== 'horizontal' && mode !== 'vertical' && mode !== 'horizontalAndVertical') {
    throw new ValueError(`randomFlip: mode must be 'horizontal', 'vertical' or 'horizontalAndVertical', got '${String(mode)}'`);
  }
  return augmentation('randomFlip', options.seed, (b, rng) => {
    const src = b.tensor.values;
    const out = outputBatch(b);
    for (let n = 0; n < b.n; n++) {
      const fx = mode !== 'vertical' && rng.uniform() < p;
      const fy = mode !== 'horizontal' && rng.uniform() < p;
      for (let c = 0; c < b.c; c++) {
        const base = (n * b.c + c) * b.h * b.w;
        for (let y = 0; y < b.h; y++) {
          const sy = fy ? b.h - 1 - y : y;
          for (let x = 0; x < b.w; x++) out.values[base + y * b.w + x] = src[base + sy * b.w + (fx ? b.w - 1 - x : x)];
        }
      }
    }
    return out.make();
  });
}

export interface WarpOptions extends SeedOption {
  /** Value of pixels that come from outside the image; default 0. */
  fill?: number;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
}

function warpSettings(op: string, options: WarpOptions): { fill: number; nearest: boolean } {
  const interpolation = options.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new ValueError(`${op}: interpolation must be 'bilinear' or 'nearest', got '${String(interpolation)}'`);
  }
  return { fill: options.fill ?? 0, nearest: interpolation === 'nearest' };
}

/** Warps each image by an inverse affine map (see warpAffine) that `draw` makes per image. */
function warpEach(name: string, options: WarpOptions, draw: (rng: RandomGenerator, h: number, w: number) => number[]): Augmentation {
  const { fill, nearest } = warpSettings(name, options);
  return augmentation(name, options.seed, (b, rng) => {
    const out = outputBatch(b);
    for (let n = 0; n < b.n; n++) {
      const m = draw(rng, b.h, b.w);
      for (let c = 0; c < b.c; c++) {
        const k = n * b.c + c;
        warpAffine(plane(b, b.tensor.values, k), plane(b, out.values, k), m, fill, nearest);
      }
    }
    return out.make();
  });
}

/**
 * Rotates each image about its centre by an angle drawn uniformly from [−degrees, degrees]
 * (or from [lo, hi]), counter-clockwise for positive angles, filling uncovered corners.
 *
 * ```ts
 * sd.data.augment.randomRotation(15); // ±15°
 * ```
 */
export function randomRotation(degrees: number | readonly [number, number], options: WarpOptions = {}): Augmentation {
  const [lo, hi] = interval('randomRotation', 'degrees', degrees);
  return warpEach('randomRotation', options, (rng, h, w) => rotateShiftInverse(h, w, uniform(rng, lo, hi), 0, 0));
}

export interface TranslationOptions extends WarpOptions {
  /** Largest vertical shift as a fraction of the height; default 0. */
  height?: number;
  /** Largest horizontal shift as a fraction of the width; default 0. */
  width?: number;
}

/**
 * Shifts each image by up to ±height·H rows and ±width·W columns (uniform, sub-pixel,
 * bilinear), filling what comes in from outside (Keras' RandomTranslation).
 *
 * ```ts
 * sd.data.augment.randomTranslation({ height: 0.1, width: 0.1 });
 * ```
 */
export function randomTranslation(options: TranslationOptions): Augmentation {
  const fy = options.height ?? 0;
  const fx = options.width ?? 0;
  if (!(fy >= 0 && fy <= 1 && fx >= 0 && fx <= 1)) {
    throw new ValueError(`randomTranslation: height and width must be fractions in [0, 1], got ${fy} and ${fx}`);
  }
  return warpEach('randomTranslation', options, (rng, h, w) => {
    const dy = uniform(rng, -fy * h, fy * h);
    const dx = uniform(rng, -fx * w, fx * w);
    return rotateShiftInverse(h, w, 0, dx, dy);
  });
}

export interface CropOptions extends SeedOption {
  /** Pixels of `fill` added on every side before cropping; default 0. */
  padding?: number;
  /** The padding value; default 0. */
  fill?: number;
}

/**
 * Cuts a window of `size` at a random position of each (padded) image, as torchvision's
 * RandomCrop; padding 4 with the original size is the classic CIFAR augmentation.
 *
 * Shapes: [N,C,H,W] → [N,C,size[0],size[1]].
 */
export function randomCrop(size: readonly [number, number], options: CropOptions = {}): Augmentation {
  const [oh, ow] = checkSize('randomCrop', size);
  const pad = options.padding ?? 0;
  const fill = options.fill ?? 0;
  if (!Number.isInteger(pad) || pad < 0) throw new ValueError(`randomCrop: padding must be a non-negative integer, got ${pad}`);
  return augmentation('randomCrop', options.seed, (b, rng) => {
    const ph = b.h + 2 * pad;
    const pw = b.w + 2 * pad;
    if (oh > ph || ow > pw) {
      throw new ValueError(`randomCrop: size [${oh},${ow}] is larger than the padded images [${ph},${pw}]`);
    }
    const src = b.tensor.values;
    const out = outputBatch(b, oh, ow);
    for (let n = 0; n < b.n; n++) {
      const top = rng.integer(0, ph - oh + 1) - pad;
      const left = rng.integer(0, pw - ow + 1) - pad;
      for (let c = 0; c < b.c; c++) {
        const sb = (n * b.c + c) * b.h * b.w;
        const ob = (n * b.c + c) * oh * ow;
        for (let y = 0; y < oh; y++) {
          const sy = top + y;
          for (let x = 0; x < ow; x++) {
            const sx = left + x;
            out.values[ob + y * ow + x] = sy >= 0 && sy < b.h && sx >= 0 && sx < b.w ? src[sb + sy * b.w + sx] : fill;
          }
        }
      }
    }
    return out.make();
  });
}

export interface ResizedCropOptions extends SeedOption {
  /** Range of the crop's area as a fraction of the image's; default [0.08, 1]. */
  scale?: readonly [number, number];
  /** Range of the crop's aspect ratio (width / height); default [3/4, 4/3]. */
  ratio?: readonly [number, number];
}

/**
 * Crops a random part of each image (random area and aspect ratio) and resizes it to
 * `size` bilinearly: torchvision's RandomResizedCrop, with its sampling of the box.
 *
 * Shapes: [N,C,H,W] → [N,C,size[0],size[1]].
 */
export function randomResizedCrop(size: readonly [number, number], options: ResizedCropOptions = {}): Augmentation {
  const [oh, ow] = checkSize('randomResizedCrop', size);
  const [s0, s1] = options.scale ?? [0.08, 1];
  const [r0, r1] = options.ratio ?? [3 / 4, 4 / 3];
  if (!(s0 > 0 && s0 <= s1 && s1 <= 1)) throw new ValueError(`randomResizedCrop: scale must be [lo, hi] within (0, 1], got [${s0}, ${s1}]`);
  if (!(r0 > 0 && r0 <= r1)) throw new ValueError(`randomResizedCrop: ratio must be [lo, hi] with 0 < lo ≤ hi, got [${r0}, ${r1}]`);
  return augmentation('randomResizedCrop', options.seed, (b, rng) => {
    const out = outputBatch(b, oh, ow);
    for (let n = 0; n < b.n; n++) {
      const box = sampleBox(b.h, b.w, [s0, s1], [r0, r1], rng);
      for (let c = 0; c < b.c; c++) {
        const k = n * b.c + c;
        resizeBilinear(plane(b, b.tensor.values, k), plane(b, out.values, k, oh, ow), box);
      }
    }
    return out.make();
  });
}

/** torchvision's RandomResizedCrop.get_params: ten tries, then a central crop. */
function sampleBox(h: number, w: number, scale: [number, number], ratio: [number, number], rng: RandomGenerator): Box {
  const area = h * w;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * uniform(rng, scale[0], scale[1]);
    const aspect = Math.exp(uniform(rng, logRatio[0], logRatio[1]));
    const cw = Math.round(Math.sqrt(target * aspect));
    const ch = Math.round(Math.sqrt(target / aspect));
    if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
      return { top: rng.integer(0, h - ch + 1), left: rng.integer(0, w - cw + 1), height: ch, width: cw };
    }
  }
  const inRatio = w / h;
  let cw = w;
  let ch = h;
  if (inRatio < ratio[0]) ch = Math.round(w / ratio[0]);
  else if (inRatio > ratio[1]) cw = Math.round(h * ratio[1]);
  return { top: Math.floor((h - ch) / 2), left: Math.floor((w - cw) / 2), height: ch, width: cw };
}

/**
 * Resizes every image to `size` bilinearly (half-pixel centres, as PyTorch's
 * interpolate(align_corners=False)); not random, for use in a composed pipeline or alone.
 *
 * Shapes: [N,C,H,W] → [N,C,size[0],size[1]].
 */
export function resize(size: readonly [number, number]): Augmentation {
  const [oh, ow] = checkSize('resize', size);
  return augmentation('resize', undefined, (b) => {
    const out = outputBatch(b, oh, ow);
    for (let k = 0; k < b.n * b.c; k++) resizeBilinear(plane(b, b.tensor.values, k), plane(b, out.values, k, oh, ow));
    return out.make();
  });
}
