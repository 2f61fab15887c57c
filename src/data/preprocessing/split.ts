import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { toTensor, type TensorLike } from '../../tensor/convert.js';
import { Generator as RandomGenerator, globalGenerator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { takeRows } from '../collate.js';

/**
 * Splitting samples into train / validation / test parts by ratios (60:20:20, 70:10:20,
 * 95:2:3, ...), shuffled with a seed, optionally stratified so that every part keeps the
 * class proportions of the whole.
 */

export interface SplitOptions {
  /** Shuffle before splitting (default true); without it the parts are contiguous. */
  shuffle?: boolean;
  /** Seed of the shuffle; default: the global generator (`sd.seed`). */
  seed?: number;
  /** Labels (one per sample) whose class proportions every part keeps. Needs shuffle. */
  stratify?: TensorLike | readonly (string | number)[];
}

/** Samples to split: a tensor (rows along axis 0) or a plain array. */
export type Splittable = Tensor | readonly unknown[];

type Parts<T extends readonly Splittable[]> = { -readonly [K in keyof T]: T[K] extends Tensor ? Tensor : T[K] };

/**
 * The sample indices of each part. Part sizes follow the ratios by largest remainders
 * (sizes add up to n exactly); with `stratify`, every class is divided among the parts in
 * the same proportions, as closely as whole samples allow, while the part sizes stay
 * those of the unstratified split.
 */
export function splitIndices(n: number, ratios: readonly number[], options: SplitOptions = {}): Int32Array[] {
  const fractions = normalizeRatios(ratios);
  const shuffle = options.shuffle ?? true;
  const rng = options.seed === undefined ? globalGenerator : new RandomGenerator(options.seed);
  const sizes = apportion(n, fractions);
  if (options.stratify === undefined) {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (shuffle) shuffleInPlace(order, rng);
    const parts: Int32Array[] = [];
    let start = 0;
    for (const s of sizes) {
      parts.push(order.slice(start, start + s));
      start += s;
    }
    return parts;
  }
  if (!shuffle) throw new ValueError(`split: stratify needs shuffle (the parts are drawn at random within each class)`);
  const labels = labelList(options.stratify);
  if (labels.length !== n) {
    throw new ShapeError(`split: stratify has ${labels.length} labels but there are ${n} samples`);
  }
  const byClass = new Map<string | number, number[]>();
  labels.forEach((c, i) => (byClass.get(c) ?? byClass.set(c, []).get(c)!).push(i));
  const classes = [...byClass.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const table = stratifiedCounts(
    classes.map((c) => byClass.get(c)!.length),
    sizes,
    fractions,
  );
  const parts: number[][] = sizes.map(() => []);
  classes.forEach((c, ci) => {
    const members = Int32Array.from(byClass.get(c)!);
    shuffleInPlace(members, rng);
    let start = 0;
    table[ci].forEach((count, p) => {
      for (let k = start; k < start + count; k++) parts[p].push(members[k]);
      start += count;
    });
  });
  return parts.map((p) => {
    const a = Int32Array.from(p);
    shuffleInPlace(a, rng); // interleave the classes
    return a;
  });
}

/**
 * Splits tensors (rows) and arrays (elements) of the same length into parts by ratios,
 * the same samples going to the same part in each.
 *
 * ```ts
 * const [[xTrain, yTrain], [xVal, yVal], [xTest, yTest]] =
 *   sd.data.splitByRatios([x, y], [0.7, 0.1, 0.2], { seed: 42, stratify: y });
 * ```
 */
export function splitByRatios<T extends Splittable[]>(arrays: [...T], ratios: readonly number[], options: SplitOptions = {}): Parts<T>[] {
  if (!Array.isArray(arrays) || arrays.length === 0) {
    throw new ValueError(`splitByRatios: expected a non-empty list of tensors or arrays to split`);
  }
  const n = lengthOf(arrays[0]);
  arrays.forEach((a, i) => {
    if (lengthOf(a) !== n) {
      throw new ShapeError(
        `splitByRatios: the inputs differ in length: input 0 has ${n} samples but input ${i} has ${lengthOf(a)}` +
          (a instanceof Tensor ? ` (shape ${fmtShape(a.shape)})` : ''),
      );
    }
  });
  return splitIndices(n, ratios, options).map((idx) => arrays.map((a) => take(a, idx)) as Parts<T>);
}

export interface TrainTestSplitOptions extends Omit<SplitOptions, 'stratify'> {
  /** Fraction of the samples in the test part; default 0.25 (as scikit-learn). */
  testSize?: number;
  /** Keep y's class proportions in both parts: `true` stratifies by y, or give labels. */
  stratify?: boolean | TensorLike | readonly (string | number)[];
}

/**
 * Splits features and labels into a training and a test part (scikit-learn's
 * train_test_split).
 *
 * ```ts
 * const { xTrain, xTest, yTrain, yTest } = sd.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0, stratify: true });
 * ```
 */
export function trainTestSplit<X extends Splittable, Y extends Splittable>(
  x: X,
  y: Y,
  options: TrainTestSplitOptions = {},
): { xTrain: Parts<[X]>[0]; xTest: Parts<[X]>[0]; yTrain: Parts<[Y]>[0]; yTest: Parts<[Y]>[0] } {
  const testSize = options.testSize ?? 0.25;
  if (!(testSize > 0 && testSize < 1)) {
    throw new ValueError(`trainTestSplit: testSize must be a fraction strictly between 0 and 1, got ${testSize}`);
  }
  const stratify = options.stratify === true ? (y as TensorLike) : options.stratify === false ? undefined : options.stratify;
  const [[xTrain, yTrain], [xTest, yTest]] = splitByRatios([x, y] as [X, Y], [1 - testSize, testSize], { ...options, stratify });
  return { xTrain, xTest, yTrain, yTest } as never;
}

/** Ratios as fractions summing to 1; they may be given as percentages summing to 100. */
function normalizeRatios(ratios: readonly number[]): number[] {
  const text = `[${ratios.join(', ')}]`;
  if (!Array.isArray(ratios) || ratios.length < 2) {
    throw new ValueError(`split: ratios must list at least two parts, got ${text}`);
  }
  if (!ratios.every((r) => typeof r === 'number' && Number.isFinite(r) && r > 0)) {
    throw new ValueError(`split: every ratio must be a positive number, got ${text}`);
  }
  const sum = ratios.reduce((s, r) => s + r, 0);
  if (Math.abs(sum - 1) < 1e-6) return ratios.map((r) => r / sum);
  if (Math.abs(sum - 100) < 1e-4) return ratios.map((r) => r / sum);
  throw new ValueError(`split: ratios must sum to 1 (or to 100 as percentages), got ${text} summing to ${+sum.toFixed(6)}`);
}

/** Whole counts proportional to `fractions`, adding up to n (largest remainders; earlier parts win ties). */
function apportion(n: number, fractions: readonly number[]): number[] {
  const exact = fractions.map((f) => f * n);
  const counts = exact.map((e) => Math.floor(e + 1e-9));
  let left = n - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((e, i) => i).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]]++;
  return counts;
}

/**
 * counts[class][part]: each row sums to the class size, each column to the part size, and
 * each cell is within one of classSize·fraction (rounding by largest remainders under
 * both sums).
 */
function stratifiedCounts(classSizes: readonly number[], partSizes: readonly number[], fractions: readonly number[]): number[][] {
  const table = classSizes.map((n) => fractions.map((f) => Math.floor(n * f + 1e-9)));
  const rowLeft = classSizes.map((n, c) => n - table[c].reduce((s, v) => s + v, 0));
  const colLeft = partSizes.map((s, p) => s - table.reduce((acc, row) => acc + row[p], 0));
  const cells: { c: number; p: number; rem: number }[] = [];
  classSizes.forEach((n, c) => fractions.forEach((f, p) => cells.push({ c, p, rem: n * f - table[c][p] })));
  cells.sort((a, b) => b.rem - a.rem || a.c - b.c || a.p - b.p);
  // first by remainder, then (rarely needed) wherever both a row and a column still lack samples
  for (let pass = 0; pass < 2; pass++) {
    for (const { c, p } of cells) {
      if (rowLeft[c] > 0 && colLeft[p] > 0) {
        table[c][p]++;
        rowLeft[c]--;
        colLeft[p]--;
      }
    }
  }
  return table;
}

function shuffleInPlace(a: Int32Array, rng: RandomGenerator): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.integer(0, i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function labelList(stratify: TensorLike | readonly (string | number)[]): (string | number)[] {
  if (Array.isArray(stratify) && stratify.some((v) => typeof v === 'string')) return stratify as (string | number)[];
  const t = toTensor(stratify as TensorLike, 'split', 'stratify');
  if (t.rank !== 1) throw new ShapeError(`split: stratify must be a 1-D list of labels, got shape ${fmtShape(t.shape)}`);
  return Array.from(t.values);
}

function lengthOf(a: Splittable): number {
  if (a instanceof Tensor) {
    if (a.rank === 0) throw new ShapeError(`splitByRatios: cannot split a scalar tensor`);
    return a.shape[0];
  }
  if (!Array.isArray(a)) throw new ValueError(`splitByRatios: expected tensors or arrays, got ${typeof a}`);
  return a.length;
}

function take(a: Splittable, idx: Int32Array): Splittable {
  return a instanceof Tensor ? takeRows(a, idx) : Array.from(idx, (i) => (a as readonly unknown[])[i]);
}
