import type { Tensor } from '../../tensor/tensor.js';

/** A dataset that is not on this machine; the message says how to get it. */
export class DatasetNotFoundError extends Error {
  override name = 'DatasetNotFoundError';
}

/** Images and labels of one split. */
export interface ImageSplit {
  /** float32 [N,28,28], pixel values scaled to [0, 1]. */
  x: Tensor;
  /** int32 [N], class indices 0..9. */
  y: Tensor;
}

/** The training and test splits of an image dataset. */
export interface ImageSplits {
  train: ImageSplit;
  test: ImageSplit;
}
