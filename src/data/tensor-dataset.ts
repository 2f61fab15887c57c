import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { rowView } from './collate.js';
import { Dataset } from './dataset.js';

/**
 * A dataset of tensors that share their first dimension: element i is the tuple of their
 * rows i (PyTorch's TensorDataset). Rows are views on the tensors' storage, not copies.
 * A DataLoader over it builds each batch by copying row ranges straight from the tensors.
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  /** The tensors, all with `length` rows. */
  readonly tensors: T;
  /** The number of rows (samples). */
  readonly length: number;

  constructor(tensors: T) {
    const n = tensors[0].shape[0];
    const item = (i: number): T => tensors.map((t) => rowView(t, i)) as T;
    super(
      function* () {
        for (let i = 0; i < n; i++) yield item(i);
      },
      n,
      item,
    );
    this.tensors = tensors;
    this.length = n;
  }
}

type Tensors<T extends readonly TensorLike[]> = { -readonly [K in keyof T]: Tensor };

/**
 * A dataset over the rows of one or more tensors of the same length, e.g. features and
 * labels: element i is `[x[i], y[i]]`. Nested arrays and typed arrays are converted.
 *
 * Shapes: x [N, ...], y [N, ...] → elements [x[i] (shape x.shape[1:]), y[i]].
 *
 * ```ts
 * const ds = sd.data.tensorDataset(sd.randn([100, 4]), sd.randint(0, 3, [100]));
 * const loader = new sd.data.DataLoader(ds, { batchSize: 32, shuffle: true });
 * for (const [xb, yb] of loader) { ... } // xb [32,4], yb int32 [32]
 * ```
 */
export function tensorDataset<T extends readonly TensorLike[]>(...tensors: T): TensorDataset<Tensors<T>> {
  if (tensors.length === 0) throw new ValueError(`tensorDataset: expected at least one tensor`);
  const ts = tensors.map((t, i) => toTensor(t, 'tensorDataset', `tensor ${i}`));
  const first = ts[0];
  ts.forEach((t, i) => {
    if (t.rank === 0) {
      throw new ShapeError(`tensorDataset: tensor ${i} is a scalar; every tensor needs a first dimension of samples`);
    }
    if (t.shape[0] !== first.shape[0]) {
      throw new ShapeError(
        `tensorDataset: tensors differ in their number of samples: tensor 0 has shape ${fmtShape(first.shape)} ` +
          `(${first.shape[0]} samples) but tensor ${i} has shape ${fmtShape(t.shape)} (${t.shape[0]} samples)`,
      );
    }
  });
  return new TensorDataset(ts as Tensors<T>);
}
