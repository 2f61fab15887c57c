import { nativeAdamUpdate } from '../backend/native/index.js';
import type { AdamStepHyper } from '../backend/native/optimizers.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkOption, zerosState, type ParamGroup, type Params, type ParamState } from './optimizer.js';

export interface AdamOptions {
  /** Learning rate. Default 1e-3. */
  lr: number;
  /** Decay rates of the running averages of the gradient and its square. Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator for stability. Default 1e-8. */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay: number;
  /** Use the maximum of past squared-gradient averages (AMSGrad). Default false. */
  amsgrad: boolean;
  /** Ascend instead of descend. Default false. */
  maximize: boolean;
}

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

/**
 * Hyperparameters of one Adam/AdamW update of one tensor; `step` counts from 1; `decoupled`
 * (AdamW) applies p ← p·(1 − lr·wd) before the update instead of adding wd·p to the
 * gradient. Defined with the backend's fused step, which takes the same fields.
 */
export type AdamHyper = AdamStepHyper;

/**
 * One fused Adam (or AdamW) update in place, as PyTorch: g = ±grad (+ wd·p unless
 * decoupled, then p ·= 1 − lr·wd); m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * AMSGrad: vmax = max(vmax, v) and v̂ = vmax; p −= lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps).
 * `maxExpAvgSq` is null without AMSGrad.
 */
export function adamUpdate(
  param: TypedArray,
  grad: TypedArray,
  expAvg: TypedArray,
  expAvgSq: TypedArray,
  maxExpAvgSq: TypedArray | null,
  h: AdamHyper,
): void {
  const { beta1, beta2, eps } = h;
  const stepSize = h.lr / (1 - beta1 ** h.step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** h.step);
  const l2 = h.decoupled ? 0 : h.weightDecay;
  const shrink = h.decoupled ? 1 - h.lr * h.weightDecay : 1;
  const sign = h.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    if (shrink !== 1) param[i] *= shrink;
    const g = sign * grad[i] + l2 * param[i];
    expAvg[i] = beta1 * expAvg[i] + (1 - beta1) * g;
    expAvgSq[i] = beta2 * expAvgSq[i] + (1 - beta2) * g * g;
    let v = expAvgSq[i];
    if (maxExpAvgSq) {
      if (v > maxExpAvgSq[i]) maxExpAvgSq[i] = v;
      v = maxExpAvgSq[i];
    }
    param[i] -= (stepSize * expAvg[i]) / (Math.sqrt(v) / bc2Sqrt + eps);
  }
}

/**
 * Adam: adaptive moment estimation, with optional AMSGrad and L2 weight decay (PyTorch's
 * `torch.optim.Adam`). For decoupled weight decay use AdamW.
 *
 * ```ts
 * const opt = new sd.optim.Adam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, DEFAULTS, options);
  }

  /** Whether weight decay is decoupled from the gradient (AdamW). */
  protected get decoupled(): boolean {
    return false;
  }

  protected checkOptions(o: AdamOptions, where: string): void {
    const n = this.name;
    checkOption(n, 'lr', o.lr, o.lr >= 0, '>= 0', where);
    checkOption(n, 'eps', o.eps, o.eps >= 0, '>= 0', where);
    const b = o.betas;
    checkOption(n, 'betas', b, Array.isArray(b) && b.length === 2, 'two numbers [beta1, beta2]', where);
    checkOption(n, 'betas[0]', b[0], b[0] >= 0 && b[0] < 1, 'in [0, 1)', where);
    checkOption(n, 'betas[1]', b[1], b[1] >= 0 && b[1] < 1, 'in [0, 1)', where);
    checkOption(n, 'weightDecay', o.weightDecay, o.weightDecay >= 0, '>= 0', where);
    checkOption(n, 'amsgrad', o.amsgrad, typeof o.amsgrad === 'boolean', 'a boolean', where);
    checkOption(n, 'maximize', o.maximize, typeof o.maximize === 'boolean', 'a boolean', where);
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>): void {
    const s = this.stateOf<ParamState & { step: number; expAvg: Tensor; expAvgSq: Tensor }>(p, () => ({
      step: 0,
      expAvg: zerosState(p),
      expAvgSq: zerosState(p),
    }));
    s.step += 1;
    if (group.amsgrad) s.maxExpAvgSq ??= zerosState(p);
    const max = group.amsgrad ? (s.maxExpAvgSq as Tensor).values : null;
    const [beta1, beta2] = group.betas;
    const h: AdamHyper = {
      lr: group.lr,
      beta1,
      beta2,
      eps: group.eps,
      weightDecay: group.weightDecay,
      maximize: group.maximize,
      step: s.step,
      decoupled: this.decoupled,
    };
    // One fused C++ pass on the native backend with float32 state; the loop above otherwise.
    if (!nativeAdamUpdate(p.values, grad.values, s.expAvg.values, s.expAvgSq.values, max, h)) {
      adamUpdate(p.values, grad.values, s.expAvg.values, s.expAvgSq.values, max, h);
    }
  }
}
