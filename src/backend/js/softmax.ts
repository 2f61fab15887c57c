import type { KernelTable, TensorData } from '../backend.js';
import { sizeOf } from '../../tensor/shape.js';
import { output } from './loops.js';

/**
 * Softmax and log-softmax along one axis, numerically stable: the line's maximum is
 * subtracted before exponentiating, so large logits never overflow. Lines along `axis`
 * are visited as (outer, inner) pairs with stride `inner` between elements.
 */
function softmaxKernel(log: boolean) {
  return (inputs: TensorData[], { axis }: { axis: number }): TensorData => {
    const x = inputs[0];
    const out = output(x.shape, x.dtype);
    const xv = x.values;
    const ov = out.values;
    const n = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const outer = sizeOf(x.shape.slice(0, axis));
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        const end = base + n * inner;
        let max = -Infinity;
        for (let k = base; k < end; k += inner) if (xv[k] > max) max = xv[k];
        // As PyTorch, an infinite maximum is not special-cased: the line becomes NaN.
        let total = 0;
        for (let k = base; k < end; k += inner) total += Math.exp(xv[k] - max);
        if (log) {
          const shift = max + Math.log(total);
          for (let k = base; k < end; k += inner) ov[k] = xv[k] - shift;
        } else {
          for (let k = base; k < end; k += inner) ov[k] = Math.exp(xv[k] - max) / total;
        }
      }
    }
    return out;
  };
}

export const softmaxKernels: KernelTable = {
  Softmax: softmaxKernel(false),
  LogSoftmax: softmaxKernel(true),
};
