import type { TypedArray } from '../../tensor/dtype.js';
import { getBackend } from '../backend.js';
import type { Addon } from './addon.js';

/**
 * Fused optimizer updates in C++: one vectorized pass over a float32 parameter tensor and
 * its state, in place, with the formulas of src/optim (adamUpdate, sgdUpdate). Each
 * returns false, doing nothing, when it does not apply (no addon, another backend active,
 * or arrays that are not float32), so that the caller runs its TypeScript loop instead:
 *
 * ```ts
 * if (!nativeAdamUpdate(p, g, m, v, vmax, h)) adamUpdate(p, g, m, v, vmax, h);
 * ```
 */

/** Hyperparameters of one fused Adam/AdamW step (src/optim's AdamHyper is this type). */
export interface AdamStepHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
  step: number;
  decoupled: boolean;
}

/** Hyperparameters of one fused SGD step (src/optim's SGDHyper is this type); `firstStep` marks the momentum buffer's first step. */
export interface SgdStepHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  firstStep: boolean;
}

export type AdamUpdateFn = (
  param: TypedArray,
  grad: TypedArray,
  expAvg: TypedArray,
  expAvgSq: TypedArray,
  maxExpAvgSq: TypedArray | null,
  h: AdamStepHyper,
) => boolean;

export type SgdUpdateFn = (param: TypedArray, grad: TypedArray, buf: TypedArray | null, h: SgdStepHyper) => boolean;

const applies = (...arrays: (TypedArray | null)[]): boolean =>
  getBackend() === 'native' && arrays.every((a) => a === null || a instanceof Float32Array);

export function optimizerKernels(addon: Addon, params: Float64Array): { adam: AdamUpdateFn; sgd: SgdUpdateFn } {
  const adam: AdamUpdateFn = (param, grad, expAvg, expAvgSq, maxExpAvgSq, h) => {
    if (!applies(param, grad, expAvg, expAvgSq, maxExpAvgSq)) return false;
    params.set([h.lr, h.beta1, h.beta2, h.eps, h.weightDecay, h.maximize ? 1 : 0, h.step, h.decoupled ? 1 : 0]);
    addon.adam(param as Float32Array, grad as Float32Array, expAvg as Float32Array, expAvgSq as Float32Array, maxExpAvgSq as Float32Array | null);
    return true;
  };
  const sgd: SgdUpdateFn = (param, grad, buf, h) => {
    if (!applies(param, grad, buf)) return false;
    params.set([h.lr, h.momentum, h.dampening, h.weightDecay, h.nesterov ? 1 : 0, h.maximize ? 1 : 0, h.firstStep ? 1 : 0]);
    addon.sgd(param as Float32Array, grad as Float32Array, buf as Float32Array | null);
    return true;
  };
  return { adam, sgd };
}
