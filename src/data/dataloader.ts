import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Generator as RandomGenerator, globalGenerator } from '../tensor/random.js';
import { collate as defaultCollate, takeRows, type Collated } from './collate.js';
import { Dataset } from './dataset.js';
import { TensorDataset } from './tensor-dataset.js';

/** A dataset with random access, as PyTorch's map-style Dataset (`__len__`, `__getitem__`). */
export interface MapStyleDataset<T> {
  readonly length: number;
  getItem(index: number): T | Promise<T>;
}

export interface DataLoaderOptions<T, B> {
  /** Samples per batch; default 1 (as PyTorch). */
  batchSize?: number;
  /** Draw a new random order of the samples at the start of every iteration (epoch). */
  shuffle?: boolean;
  /** The generator of the order; default the global one, seeded by `sd.seed`. */
  generator?: RandomGenerator;
  /** Leave out the last, smaller batch. */
  dropLast?: boolean;
  /** Turns a list of samples into a batch; default `collate` (stack along a new axis 0). */
  collate?: (samples: T[]) => B;
}

type Source<T> = MapStyleDataset<T> | Dataset<T>;

/**
 * Batches of a dataset, with PyTorch's DataLoader semantics: `batchSize`, `shuffle` (a
 * new permutation each epoch, from `generator` or the global generator), `dropLast` and
 * `collate`. Iterate it with `for (const [xb, yb] of loader)` when the data is in memory,
 * or with `for await` (always works, including datasets whose getItem returns a Promise
 * and async Datasets).
 *
 * Over a TensorDataset each batch is gathered by copying row ranges of its tensors;
 * otherwise samples are fetched with getItem (or by iterating a Dataset without random
 * access) and collated: tensors [B, ...], numbers [B], tuples and records field by field.
 *
 * ```ts
 * sd.seed(0);
 * const loader = new sd.data.DataLoader(sd.data.tensorDataset(x, y), { batchSize: 64, shuffle: true });
 * console.log(loader.length); // number of batches per epoch
 * for (const [xb, yb] of loader) { ... }
 * ```
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: Source<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: RandomGenerator | undefined;
  private readonly collateFn: (samples: T[]) => B;
  /** Random access to the samples, or undefined for a streaming Dataset. */
  private readonly indexed: MapStyleDataset<T> | undefined;

  constructor(dataset: Source<T>, options: DataLoaderOptions<T, B> = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (dataset instanceof Dataset) {
      const d = dataset;
      this.indexed = d.indexable ? { length: d.size as number, getItem: (i) => d.getItem(i) } : undefined;
    } else if (isMapStyle(dataset)) {
      this.indexed = dataset;
    } else {
      throw new ValueError(`DataLoader: dataset must be a Dataset or have a numeric length and getItem(index)`);
    }
    if (shuffle && !this.indexed) {
      throw new ValueError(
        `DataLoader: shuffle needs a dataset with random access (length and getItem); ` +
          `shuffle a streaming Dataset with dataset.shuffle(bufferSize) instead`,
      );
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = options.generator;
    this.collateFn = options.collate ?? (defaultCollate as unknown as (samples: T[]) => B);
  }

  /** Number of samples, when known. */
  get numSamples(): number | undefined {
    return this.indexed ? this.indexed.length : (this.dataset as Dataset<T>).size;
  }

  /** Number of batches per epoch (PyTorch's `len(loader)`); a ValueError when unknown. */
  get length(): number {
    const n = this.numSamples;
    if (n === undefined || !Number.isFinite(n)) {
      throw new ValueError(`DataLoader: the number of batches is unknown: the dataset has no known size`);
    }
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<B> {
    const d = this.indexed;
    if (!d) {
      yield* this.streamBatches();
      return;
    }
    const fast = this.fastPath();
    for (const indices of this.batchIndices(d.length)) {
      if (fast) {
        yield fast(indices);
        continue;
      }
      const samples: T[] = [];
      for (const i of indices) {
        const s = d.getItem(i);
        if (s instanceof Promise) {
          throw new ValueError(`DataLoader: getItem returned a Promise; iterate the loader with for await`);
        }
        samples.push(s);
      }
      yield this.collateFn(samples);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const d = this.indexed;
    if (!d) {
      yield* this.streamBatches();
      return;
    }
    const fast = this.fastPath();
    for (const indices of this.batchIndices(d.length)) {
      if (fast) yield fast(indices);
      else yield this.collateFn(await Promise.all(Array.from(indices, (i) => d.getItem(i))));
    }
  }

  /** The sample indices of each batch of one epoch. */
  private *batchIndices(n: number): Generator<Int32Array> {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (this.shuffle) {
      // Fisher–Yates with the loader's generator, drawn when the epoch starts
      const rng = this.generator ?? globalGenerator;
      for (let i = n - 1; i > 0; i--) {
        const j = rng.integer(0, i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    const end = this.dropLast ? Math.floor(n / this.batchSize) * this.batchSize : n;
    for (let start = 0; start < end; start += this.batchSize) {
      yield order.subarray(start, Math.min(end, start + this.batchSize));
    }
  }

  /** Direct row gathering for a TensorDataset with the default collate. */
  private fastPath(): ((indices: Int32Array) => B) | undefined {
    const d = this.dataset;
    if (!(d instanceof TensorDataset) || this.collateFn !== (defaultCollate as unknown)) return undefined;
    return (indices) => (d.tensors as Tensor[]).map((t) => takeRows(t, indices)) as B;
  }

  /** The batches of a streaming Dataset, in its own order (sync or async like it). */
  private streamBatches(): Dataset<B> {
    return (this.dataset as Dataset<T>).batch(this.batchSize, { dropLast: this.dropLast, collate: this.collateFn });
  }
}

function isMapStyle<T>(d: unknown): d is MapStyleDataset<T> {
  const m = d as MapStyleDataset<T>;
  return m !== null && typeof m === 'object' && typeof m.length === 'number' && typeof m.getItem === 'function';
}
