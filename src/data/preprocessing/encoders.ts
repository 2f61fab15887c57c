import { DTypeError, ValueError } from '../../errors.js';
import { oneHot as oneHotOp } from '../../ops/onehot.js';
import { toTensor, type TensorLike } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkJSON } from './features.js';

/**
 * Categorical encodings: integer labels (LabelEncoder), one-hot rows (OneHotEncoder for
 * categories, oneHot for integer labels). Categories are sorted — numbers numerically,
 * strings by code point — so the same data always gives the same codes.
 */

export type Category = string | number;

function categoriesOf(op: string, values: readonly (Category | null | undefined)[] | Tensor): Category[] {
  const list = values instanceof Tensor ? Array.from(values.values) : values;
  return list.map((v, i) => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      throw new ValueError(`${op}: value ${i} is missing; impute it first (sd.data.imputeCategorical or SimpleImputer)`);
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new DTypeError(`${op}: value ${i} is ${typeof v}, expected a string or a number`);
    }
    return v;
  });
}

function sortedUnique(values: readonly Category[]): Category[] {
  const unique = [...new Set(values)];
  return unique.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
}

function listSome(classes: readonly Category[]): string {
  const shown = classes.slice(0, 10).map((c) => JSON.stringify(c));
  return shown.join(', ') + (classes.length > 10 ? `, ... (${classes.length} in all)` : '');
}

/**
 * Encodes categories as int32 labels 0..K−1 (scikit-learn's LabelEncoder).
 *
 * ```ts
 * const enc = new sd.data.LabelEncoder().fit(['cat', 'dog', 'cat', 'bird']);
 * enc.classes;                      // ['bird', 'cat', 'dog']
 * enc.transform(['dog', 'bird']);   // int32 [2, 0]
 * enc.inverseTransform([1]);        // ['cat']
 * ```
 */
export class LabelEncoder {
  classes: Category[] = [];
  private codes = new Map<Category, number>();

  fit(values: readonly (Category | null)[] | Tensor): this {
    this.classes = sortedUnique(categoriesOf('LabelEncoder.fit', values));
    this.codes = new Map(this.classes.map((c, i) => [c, i]));
    return this;
  }

  get numClasses(): number {
    return this.classes.length;
  }

  /** int32 [N] codes; a category not seen by fit is a ValueError. */
  transform(values: readonly (Category | null)[] | Tensor): Tensor {
    if (this.classes.length === 0) throw new ValueError(`LabelEncoder.transform: not fitted yet; call fit() first`);
    const cats = categoriesOf('LabelEncoder.transform', values);
    const out = new Int32Array(cats.length);
    cats.forEach((c, i) => {
      const code = this.codes.get(c);
      if (code === undefined) {
        throw new ValueError(`LabelEncoder.transform: value ${i} (${JSON.stringify(c)}) was not seen by fit (classes: ${listSome(this.classes)})`);
      }
      out[i] = code;
    });
    return new Tensor(out, [cats.length], 'int32');
  }

  fitTransform(values: readonly (Category | null)[] | Tensor): Tensor {
    return this.fit(values).transform(values);
  }

  /** The categories of codes. */
  inverseTransform(codes: TensorLike): Category[] {
    const t = toTensor(codes, 'LabelEncoder.inverseTransform', 'codes');
    return Array.from(t.values, (c, i) => {
      if (!Number.isInteger(c) || c < 0 || c >= this.classes.length) {
        throw new ValueError(`LabelEncoder.inverseTransform: code ${i} is ${c}, outside 0..${this.classes.length - 1}`);
      }
      return this.classes[c];
    });
  }

  toJSON(): { kind: 'LabelEncoder'; classes: Category[] } {
    return { kind: 'LabelEncoder', classes: [...this.classes] };
  }

  static fromJSON(json: { kind: 'LabelEncoder'; classes: Category[] }): LabelEncoder {
    const j = checkJSON('LabelEncoder', json) as { classes: Category[] };
    const enc = new LabelEncoder();
    enc.classes = [...j.classes];
    enc.codes = new Map(enc.classes.map((c, i) => [c, i]));
    return enc;
  }
}

export interface OneHotEncoderOptions {
  /** 'error' (default) throws on a category not seen by fit; 'ignore' gives an all-zero row. */
  handleUnknown?: 'error' | 'ignore';
}

/**
 * Encodes one categorical column as one-hot rows, float32 [N, K], with the categories
 * learned by fit (scikit-learn's OneHotEncoder, one column at a time).
 *
 * ```ts
 * const enc = new sd.data.OneHotEncoder().fit(table.categorical('city'));
 * const cities = enc.transform(table.categorical('city')); // [rows, K]
 * ```
 */
export class OneHotEncoder {
  readonly handleUnknown: 'error' | 'ignore';
  private readonly labels = new LabelEncoder();

  constructor(options: OneHotEncoderOptions = {}) {
    this.handleUnknown = options.handleUnknown ?? 'error';
    if (this.handleUnknown !== 'error' && this.handleUnknown !== 'ignore') {
      throw new ValueError(`OneHotEncoder: handleUnknown must be 'error' or 'ignore', got '${String(this.handleUnknown)}'`);
    }
  }

  get categories(): Category[] {
    return this.labels.classes;
  }

  fit(values: readonly (Category | null)[] | Tensor): this {
    this.labels.fit(values);
    return this;
  }

  transform(values: readonly (Category | null)[] | Tensor): Tensor {
    const k = this.labels.numClasses;
    if (k === 0) throw new ValueError(`OneHotEncoder.transform: not fitted yet; call fit() first`);
    const cats = categoriesOf('OneHotEncoder.transform', values);
    const out = new Float32Array(cats.length * k);
    const codes = new Map(this.categories.map((c, i) => [c, i]));
    cats.forEach((c, i) => {
      const code = codes.get(c);
      if (code !== undefined) out[i * k + code] = 1;
      else if (this.handleUnknown === 'error') {
        throw new ValueError(`OneHotEncoder.transform: value ${i} (${JSON.stringify(c)}) was not seen by fit (categories: ${listSome(this.categories)})`);
      }
    });
    return new Tensor(out, [cats.length, k], 'float32');
  }

  fitTransform(values: readonly (Category | null)[] | Tensor): Tensor {
    return this.fit(values).transform(values);
  }

  /** The category of each row (its largest entry); null for an all-zero row. */
  inverseTransform(rows: TensorLike): (Category | null)[] {
    const t = toTensor(rows, 'OneHotEncoder.inverseTransform', 'rows');
    const k = this.labels.numClasses;
    if (t.rank !== 2 || t.shape[1] !== k) {
      throw new ValueError(`OneHotEncoder.inverseTransform: rows must be [N, ${k}], got [${t.shape.join(',')}]`);
    }
    return Array.from({ length: t.shape[0] }, (_, i) => {
      let best = -1;
      for (let j = 0; j < k; j++) if (t.values[i * k + j] > 0 && (best < 0 || t.values[i * k + j] > t.values[i * k + best])) best = j;
      return best < 0 ? null : this.categories[best];
    });
  }

  toJSON(): { kind: 'OneHotEncoder'; handleUnknown: 'error' | 'ignore'; categories: Category[] } {
    return { kind: 'OneHotEncoder', handleUnknown: this.handleUnknown, categories: [...this.categories] };
  }

  static fromJSON(json: { kind: 'OneHotEncoder'; handleUnknown?: 'error' | 'ignore'; categories: Category[] }): OneHotEncoder {
    const j = checkJSON('OneHotEncoder', json) as { handleUnknown?: 'error' | 'ignore'; categories: Category[] };
    const enc = new OneHotEncoder({ handleUnknown: j.handleUnknown });
    enc.labels.fit(j.categories);
    return enc;
  }
}

/**
 * One-hot rows of integer labels (Keras' to_categorical): float32 [...labels.shape,
 * numClasses]; numClasses defaults to the largest label + 1. Labels may be given as
 * int32 or as integral floats.
 *
 * ```ts
 * sd.data.oneHot([0, 2, 1]); // [[1,0,0],[0,0,1],[0,1,0]]
 * ```
 */
export function oneHot(labels: TensorLike, numClasses?: number): Tensor {
  const t = toTensor(labels, 'oneHot', 'labels');
  let idx = t;
  if (t.dtype !== 'int32') {
    const ints = new Int32Array(t.size);
    t.values.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new ValueError(`oneHot: label ${i} is ${v}, not an integer`);
      ints[i] = v;
    });
    idx = new Tensor(ints, t.shape, 'int32');
  }
  let depth = numClasses;
  if (depth === undefined) {
    depth = 0;
    for (const v of idx.values) depth = Math.max(depth, v + 1);
  }
  return oneHotOp(idx, depth);
}
