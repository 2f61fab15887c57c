/**
 * The options that Dense and the convolutions share: activation, bias, initializers and
 * regularizers of the kernel and the bias (Keras defaults: glorotUniform kernel, zero
 * bias, no regularizer).
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { activationName, fusableActivation, getActivation, type ActivationFn, type ActivationName } from './activation-fns.js';
import type { FusedActivation } from '../ops/bias.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import type { LayerConfig } from './layer.js';

export interface KernelArgs {
  /** Applied to the output: 'relu', 'softmax', ... Default 'linear' (none). */
  activation?: ActivationName | string;
  /** Learn an additive bias. Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
}

export const KERNEL_KEYS = ['activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer'] as const;

/** The resolved kernel options of one layer. */
export class KernelOptions {
  readonly activation: string;
  readonly activationFn: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  /** Whether the module runs the activation in its bias pass (fuseInto). */
  private fused = false;

  constructor(cls: string, args: KernelArgs) {
    const label = (what: string) => `${cls}: ${what}`;
    try {
      this.activation = activationName(args.activation);
      this.activationFn = getActivation(this.activation);
      this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', 'kernelInitializer');
      this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', 'biasInitializer');
      this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : null;
      this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
    } catch (err) {
      if (err instanceof ValueError) throw new ValueError(label(err.message));
      throw err;
    }
    this.useBias = args.useBias ?? true;
    if (typeof this.useBias !== 'boolean') throw new ValueError(label(`useBias must be true or false, got ${String(args.useBias)}`));
  }

  /** Fills a freshly made kernel and bias with the Keras initializers. */
  initialize(kernel: Tensor, bias: Tensor | null): void {
    this.kernelInitializer.apply(kernel);
    if (bias) this.biasInitializer.apply(bias);
  }

  /**
   * Hands the activation to the wrapped module's bias pass when it can run there (relu,
   * with a bias: sd.biasAdd), so that `activate` has nothing left to do.
   */
  fuseInto(module: { fusedActivation: FusedActivation; bias: Tensor | null }): void {
    const fused = module.bias ? fusableActivation(this.activationFn) : null;
    this.fused = fused !== null;
    module.fusedActivation = fused ?? 'linear';
  }

  /** The layer's activation of the module output, unless the module already applied it. */
  activate(y: Tensor): Tensor {
    return this.fused ? y : this.activationFn(y);
  }

  /** The regularization penalties of the current kernel and bias. */
  penalties(kernel: Tensor, bias: Tensor | null): Tensor[] {
    const out: Tensor[] = [];
    if (this.kernelRegularizer) out.push(this.kernelRegularizer.apply(kernel));
    if (this.biasRegularizer && bias) out.push(this.biasRegularizer.apply(bias));
    return out;
  }

  config(): LayerConfig {
    return {
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer ? serializeRegularizer(this.kernelRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serializeRegularizer(this.biasRegularizer) : null,
    };
  }
}

/** A required positive integer option (units, filters, ...). */
export function positiveIntArg(cls: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${cls}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
