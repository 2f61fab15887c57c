import type { KernelTable } from '../backend.js';
import { output } from './loops.js';
import { sizeOf } from '../../tensor/shape.js';

/** A layer's bias along one axis and its activation, in one pass. */
export const biasKernels: KernelTable = {
  BiasAdd: (inputs, { axis, activation }) => {
    const [x, b] = inputs;
    const out = output(x.shape, x.dtype);
    const C = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const outer = C * inner === 0 ? 0 : sizeOf(x.shape) / (C * inner);
    const xv = x.values;
    const bv = b.values;
    const y = out.values;
    const relu = activation === 'relu';
    for (let o = 0, i = 0; o < outer; o++) {
      for (let c = 0; c < C; c++) {
        const bias = bv[c];
        for (let k = 0; k < inner; k++, i++) {
          const v = xv[i] + bias;
          // as the Relu kernel: NaN propagates
          y[i] = relu && v < 0 ? 0 : v;
        }
      }
    }
    return out;
  },
};
