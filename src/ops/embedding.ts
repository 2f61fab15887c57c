import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/create.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { where } from './logical.js';
import { eq } from './compare.js';
import { indexAdd } from './gather.js';
import { checkIndexRange, indexOperand } from './indices.js';

export interface EmbeddingOptions {
  /** A row that receives no gradient (PyTorch `padding_idx`); negative counts from the end. */
  paddingIdx?: number;
}

/**
 * Looks up rows of an embedding table: out[..., :] = weight[indices[...], :] (PyTorch
 * `F.embedding`). The gradient adds each output row's gradient into the row it came from
 * (repeated indices accumulate), except for `paddingIdx`, whose row gets none.
 *
 * Shapes: weight [V, D], indices int32 of any shape I → [...I, D].
 *
 * ```ts
 * const table = sd.randn([1000, 64]);
 * const tokens = sd.tensor(new Int32Array([5, 0, 17, 5, 2, 0]), [2, 3]);
 * sd.embedding(table, tokens).shape;                    // [2,3,64]
 * sd.embedding(table, tokens, { paddingIdx: 0 });       // row 0 stays untrained
 * ```
 */
export function embedding(weight: TensorLike, indices: TensorLike, options: EmbeddingOptions = {}): Tensor {
  const w = toTensor(weight, 'embedding', 'weight');
  if (!isFloatDType(w.dtype)) {
    throw new DTypeError(`embedding: weight must be float32 or float64, got ${w.dtype}`);
  }
  if (w.rank !== 2) throw new ShapeError(`embedding: weight must be 2-D [V, D], got shape ${fmtShape(w.shape)}`);
  const idx = indexOperand('embedding', 'indices', indices);
  const [rows, dim] = w.shape;
  checkIndexRange('embedding', 'indices', idx, rows, `a table of ${rows} rows (weight ${fmtShape(w.shape)})`);
  const padding = paddingRow(options.paddingIdx, rows);
  const flat = reshape(idx, [idx.size]);
  const selected = runOp('embedding', 'Gather', [w, flat], { axis: 0 }, (dy) => {
    // dy is [n, D]: one row of gradient per looked-up index.
    const kept = padding === undefined ? dy : where(reshape(eq(flat, padding), [idx.size, 1]), 0, dy);
    return [indexAdd(zeros(w.shape, dy.dtype), 0, flat, kept), null];
  });
  return reshape(selected, [...idx.shape, dim]);
}

function paddingRow(paddingIdx: number | undefined, rows: number): number | undefined {
  if (paddingIdx === undefined) return undefined;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -rows || paddingIdx >= rows) {
    throw new ValueError(`embedding: paddingIdx must be an integer in ${-rows}..${rows - 1} (the table has ${rows} rows), got ${paddingIdx}`);
  }
  return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
}
