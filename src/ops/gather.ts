import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/create.js';
import { normalizeAxis, shapesEqual } from '../tensor/shape.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { checkIndexRange, indexOperand } from './indices.js';

/**
 * Selecting and accumulating whole slices along one axis with a list of indices:
 * indexSelect and gather read them, indexAdd adds into them. Each is the other's
 * gradient. Indices are int32 in 0..n-1; negative indices are rejected (as PyTorch does).
 */

/**
 * The slices of `x` at `indices` (1-D int32) along `axis`, in that order, repeats allowed
 * (PyTorch `index_select`; note PyTorch's argument order: axis before indices).
 *
 * Shapes: x [..., n, ...], indices [k] → [..., k, ...].
 *
 * ```ts
 * sd.indexSelect(sd.tensor([[1, 2, 3], [4, 5, 6]]), 1, [2, 0]); // [[3, 1], [6, 4]]
 * ```
 */
export function indexSelect(x: TensorLike, axis: number, indices: TensorLike): Tensor {
  const t = toTensor(x, 'indexSelect', 'x');
  const idx = indexOperand('indexSelect', 'indices', indices);
  if (idx.rank !== 1) {
    throw new ShapeError(`indexSelect: indices must be 1-D, got shape ${fmtShape(idx.shape)} (use gather for other shapes)`);
  }
  const a = checkAxis('indexSelect', t, axis);
  checkIndexRange('indexSelect', 'indices', idx, t.shape[a], `axis ${a} of x ${fmtShape(t.shape)}`);
  return selectChecked(t, a, idx);
}

/**
 * The slices of `x` at `indices` along `axis` (TensorFlow.js `gather`): indices of any
 * shape replace that axis.
 *
 * Shapes: x [...pre, n, ...post], indices I → [...pre, ...I, ...post].
 *
 * ```ts
 * const table = sd.randn([1000, 64]);
 * sd.gather(table, sd.tensor(new Int32Array([3, 1, 4, 1]), [2, 2])).shape; // [2,2,64]
 * ```
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, 'gather', 'x');
  const idx = indexOperand('gather', 'indices', indices);
  const a = checkAxis('gather', t, axis);
  checkIndexRange('gather', 'indices', idx, t.shape[a], `axis ${a} of x ${fmtShape(t.shape)}`);
  const flat = idx.rank === 1 ? idx : reshape(idx, [idx.size]);
  const selected = selectChecked(t, a, flat);
  if (idx.rank === 1) return selected;
  return reshape(selected, [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)]);
}

/**
 * Adds the slices of `src` into a copy of `x` at `indices` along `axis`; repeated indices
 * accumulate (PyTorch `index_add`, out of place). Differentiable in x and src.
 *
 * Rule: out = x; out[..., indices[j], ...] += src[..., j, ...].
 * Shapes: x [..., n, ...], indices [k], src [..., k, ...] → x's shape.
 *
 * ```ts
 * sd.indexAdd(sd.zeros([3]), 0, [0, 2, 0], sd.tensor([1, 2, 3])); // [4, 0, 2]
 * ```
 */
export function indexAdd(x: TensorLike, axis: number, indices: TensorLike, src: TensorLike): Tensor {
  const t = toTensor(x, 'indexAdd', 'x');
  const s = toTensor(src, 'indexAdd', 'src', t.dtype);
  const idx = indexOperand('indexAdd', 'indices', indices);
  if (t.dtype === 'bool') throw new DTypeError(`indexAdd: x must be numeric, got bool (cast it first)`);
  if (s.dtype !== t.dtype) throw new DTypeError(`indexAdd: src must have x's dtype ${t.dtype}, got ${s.dtype}`);
  if (idx.rank !== 1) throw new ShapeError(`indexAdd: indices must be 1-D, got shape ${fmtShape(idx.shape)}`);
  const a = checkAxis('indexAdd', t, axis);
  const expected = [...t.shape];
  expected[a] = idx.size;
  if (!shapesEqual(s.shape, expected)) {
    throw new ShapeError(
      `indexAdd: src must have shape ${fmtShape(expected)} (x ${fmtShape(t.shape)} with axis ${a} of size ${idx.size}, one per index), got ${fmtShape(s.shape)}`,
    );
  }
  checkIndexRange('indexAdd', 'indices', idx, t.shape[a], `axis ${a} of x ${fmtShape(t.shape)}`);
  return runOp('indexAdd', 'IndexAdd', [t, idx, s], { axis: a }, (dy) => [dy, null, selectChecked(dy, a, idx)]);
}

/** indexSelect after its checks, for gather and the gradient of indexAdd. */
function selectChecked(x: Tensor, axis: number, indices: Tensor): Tensor {
  const shape = x.shape;
  return runOp('indexSelect', 'Gather', [x, indices], { axis }, (dy) => [
    indexAdd(zeros(shape, dy.dtype), axis, indices, dy),
    null,
  ]);
}

function checkAxis(op: string, x: Tensor, axis: number): number {
  if (x.rank === 0) throw new ShapeError(`${op}: x must have at least 1 dimension, got a scalar`);
  return normalizeAxis(op, axis, x.rank);
}
