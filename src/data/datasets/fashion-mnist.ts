import { readUbyteIdxAsFloat32 } from '../readers/idx-native.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ShapeError, fmtShape } from '../../errors.js';
import { idxToTensor, parseIdxHeader } from '../readers/idx.js';
import { readBytesSync } from '../readers/files.js';
import { DatasetNotFoundError, type ImageSplits } from './common.js';

/**
 * Fashion-MNIST (Zalando): 70,000 grayscale 28×28 pictures of clothing in 10 classes,
 * read from its four IDX files, gzipped or not.
 */

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist/';

/** The names of the 10 Fashion-MNIST classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** The path of `name` in `dir`, gzipped or plain, or undefined. */
function findFile(dir: string, name: string): string | undefined {
  return [`${name}.gz`, name].map((f) => join(dir, f)).find((p) => existsSync(p));
}

/** Whether the four Fashion-MNIST files are in `dir`. */
export function hasFashionMnist(dir: string = FASHION_MNIST_DIR): boolean {
  return Object.values(FILES).every((name) => findFile(dir, name) !== undefined);
}

/**
 * Fashion-MNIST's 60,000 training and 10,000 test images from the IDX files in `dir`
 * (default: Debian's `/usr/share/datasets/fashion-mnist/`). Class names are in
 * `sd.datasets.FASHION_MNIST_CLASSES`. When the files are missing the error says how to
 * get them.
 *
 * Shapes: train.x float32 [60000,28,28] in [0, 1], train.y int32 [60000] in 0..9;
 * test.x [10000,28,28], test.y [10000].
 *
 * ```ts
 * const { train, test } = sd.datasets.fashionMnist();
 * sd.datasets.FASHION_MNIST_CLASSES[train.y.values[0]]; // 'Ankle boot'
 * ```
 */
export function fashionMnist(dir: string = FASHION_MNIST_DIR): ImageSplits & { classNames: readonly string[] } {
  const missing = Object.values(FILES).filter((name) => findFile(dir, name) === undefined);
  if (missing.length > 0) {
    throw new DatasetNotFoundError(
      `datasets.fashionMnist: ${missing.map((m) => `${m}[.gz]`).join(', ')} not found in ${dir}. ` +
        `Install them with \`apt-get install dataset-fashion-mnist\` (Debian/Ubuntu, into ${FASHION_MNIST_DIR}), ` +
        `or download the four files of github.com/zalandoresearch/fashion-mnist (data/fashion) into a folder ` +
        `and pass it: sd.datasets.fashionMnist('path/to/folder')`,
    );
  }
  const read = (name: string, scale?: number) => {
    const path = findFile(dir, name) as string;
    const direct = scale === undefined ? undefined : readUbyteIdxAsFloat32(path, scale);
    if (direct) return direct;
    const contents = parseIdxHeader(readBytesSync('datasets.fashionMnist', path), `'${path}'`);
    return idxToTensor(contents, scale === undefined ? { dtype: 'int32' } : { dtype: 'float32', scale });
  };
  const split = (images: string, labels: string) => {
    const x = read(images, 1 / 255);
    const y = read(labels);
    if (x.rank !== 3 || y.rank !== 1 || x.shape[0] !== y.shape[0]) {
      throw new ShapeError(
        `datasets.fashionMnist: ${images} is ${fmtShape(x.shape)} and ${labels} is ${fmtShape(y.shape)}; ` +
          `expected [N,28,28] images and [N] labels`,
      );
    }
    return { x, y };
  };
  return {
    train: split(FILES.trainImages, FILES.trainLabels),
    test: split(FILES.testImages, FILES.testLabels),
    classNames: FASHION_MNIST_CLASSES,
  };
}
