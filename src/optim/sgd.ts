import { ValueError } from '../errors.js';
import { nativeSgdUpdate } from '../backend/native/index.js';
import type { SgdStepHyper } from '../backend/native/optimizers.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkOption, zerosState, type ParamGroup, type Params } from './optimizer.js';

export interface SGDOptions {
  /** Learning rate. Default 1e-3. */
  lr: number;
  /** Momentum factor; 0 (the default) is plain gradient descent. */
  momentum: number;
  /** Dampening of the gradient added to the momentum buffer. Default 0. */
  dampening: number;
  /** L2 penalty added to the gradient: g + weightDecay·p. Default 0. */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov: boolean;
  /** Ascend instead of descend. Default false. */
  maximize: boolean;
}

const DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/** Hyperparameters of one SGD update of one tensor. */
export type SGDHyper = SgdStepHyper;

/**
 * One fused SGD update of a parameter tensor in place, as PyTorch:
 * g = ±grad + wd·p; buf = g on the first step, else momentum·buf + (1 − dampening)·g;
 * d = g + momentum·buf (Nesterov) or buf; p −= lr·d. `buf` is null without momentum.
 */
export function sgdUpdate(param: TypedArray, grad: TypedArray, buf: TypedArray | null, h: SGDHyper): void {
  const { lr, momentum, dampening, weightDecay, nesterov } = h;
  const sign = h.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i] + weightDecay * param[i];
    if (buf) {
      const b = h.firstStep ? g : momentum * buf[i] + (1 - dampening) * g;
      buf[i] = b;
      g = nesterov ? g + momentum * buf[i] : buf[i];
    }
    param[i] -= lr * g;
  }
}

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and
 * weight decay (PyTorch's `torch.optim.SGD`).
 *
 * ```ts
 * const opt = new sd.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, DEFAULTS, options);
  }

  protected checkOptions(o: SGDOptions, where: string): void {
    const n = this.name;
    checkOption(n, 'lr', o.lr, o.lr >= 0, '>= 0', where);
    checkOption(n, 'momentum', o.momentum, o.momentum >= 0, '>= 0', where);
    checkOption(n, 'dampening', o.dampening, typeof o.dampening === 'number', 'a number', where);
    checkOption(n, 'weightDecay', o.weightDecay, o.weightDecay >= 0, '>= 0', where);
    checkOption(n, 'nesterov', o.nesterov, typeof o.nesterov === 'boolean', 'a boolean', where);
    checkOption(n, 'maximize', o.maximize, typeof o.maximize === 'boolean', 'a boolean', where);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ValueError(`${n}: nesterov needs momentum > 0 and dampening 0, got momentum ${o.momentum}, dampening ${o.dampening}${where}`);
    }
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>): void {
    let buf: Tensor | null = null;
    let firstStep = false;
    if (group.momentum !== 0) {
      const s = this.stateOf(p, () => ({ momentumBuffer: zerosState(p), step: 0 }));
      firstStep = s.step === 0;
      s.step += 1;
      buf = s.momentumBuffer;
    }
    const h: SGDHyper = {
      lr: group.lr,
      momentum: group.momentum,
      dampening: group.dampening,
      weightDecay: group.weightDecay,
      nesterov: group.nesterov,
      maximize: group.maximize,
      firstStep,
    };
    const b = buf?.values ?? null;
    // One fused C++ pass on the native backend with float32 state; the loop above otherwise.
    if (!nativeSgdUpdate(p.values, grad.values, b, h)) sgdUpdate(p.values, grad.values, b, h);
  }
}
