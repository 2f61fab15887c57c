import type { KernelTable } from '../backend.js';
import { output } from './loops.js';
import { gemm } from './gemm.js';

type Matrix = Float32Array | Float64Array;

/**
 * Batched matrix product of the js backend: one GEMM per batch entry, addressing each
 * matrix by offset into the shared buffers. Transposed operands are read in place.
 */
export const matmulKernels: KernelTable = {
  BatchMatMul: (inputs, { transposeA, transposeB }) => {
    const [a, b] = inputs;
    const matrices = a.shape.length === 2;
    const [batch, aRows, aCols] = matrices ? [1, ...a.shape] : a.shape;
    const [, bRows, bCols] = matrices ? [1, ...b.shape] : b.shape;
    const M = transposeA ? aCols : aRows;
    const K = transposeA ? aRows : aCols;
    const N = transposeB ? bRows : bCols;
    const out = output(matrices ? [M, N] : [batch, M, N], a.dtype);
    for (let i = 0; i < batch; i++) {
      gemm(transposeA, transposeB, M, N, K, a.values as Matrix, i * M * K, b.values as Matrix, i * K * N, out.values as Matrix, i * M * N);
    }
    return out;
  },
};
