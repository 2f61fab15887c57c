/**
 * Weight regularizers, `sd.regularizers` (TensorFlow.js names): a penalty on a layer's
 * weights that fit adds to the loss at every step.
 *
 * Rule: penalty = l1·Σ|w| + l2·Σw².
 *
 * ```ts
 * sd.layers.dense({ units: 64, kernelRegularizer: sd.regularizers.l2({ l2: 1e-4 }) });
 * sd.layers.dense({ units: 64, kernelRegularizer: 'l1l2' });   // l1 = l2 = 0.01
 * ```
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { abs, square } from '../ops/unary.js';
import type { LayerConfig } from './layer.js';

/** A penalty on a weight tensor. */
export abstract class Regularizer {
  abstract apply(x: Tensor): Tensor;
  abstract getConfig(): LayerConfig;
  get className(): string {
    return this.constructor.name;
  }
}

/** l1·Σ|w| + l2·Σw² (Keras' L1L2; l1 and l2 are its special cases). */
export class L1L2 extends Regularizer {
  readonly l1: number;
  readonly l2: number;

  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = factor('l1', args.l1 ?? 0);
    this.l2 = factor('l2', args.l2 ?? 0);
  }

  apply(x: Tensor): Tensor {
    const l1 = this.l1 === 0 ? null : mul(sum(abs(x)), this.l1);
    const l2 = this.l2 === 0 ? null : mul(sum(square(x)), this.l2);
    if (l1 && l2) return add(l1, l2);
    return l1 ?? l2 ?? mul(sum(x), 0);
  }

  getConfig(): LayerConfig {
    return { l1: this.l1, l2: this.l2 };
  }
}

function factor(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`regularizer: ${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}

/** L1 penalty l1·Σ|w|; default l1 = 0.01. */
export function l1(args: { l1?: number } = {}): Regularizer {
  return new L1L2({ l1: args.l1 ?? 0.01 });
}

/** L2 penalty l2·Σw²; default l2 = 0.01. */
export function l2(args: { l2?: number } = {}): Regularizer {
  return new L1L2({ l2: args.l2 ?? 0.01 });
}

/** Both penalties; defaults l1 = l2 = 0.01. */
export function l1l2(args: { l1?: number; l2?: number } = {}): Regularizer {
  return new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 });
}

/** A regularizer given by name ('l1', 'l2', 'l1l2'), as `{className, config}`, or as an object. */
export type RegularizerIdentifier = string | Regularizer | { className: string; config?: LayerConfig };

export function getRegularizer(id: RegularizerIdentifier): Regularizer {
  if (id instanceof Regularizer) return id;
  if (typeof id === 'string') {
    const make = ({ l1, l2, l1l2, l1_l2: l1l2 } as Record<string, () => Regularizer>)[id];
    if (!make) throw new ValueError(`unknown regularizer '${id}'; valid: l1, l2, l1l2`);
    return make();
  }
  if (id && typeof id === 'object' && (id.className === 'L1L2' || id.className === 'L1' || id.className === 'L2')) {
    return new L1L2(id.config as { l1?: number; l2?: number });
  }
  throw new ValueError(`unknown regularizer ${JSON.stringify(id)}; give 'l1', 'l2', 'l1l2' or sd.regularizers.l2({ l2: 1e-4 })`);
}

/** `{className, config}` of a regularizer, for layer configs. */
export function serializeRegularizer(r: Regularizer): LayerConfig {
  return { className: r.className, config: r.getConfig() };
}
