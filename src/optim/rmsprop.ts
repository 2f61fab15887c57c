import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkOption, zerosState, type ParamGroup, type Params, type ParamState } from './optimizer.js';

export interface RMSpropOptions {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** Smoothing constant of the running average of squared gradients. Default 0.99. */
  alpha: number;
  /** Added to the denominator for stability. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum factor. Default 0. */
  momentum: number;
  /** Normalise by the estimated variance (E[g²] − E[g]²) instead of E[g²]. Default false. */
  centered: boolean;
  /** Ascend instead of descend. Default false. */
  maximize: boolean;
}

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

export interface RMSpropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  maximize: boolean;
}

/**
 * One fused RMSprop update in place, as PyTorch: g = ±grad + wd·p;
 * sq = α·sq + (1 − α)·g²; centered: avg = α·avg + (1 − α)·g, d = √(sq − avg²) + eps,
 * else d = √sq + eps; with momentum buf = μ·buf + g/d, p −= lr·buf; else p −= lr·g/d.
 * `gradAvg` is null unless centered, `buf` null without momentum.
 */
export function rmspropUpdate(
  param: TypedArray,
  grad: TypedArray,
  squareAvg: TypedArray,
  gradAvg: TypedArray | null,
  buf: TypedArray | null,
  h: RMSpropHyper,
): void {
  const { lr, alpha, eps, weightDecay, momentum } = h;
  const sign = h.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    const g = sign * grad[i] + weightDecay * param[i];
    squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * g * g;
    let denom: number;
    if (gradAvg) {
      gradAvg[i] = alpha * gradAvg[i] + (1 - alpha) * g;
      denom = Math.sqrt(squareAvg[i] - gradAvg[i] * gradAvg[i]) + eps;
    } else {
      denom = Math.sqrt(squareAvg[i]) + eps;
    }
    if (buf) {
      buf[i] = momentum * buf[i] + g / denom;
      param[i] -= lr * buf[i];
    } else {
      param[i] -= (lr * g) / denom;
    }
  }
}

/**
 * RMSprop: divides the gradient by a running root mean square of recent gradients
 * (PyTorch's `torch.optim.RMSprop`, with momentum and the centered variant).
 *
 * ```ts
 * const opt = new sd.optim.RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9, centered: true });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, DEFAULTS, options);
  }

  protected checkOptions(o: RMSpropOptions, where: string): void {
    const n = this.name;
    checkOption(n, 'lr', o.lr, o.lr >= 0, '>= 0', where);
    checkOption(n, 'alpha', o.alpha, o.alpha >= 0, '>= 0', where);
    checkOption(n, 'eps', o.eps, o.eps >= 0, '>= 0', where);
    checkOption(n, 'weightDecay', o.weightDecay, o.weightDecay >= 0, '>= 0', where);
    checkOption(n, 'momentum', o.momentum, o.momentum >= 0, '>= 0', where);
    checkOption(n, 'centered', o.centered, typeof o.centered === 'boolean', 'a boolean', where);
    checkOption(n, 'maximize', o.maximize, typeof o.maximize === 'boolean', 'a boolean', where);
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<RMSpropOptions>): void {
    const s = this.stateOf<ParamState & { step: number; squareAvg: Tensor }>(p, () => ({ step: 0, squareAvg: zerosState(p) }));
    s.step += 1;
    // state for momentum and centering appears when a group first asks for it, as PyTorch's
    if (group.momentum > 0) s.momentumBuffer ??= zerosState(p);
    if (group.centered) s.gradAvg ??= zerosState(p);
    const gradAvg = group.centered ? (s.gradAvg as Tensor).values : null;
    const buf = group.momentum > 0 ? (s.momentumBuffer as Tensor).values : null;
    rmspropUpdate(p.values, grad.values, s.squareAvg.values, gradAvg, buf, group);
  }
}
