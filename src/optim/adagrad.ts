import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkOption, zerosState, type ParamGroup, type Params } from './optimizer.js';

export interface AdagradOptions {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** The learning rate at step t is lr / (1 + (t − 1)·lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Starting value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator for stability. Default 1e-10. */
  eps: number;
  /** Ascend instead of descend. Default false. */
  maximize: boolean;
}

const DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/** Hyperparameters of one Adagrad update of one tensor; `step` counts from 1. */
export interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
  step: number;
}

/**
 * One fused Adagrad update in place, as PyTorch: g = ±grad + wd·p; sum += g²;
 * p −= lr / (1 + (step − 1)·lrDecay) · g / (√sum + eps).
 */
export function adagradUpdate(param: TypedArray, grad: TypedArray, sum: TypedArray, h: AdagradHyper): void {
  const clr = h.lr / (1 + (h.step - 1) * h.lrDecay);
  const sign = h.maximize ? -1 : 1;
  const { weightDecay, eps } = h;
  for (let i = 0; i < param.length; i++) {
    const g = sign * grad[i] + weightDecay * param[i];
    sum[i] += g * g;
    param[i] -= (clr * g) / (Math.sqrt(sum[i]) + eps);
  }
}

/**
 * Adagrad: per-coordinate learning rates that shrink with the sum of squared gradients
 * (PyTorch's `torch.optim.Adagrad`).
 *
 * ```ts
 * const opt = new sd.optim.Adagrad(model.parameters(), { lr: 0.01 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, DEFAULTS, options);
  }

  protected checkOptions(o: AdagradOptions, where: string): void {
    const n = this.name;
    checkOption(n, 'lr', o.lr, o.lr >= 0, '>= 0', where);
    checkOption(n, 'lrDecay', o.lrDecay, o.lrDecay >= 0, '>= 0', where);
    checkOption(n, 'weightDecay', o.weightDecay, o.weightDecay >= 0, '>= 0', where);
    checkOption(n, 'initialAccumulatorValue', o.initialAccumulatorValue, o.initialAccumulatorValue >= 0, '>= 0', where);
    checkOption(n, 'eps', o.eps, o.eps >= 0, '>= 0', where);
    checkOption(n, 'maximize', o.maximize, typeof o.maximize === 'boolean', 'a boolean', where);
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdagradOptions>): void {
    // PyTorch fills the accumulator when the optimizer is built; lazily on the first step is the same
    const s = this.stateOf(p, () => ({ step: 0, sum: zerosState(p, group.initialAccumulatorValue) }));
    s.step += 1;
    adagradUpdate(p.values, grad.values, s.sum.values, { ...group, step: s.step });
  }
}
