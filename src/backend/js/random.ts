import type { KernelTable } from '../backend.js';
import { output } from './loops.js';
import { bernoulliWords } from '../../tensor/random.js';

/** Kernels that draw from a generator's stream, handed to them as state words. */
export const randomKernels: KernelTable = {
  BernoulliFill: (_inputs, { shape, dtype, p, value, state }) => {
    const out = output(shape, dtype);
    bernoulliWords(state, out.values, p, value);
    return out;
  },
};
