import { ValueError } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import { toTensor } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from '../nn/module.js';
import { checkReduction, numberOption, optionsOf, type Reduction, type ReductionOptions } from './reduction.js';
import { huberLoss, l1Loss, mseLoss, smoothL1Loss, type HuberOptions, type SmoothL1Options } from './regression.js';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
} from './binary.js';
import { crossEntropy, nllLoss, type CrossEntropyOptions, type NLLLossOptions } from './cross-entropy.js';
import { klDiv, type KLDivOptions } from './divergence.js';
import { ignoreIndexOption } from './classes.js';

/**
 * The losses as modules, with PyTorch's class names (`sd.nn.CrossEntropyLoss`): options
 * in the constructor, `forward(input, target)` (or `call`, which also runs hooks).
 * Per-class weights are buffers, so they follow the module into its state dict.
 *
 * ```ts
 * const criterion = new sd.nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = criterion.call(model.call(x), y);
 * loss.backward();
 * ```
 */

/** The base of the loss modules: the checked reduction, shown by toString(). */
abstract class Loss<R extends string = Reduction> extends Module {
  readonly reduction: R;

  constructor(name: string, reduction: unknown, extra: readonly string[] = []) {
    super();
    this.reduction = checkReduction<R>(name, reduction ?? 'mean', extra);
  }

  abstract override forward(input: TensorLike, target: TensorLike): Tensor;

  override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }
}

/** Mean squared error as a module; see `sd.losses.mseLoss`. */
export class MSELoss extends Loss {
  constructor(options?: ReductionOptions) {
    super('MSELoss', optionsOf('MSELoss', options).reduction);
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error as a module; see `sd.losses.l1Loss`. */
export class L1Loss extends Loss {
  constructor(options?: ReductionOptions) {
    super('L1Loss', optionsOf('L1Loss', options).reduction);
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Huber loss as a module; see `sd.losses.huberLoss`. */
export class HuberLoss extends Loss {
  readonly delta: number;

  constructor(options?: HuberOptions) {
    const o = optionsOf('HuberLoss', options);
    super('HuberLoss', o.reduction);
    this.delta = numberOption('HuberLoss', 'delta', o.delta ?? 1, { value: 0, inclusive: false });
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Smooth L1 loss as a module; see `sd.losses.smoothL1Loss`. */
export class SmoothL1Loss extends Loss {
  readonly beta: number;

  constructor(options?: SmoothL1Options) {
    const o = optionsOf('SmoothL1Loss', options);
    super('SmoothL1Loss', o.reduction);
    this.beta = numberOption('SmoothL1Loss', 'beta', o.beta ?? 1, { value: 0, inclusive: true });
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Binary cross-entropy on probabilities as a module; see `sd.losses.binaryCrossEntropy`. */
export class BCELoss extends Loss {
  declare weight: Tensor | null;

  constructor(options?: BinaryCrossEntropyOptions) {
    const o = optionsOf('BCELoss', options);
    super('BCELoss', o.reduction);
    this.registerBuffer('weight', optionalTensor('BCELoss', 'weight', o.weight));
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight ?? undefined });
  }
}

/** Binary cross-entropy on logits as a module; see `sd.losses.binaryCrossEntropyWithLogits`. */
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare posWeight: Tensor | null;

  constructor(options?: BinaryCrossEntropyWithLogitsOptions) {
    const o = optionsOf('BCEWithLogitsLoss', options);
    super('BCEWithLogitsLoss', o.reduction);
    this.registerBuffer('weight', optionalTensor('BCEWithLogitsLoss', 'weight', o.weight));
    this.registerBuffer('posWeight', optionalTensor('BCEWithLogitsLoss', 'posWeight', o.posWeight));
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      reduction: this.reduction,
      weight: this.weight ?? undefined,
      posWeight: this.posWeight ?? undefined,
    });
  }
}

/** Cross-entropy of logits as a module; see `sd.losses.crossEntropy`. */
export class CrossEntropyLoss extends Loss {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  constructor(options?: CrossEntropyOptions) {
    const o = optionsOf('CrossEntropyLoss', options);
    super('CrossEntropyLoss', o.reduction);
    this.registerBuffer('weight', optionalTensor('CrossEntropyLoss', 'weight', o.weight));
    this.ignoreIndex = ignoreIndexOption('CrossEntropyLoss', o.ignoreIndex ?? -100);
    this.labelSmoothing = numberOption('CrossEntropyLoss', 'labelSmoothing', o.labelSmoothing ?? 0, { value: 0, inclusive: true });
    if (this.labelSmoothing > 1) {
      throw new ValueError(`CrossEntropyLoss: labelSmoothing must lie in [0, 1], got ${this.labelSmoothing}`);
    }
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return crossEntropy(input, target, {
      reduction: this.reduction,
      weight: this.weight ?? undefined,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
    });
  }

  override extraRepr(): string {
    const parts = [super.extraRepr()];
    if (this.ignoreIndex !== -100) parts.push(`ignore_index=${this.ignoreIndex}`);
    if (this.labelSmoothing !== 0) parts.push(`label_smoothing=${this.labelSmoothing}`);
    return parts.filter(Boolean).join(', ');
  }
}

/** Negative log-likelihood as a module; see `sd.losses.nllLoss`. */
export class NLLLoss extends Loss {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;

  constructor(options?: NLLLossOptions) {
    const o = optionsOf('NLLLoss', options);
    super('NLLLoss', o.reduction);
    this.registerBuffer('weight', optionalTensor('NLLLoss', 'weight', o.weight));
    this.ignoreIndex = ignoreIndexOption('NLLLoss', o.ignoreIndex ?? -100);
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, weight: this.weight ?? undefined, ignoreIndex: this.ignoreIndex });
  }
}

/** KL divergence as a module; see `sd.losses.klDiv` (input: log-probabilities). */
export class KLDivLoss extends Loss<Reduction | 'batchmean'> {
  readonly logTarget: boolean;

  constructor(options?: KLDivOptions) {
    const o = optionsOf('KLDivLoss', options);
    super('KLDivLoss', o.reduction, ['batchmean']);
    this.logTarget = o.logTarget ?? false;
  }

  forward(input: TensorLike, target: TensorLike): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

function optionalTensor(op: string, arg: string, value: TensorLike | undefined | null): Tensor | null {
  return value === undefined || value === null ? null : toTensor(value, op, arg);
}
