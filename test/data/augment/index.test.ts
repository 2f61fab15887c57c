import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { assertThrows } from '../../helpers.js';

const A = sd.data.augment;

function pipeline(seed?: number) {
  return A.compose(
    [
      A.randomFlip('horizontal'),
      A.randomRotation(15),
      A.randomTranslation({ height: 0.1, width: 0.1 }),
      A.randomResizedCrop([12, 12], { scale: [0.5, 1] }),
      A.randomBrightness(0.1),
      A.randomContrast(0.2),
      A.gaussianNoise(0.05),
    ],
    { seed },
  );
}

describe('data.augment.compose', () => {
  it('is reproducible with a seed, batch after batch, whatever else uses the global generator', () => {
    sd.seed(0);
    const x = sd.rand([4, 3, 16, 16]);
    const a = pipeline(42);
    const b = pipeline(42);
    const a1 = a(x);
    sd.randn([100]); // unrelated draws do not disturb a seeded pipeline
    const b1 = b(x);
    assert.deepEqual(Array.from(a1.values), Array.from(b1.values));
    const a2 = a(x);
    assert.notDeepEqual(Array.from(a2.values), Array.from(a1.values)); // the next batch gets new draws
    assert.deepEqual(Array.from(b(x).values), Array.from(a2.values));
    assert.deepEqual([...a1.shape], [4, 3, 12, 12]);
  });

  it('uses sd.seed without a seed of its own, or a generator passed in', () => {
    const x = sd.rand([2, 1, 8, 8]);
    sd.seed(7);
    const first = pipeline()(x);
    sd.seed(7);
    assert.deepEqual(Array.from(pipeline()(x).values), Array.from(first.values));
    const g = () => new sd.Generator(9);
    assert.deepEqual(Array.from(pipeline(1)(x, g()).values), Array.from(pipeline(2)(x, g()).values));
  });

  it('keeps shapes of [N,H,W] batches (MNIST-like) and names its steps', () => {
    const aug = A.compose([A.randomRotation(10), A.randomTranslation({ height: 0.1, width: 0.1 }), A.gaussianNoise(0.01)], { seed: 1 });
    assert.deepEqual([...aug(sd.rand([5, 28, 28])).shape], [5, 28, 28]);
    assert.equal(aug.augmentation, 'compose(randomRotation, randomTranslation, gaussianNoise)');
    assertThrows(() => A.compose([42 as never]), sd.ValueError, /compose: transform 0 is not a function/);
  });
});
