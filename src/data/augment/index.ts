import { ValueError } from '../../errors.js';
import { Generator as RandomGenerator, globalGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Augmentation } from './batch.js';

/**
 * Image augmentation for training batches (`sd.data.augment`): random flips, rotation,
 * translation, crops, brightness, contrast and noise on float image batches [N,C,H,W]
 * (or [N,H,W]), each image with its own random parameters, seeded, composable.
 *
 * ```ts
 * const augment = sd.data.augment.compose([
 *   sd.data.augment.randomFlip('horizontal'),
 *   sd.data.augment.randomRotation(10),
 *   sd.data.augment.randomTranslation({ height: 0.1, width: 0.1 }),
 *   sd.data.augment.gaussianNoise(0.02),
 * ], { seed: 42 });
 * for (const [xb, yb] of loader) train(augment(xb), yb);
 * ```
 */

export type { Augmentation, SeedOption } from './batch.js';
export * from './geometric.js';
export * from './color.js';

/**
 * Applies transforms one after the other to each batch. With `seed` the composed
 * pipeline has its own generator, so the sequence of augmented batches is reproducible
 * whatever else draws random numbers; without it, the global generator (`sd.seed`).
 */
export function compose(transforms: readonly Augmentation[], options: { seed?: number } = {}): Augmentation {
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') throw new ValueError(`augment.compose: transform ${i} is not a function`);
  });
  const own = options.seed === undefined ? undefined : new RandomGenerator(options.seed);
  const fn = (images: Tensor, generator?: RandomGenerator): Tensor => {
    const rng = generator ?? own ?? globalGenerator;
    return transforms.reduce((x, t) => t(x, rng), images);
  };
  return Object.assign(fn, { augmentation: `compose(${transforms.map((t) => t.augmentation ?? 'custom').join(', ')})` });
}
