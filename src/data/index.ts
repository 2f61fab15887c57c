/**
 * Data (`sd.data`): datasets and loaders, readers (IDX, CSV, images), preprocessing
 * (scaling, encoding, imputation, splits, text) and image augmentation (`sd.data.augment`).
 */
export { Dataset, fromArray, fromGenerator } from './dataset.js';
export { TensorDataset, tensorDataset } from './tensor-dataset.js';
export { DataLoader, type DataLoaderOptions, type MapStyleDataset } from './dataloader.js';
export { collate, takeRows, type Collated } from './collate.js';

export * from './readers/idx.js';
export * from './readers/csv.js';
export * from './readers/image.js';

export * from './preprocessing/scalers.js';
export * from './preprocessing/encoders.js';
export * from './preprocessing/impute.js';
export * from './preprocessing/split.js';
export * from './preprocessing/text.js';

export * as augment from './augment/index.js';
