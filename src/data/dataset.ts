import { ValueError } from '../errors.js';
import { Generator as RandomGenerator, globalGenerator } from '../tensor/random.js';
import { collate as defaultCollate, type Collated } from './collate.js';

/**
 * A lazy pipeline of elements, in the style of tf.data: `map`, `filter`, `batch`,
 * `shuffle`, `take`, `skip`, `concatenate`, `repeat`. Iterate it with `for await`; when
 * its source is synchronous (arrays, tensors, sync generators) a plain `for ... of` works
 * too. Every iteration re-opens the source, so a Dataset can be read once per epoch.
 *
 * Datasets made from arrays or tensors also have random access (`getItem(i)` and a known
 * `size`), which `map`, `take`, `skip`, `concatenate`, `repeat(n)` and `batch` keep; a
 * DataLoader uses it to shuffle.
 *
 * ```ts
 * const ds = sd.data.fromArray([1, 2, 3, 4, 5]).map((v) => v * 10).shuffle(5, 42).batch(2);
 * for (const batch of ds) console.log(batch.toString()); // int32 tensors of 2, 2 then 1
 * ```
 */
export class Dataset<T> implements Iterable<T>, AsyncIterable<T> {
  /**
   * @param open starts one pass over the elements: a sync or an async iterable. `mode`
   *   says how the pass will be read; a 'sync' pass must return a sync iterable.
   * @param size the number of elements when known (Infinity for an endless dataset).
   * @param access random access to element i (0 ≤ i < size), when the source has it.
   */
  constructor(
    private readonly open: (mode: 'sync' | 'async') => Iterable<T> | AsyncIterable<T>,
    readonly size: number | undefined = undefined,
    private readonly access?: (index: number) => T,
  ) {}

  /** Whether `getItem` works: the source is indexable and the size is known. */
  get indexable(): boolean {
    return this.access !== undefined && this.size !== undefined && Number.isFinite(this.size);
  }

  /** Element `index` (0 ≤ index < size) of a dataset with random access. */
  getItem(index: number): T {
    if (!this.access || this.size === undefined) {
      throw new ValueError(
        `Dataset.getItem: this dataset has no random access (it was filtered, shuffled or made from a generator); iterate it instead`,
      );
    }
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new ValueError(`Dataset.getItem: index ${index} is out of range for ${this.size} elements`);
    }
    return this.access(index);
  }

  [Symbol.iterator](): Iterator<T> {
    const source = this.open('sync');
    if (!isSync(source)) {
      throw new ValueError(`Dataset: this dataset yields asynchronously (an async source); iterate it with for await`);
    }
    return source[Symbol.iterator]();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const source = this.open('async');
    return isSync(source) ? toAsync(source)[Symbol.asyncIterator]() : source[Symbol.asyncIterator]();
  }

  /** Applies `fn` to every element. */
  map<U>(fn: (element: T) => U): Dataset<U> {
    const access = this.access;
    return this.pipe(() => ({ push: (x) => [fn(x)] }), this.size, access && ((i) => fn(access(i))));
  }

  /** Keeps the elements for which `predicate` is true (the size becomes unknown). */
  filter(predicate: (element: T) => boolean): Dataset<T> {
    return this.pipe(() => ({ push: (x) => (predicate(x) ? [x] : NONE) }), undefined);
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    checkCount('take', count);
    return this.pipe(
      () => {
        let seen = 0;
        return { push: (x) => (seen++ < count ? [x] : NONE), done: () => seen >= count };
      },
      this.size === undefined ? undefined : Math.min(this.size, count),
      this.access,
    );
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    checkCount('skip', count);
    const access = this.access;
    return this.pipe(
      () => {
        let seen = 0;
        return { push: (x) => (seen++ < count ? NONE : [x]) };
      },
      this.size === undefined ? undefined : Math.max(0, this.size - count),
      access && ((i) => access(i + count)),
    );
  }

  /**
   * Groups consecutive elements into batches of `batchSize`, stacked along a new axis 0
   * by `collate` (tensors [B, ...], numbers int32/float32 [B], tuples field by field), or
   * by `options.collate`. The last batch is smaller unless `dropLast`.
   */
  batch(batchSize: number, options?: { dropLast?: boolean }): Dataset<Collated<T>>;
  batch<B>(batchSize: number, options: { dropLast?: boolean; collate: (elements: T[]) => B }): Dataset<B>;
  batch<B>(batchSize: number, options: { dropLast?: boolean; collate?: (elements: T[]) => B } = {}): Dataset<B> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`Dataset.batch: batchSize must be a positive integer, got ${batchSize}`);
    }
    const dropLast = options.dropLast ?? false;
    const collate = options.collate ?? (defaultCollate as unknown as (elements: T[]) => B);
    const size = this.size === undefined ? undefined : (dropLast ? Math.floor : Math.ceil)(this.size / batchSize);
    const access = this.access;
    const n = this.size ?? 0;
    return this.pipe(
      () => {
        let buffer: T[] = [];
        return {
          push: (x) => {
            buffer.push(x);
            if (buffer.length < batchSize) return NONE;
            const full = buffer;
            buffer = [];
            return [collate(full)];
          },
          flush: () => (buffer.length > 0 && !dropLast ? [collate(buffer)] : NONE),
        };
      },
      size,
      access &&
        ((b) => {
          const items: T[] = [];
          for (let i = b * batchSize; i < Math.min(n, (b + 1) * batchSize); i++) items.push(access(i));
          return collate(items);
        }),
    );
  }

  /**
   * Shuffles with a buffer of `bufferSize` elements, as tf.data: the buffer is filled,
   * then each output is a random pick from it, replaced by the next input. A buffer at
   * least as large as the dataset gives a uniform permutation. With `seed` the order is
   * reproducible; each new iteration (epoch) draws a new order from that seed unless
   * `reshuffleEachIteration` is false. Without a seed the global generator (`sd.seed`) is
   * used.
   */
  shuffle(bufferSize: number, seed?: number, options: { reshuffleEachIteration?: boolean } = {}): Dataset<T> {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new ValueError(`Dataset.shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    }
    const reshuffle = options.reshuffleEachIteration ?? true;
    const seeder = seed === undefined ? undefined : new RandomGenerator(seed);
    const fixedSeed = reshuffle ? 0 : (seed ?? globalGenerator.nextUint32());
    return this.pipe(() => {
      const rng = new RandomGenerator(reshuffle ? (seeder ?? globalGenerator).nextUint32() : fixedSeed);
      const buffer: T[] = [];
      return {
        push: (x) => {
          if (buffer.length < bufferSize) {
            buffer.push(x);
            return NONE;
          }
          const j = rng.integer(0, bufferSize);
          const out = buffer[j];
          buffer[j] = x;
          return [out];
        },
        flush: () => {
          const out: T[] = [];
          while (buffer.length > 0) {
            const j = rng.integer(0, buffer.length);
            out.push(buffer[j]);
            buffer[j] = buffer[buffer.length - 1];
            buffer.pop();
          }
          return out;
        },
      };
    }, this.size);
  }

  /** The elements of this dataset, then those of `other`. */
  concatenate(other: Dataset<T>): Dataset<T> {
    const a = this.access;
    const b = other.access;
    const na = this.size;
    const size = na === undefined || other.size === undefined ? undefined : na + other.size;
    return Dataset.chain(() => [this, other], size, a && b && na !== undefined ? (i) => (i < na ? a(i) : b(i - na)) : undefined);
  }

  /** The dataset `count` times over (forever without a count); each pass re-opens it. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount('repeat', count);
    const self = this;
    const passes = function* (): Generator<Dataset<T>> {
      for (let i = 0; count === undefined || i < count; i++) yield self;
    };
    const n = this.size;
    const size = count === undefined ? Infinity : n === undefined ? undefined : n * count;
    const access = this.access;
    return Dataset.chain(passes, size, access && n ? (i) => access(i % n) : undefined);
  }

  /** All elements in an array (tfjs' `toArray`); works on async sources. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const x of this) out.push(x);
    return out;
  }

  /** All elements in an array, synchronously (sync sources only). */
  toArraySync(): T[] {
    return [...this];
  }

  /** Calls `fn` on every element, awaiting it; works on async sources. */
  async forEachAsync(fn: (element: T) => void | Promise<void>): Promise<void> {
    for await (const x of this) await fn(x);
  }

  private pipe<U>(makeStage: () => Stage<T, U>, size: number | undefined, access?: (i: number) => U): Dataset<U> {
    return new Dataset<U>(
      (mode) => {
        const source = this.open(mode);
        return isSync(source) ? runSync(source, makeStage()) : runAsync(source, makeStage());
      },
      size,
      access,
    );
  }

  /** A dataset reading several datasets one after the other; sync when all of them are. */
  private static chain<T>(parts: () => Iterable<Dataset<T>>, size: number | undefined, access?: (i: number) => T): Dataset<T> {
    return new Dataset<T>(
      (mode) => {
        if (mode === 'sync') {
          return (function* () {
            for (const d of parts()) {
              const s = d.open('sync');
              if (!isSync(s)) throw new ValueError(`Dataset: a concatenated dataset yields asynchronously; iterate with for await`);
              yield* s;
            }
          })();
        }
        return (async function* () {
          for (const d of parts()) yield* d.open('async');
        })();
      },
      size,
      access,
    );
  }
}

/**
 * One step of a pipeline: `push` takes an input element and returns the outputs it
 * releases; `flush` releases what is left at the end; `done` says no more input is
 * wanted (so `take` never pulls past its count). Written once, driven sync or async.
 */
interface Stage<T, U> {
  push(x: T): readonly U[];
  flush?(): readonly U[];
  done?(): boolean;
}

const NONE: readonly never[] = [];

function* runSync<T, U>(source: Iterable<T>, stage: Stage<T, U>): Generator<U> {
  const it = source[Symbol.iterator]();
  try {
    while (!stage.done?.()) {
      const r = it.next();
      if (r.done) break;
      yield* stage.push(r.value);
    }
    if (stage.flush) yield* stage.flush();
  } finally {
    it.return?.();
  }
}

async function* runAsync<T, U>(source: AsyncIterable<T>, stage: Stage<T, U>): AsyncGenerator<U> {
  const it = source[Symbol.asyncIterator]();
  try {
    while (!stage.done?.()) {
      const r = await it.next();
      if (r.done) break;
      yield* stage.push(r.value);
    }
    if (stage.flush) yield* stage.flush();
  } finally {
    await it.return?.();
  }
}

function isSync<T>(source: Iterable<T> | AsyncIterable<T>): source is Iterable<T> {
  return typeof (source as Iterable<T>)[Symbol.iterator] === 'function';
}

async function* toAsync<T>(source: Iterable<T>): AsyncGenerator<T> {
  yield* source;
}

function checkCount(op: string, count: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new ValueError(`Dataset.${op}: count must be a non-negative integer, got ${count}`);
  }
}

/**
 * A dataset of the elements of an array, with random access.
 *
 * ```ts
 * const ds = sd.data.fromArray([{ x: [1, 2], y: 0 }, { x: [3, 4], y: 1 }]);
 * ```
 */
export function fromArray<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new ValueError(`fromArray: expected an array, got ${typeof items}`);
  return new Dataset<T>(() => items, items.length, (i) => items[i]);
}

/**
 * A dataset read from a generator function, called again for each pass (epoch). An
 * async generator (files, network) gives a dataset to read with `for await`.
 *
 * ```ts
 * const ds = sd.data.fromGenerator(function* () { for (let i = 0; i < 3; i++) yield i; });
 * ```
 */
export function fromGenerator<T>(generator: () => Iterable<T> | AsyncIterable<T>, size?: number): Dataset<T> {
  if (typeof generator !== 'function') {
    throw new ValueError(`fromGenerator: expected a generator function, got ${typeof generator}`);
  }
  return new Dataset<T>(() => generator(), size);
}
