import type { KernelTable } from '../backend.js';
import { forEachBroadcast, output } from './loops.js';

/** Shape and indexing kernels of the js backend. */
export const shapeKernels: KernelTable = {
  BroadcastTo: (inputs, { shape }) => {
    const x = inputs[0];
    const out = output(shape, x.dtype);
    const xv = x.values;
    const ov = out.values;
    forEachBroadcast([x.shape, shape], (i, o) => {
      ov[i] = xv[o[0]];
    });
    return out;
  },
};
