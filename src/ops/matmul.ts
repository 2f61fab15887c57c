import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType, promoteTypes } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { runOp } from './op.js';
import { cast } from './cast.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './broadcast.js';

/** Options of matmul: read an operand's last two axes as transposed, without copying it. */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product with PyTorch's `torch.matmul` rules:
 * - 1-D · 1-D: dot product, a scalar;
 * - 2-D · 2-D: the matrix product [M,K]·[K,N] → [M,N];
 * - 1-D · N-D: the vector is a row [1,K], and the 1 is removed from the result;
 * - N-D · 1-D: the vector is a column [K,1], and the 1 is removed from the result;
 * - N-D · N-D: a batch of matrix products over the leading axes, which broadcast.
 *
 * `transposeA`/`transposeB` use the transpose of an operand's last two axes (they do not
 * apply to 1-D operands). Float inputs only; float32 with float64 gives float64.
 *
 * Shapes: a [...batchA, M, K], b [...batchB, K, N] → [...broadcast(batchA, batchB), M, N].
 *
 * ```ts
 * sd.matmul(sd.randn([32, 784]), sd.randn([784, 128])).shape;          // [32,128]
 * sd.matmul(sd.randn([8, 5, 3]), sd.randn([4, 3]), { transposeB: true }).shape; // [8,5,4]
 * sd.matmul(sd.randn([2, 1, 5, 3]), sd.randn([4, 3, 6])).shape;        // [2,4,5,6]
 * ```
 */
export function matmul(a: TensorLike, b: TensorLike, options: MatmulOptions = {}): Tensor {
  let ta = toTensor(a, 'matmul', 'a');
  let tb = toTensor(b, 'matmul', 'b');
  for (const [name, t] of [['a', ta], ['b', tb]] as const) {
    if (!isFloatDType(t.dtype)) {
      throw new DTypeError(`matmul: ${name} must be float32 or float64, got ${t.dtype} (cast it with sd.cast(${name}, 'float32'))`);
    }
    if (t.rank === 0) {
      throw new ShapeError(`matmul: ${name} must have at least 1 dimension, got a scalar (use sd.mul to scale)`);
    }
  }
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  ta = cast(ta, dtype);
  tb = cast(tb, dtype);
  const transposeA = ta.rank >= 2 && (options.transposeA ?? false);
  const transposeB = tb.rank >= 2 && (options.transposeB ?? false);

  // Vectors become matrices: a row for a, a column for b.
  const aMat = ta.rank === 1 ? [1, ta.shape[0]] : ta.shape.slice(-2);
  const bMat = tb.rank === 1 ? [tb.shape[0], 1] : tb.shape.slice(-2);
  const [M, K] = transposeA ? [aMat[1], aMat[0]] : aMat;
  const [kB, N] = transposeB ? [bMat[1], bMat[0]] : bMat;
  if (K !== kB) {
    const flags = [transposeA ? 'transposeA' : '', transposeB ? 'transposeB' : ''].filter(Boolean).join(', ');
    throw new ShapeError(
      `matmul: inner dimensions differ: a is ${fmtShape(ta.shape)}, b is ${fmtShape(tb.shape)} (${K} ≠ ${kB})` +
        (flags ? ` with ${flags}` : ''),
    );
  }
  const batchA = ta.shape.slice(0, -2);
  const batchB = tb.shape.slice(0, -2);
  const batch = broadcastBatch(ta.shape, tb.shape, batchA, batchB);
  // Where the result drops the vector's 1: the row of a 1-D a, the column of a 1-D b.
  const outShape = [...batch, ...(ta.rank === 1 ? [] : [M]), ...(tb.rank === 1 ? [] : [N])];

  let y: Tensor;
  if (ta.rank === 2 && tb.rank === 2) {
    // two matrices (a dense layer and its gradients): the kernel takes them as they are,
    // with no reshaped views in the graph
    return batchMatMul(ta, tb, transposeA, transposeB);
  }
  if (batchB.length === 0 && !transposeA) {
    // b is one matrix: fold a's batch into its rows, one GEMM for all (as a linear layer).
    const rows = sizeOf(batchA) * M;
    y = batchMatMul(reshape(ta, [1, rows, K]), reshape(tb, [1, ...bMat]), false, transposeB);
  } else {
    const count = sizeOf(batch);
    const a3 = reshape(broadcastTo(reshape(ta, [...batchA, ...aMat]), [...batch, ...aMat]), [count, ...aMat]);
    const b3 = reshape(broadcastTo(reshape(tb, [...batchB, ...bMat]), [...batch, ...bMat]), [count, ...bMat]);
    y = batchMatMul(a3, b3, transposeA, transposeB);
  }
  return reshape(y, outShape);
}

/**
 * tfjs' `matMul(a, b, transposeA, transposeB)`, with the flags as positional booleans.
 *
 * ```ts
 * sd.matMul(x, w, false, true); // x·wᵀ
 * ```
 */
export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  return matmul(a, b, { transposeA, transposeB });
}

/** The broadcast of the batch axes of a and b, or a ShapeError naming both operands. */
function broadcastBatch(
  aShape: readonly number[],
  bShape: readonly number[],
  batchA: readonly number[],
  batchB: readonly number[],
): number[] {
  const rank = Math.max(batchA.length, batchB.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `matmul: batch dimensions do not broadcast: a is ${fmtShape(aShape)}, b is ${fmtShape(bShape)} ` +
          `(batch ${fmtShape(batchA)} vs ${fmtShape(batchB)})`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * The kernel call on [B,·,·] operands of one dtype, with its gradient. The gradient is
 * itself two batched products that read the operands through transpose flags, so backward
 * never materialises a transpose: for Y = A·B, dA = dY·Bᵀ and dB = Aᵀ·dY, and the
 * transposed cases swap roles accordingly.
 */
function batchMatMul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  return runOp('matmul', 'BatchMatMul', [a, b], { transposeA, transposeB }, (dy) => {
    const needA = a.requiresGrad;
    const needB = b.requiresGrad;
    if (!transposeA && !transposeB) {
      return [needA ? batchMatMul(dy, b, false, true) : null, needB ? batchMatMul(a, dy, true, false) : null];
    }
    if (!transposeA && transposeB) {
      return [needA ? batchMatMul(dy, b, false, false) : null, needB ? batchMatMul(dy, a, true, false) : null];
    }
    if (transposeA && !transposeB) {
      return [needA ? batchMatMul(b, dy, false, true) : null, needB ? batchMatMul(a, dy, false, false) : null];
    }
    return [needA ? batchMatMul(b, dy, true, true) : null, needB ? batchMatMul(dy, a, true, true) : null];
  });
}
