import type { FusedActivation } from '../ops/bias.js';
import { ShapeError, fmtShape } from '../errors.js';
import { zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { linear } from '../ops/linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { linearDefaultInit_ } from './init.js';
import { asLayer, boolArg, dtypeArg, layerArgs, positiveInt, pyValue, tensorInput, type FloatDType } from './layer-utils.js';

/** Constructor arguments of Linear (what `getConfig()` returns). */
export interface LinearConfig {
  /** Size of each input sample (the last axis of the input). */
  inFeatures: number;
  /** Size of each output sample. */
  outFeatures: number;
  /** Learn an additive bias. Default true. */
  bias?: boolean;
  /** dtype of the parameters. Default 'float32'. */
  dtype?: FloatDType;
}

export type LinearOptions = Omit<LinearConfig, 'inFeatures' | 'outFeatures'>;

const LINEAR_KEYS = ['inFeatures', 'outFeatures', 'bias', 'dtype'] as const;

/**
 * Fully connected layer, PyTorch's `nn.Linear`: y = x·Wᵀ + b.
 *
 * Parameters: `weight` [outFeatures, inFeatures] and `bias` [outFeatures], initialised as
 * PyTorch does: W ~ kaimingUniform(a = √5), that is U(−1/√in, 1/√in), and b ~ U(−1/√in, 1/√in).
 * Shapes: [..., inFeatures] → [..., outFeatures].
 *
 * ```ts
 * const fc = new sd.nn.Linear(784, 128);
 * fc.call(sd.randn([32, 784])).shape;                  // [32,128]
 * new sd.nn.Linear(784, 10, { bias: false });
 * new sd.nn.Linear(fc.getConfig());                     // the same architecture
 * ```
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;
  /**
   * Applied in the bias pass (sd.linear's `activation`): 'linear' for a PyTorch Linear;
   * the Keras Dense layer that wraps this module sets 'relu' for `activation: 'relu'`.
   */
  fusedActivation: FusedActivation = 'linear';

  constructor(config: LinearConfig);
  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions);
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<LinearConfig>('Linear', args, LINEAR_KEYS, 2);
    this.inFeatures = positiveInt('Linear', 'inFeatures', c.inFeatures);
    this.outFeatures = positiveInt('Linear', 'outFeatures', c.outFeatures);
    const bias = boolArg('Linear', 'bias', c.bias ?? true);
    const dtype = dtypeArg('Linear', c.dtype);
    this.weight = new Parameter(zeros([this.outFeatures, this.inFeatures], dtype));
    this.bias = bias ? new Parameter(zeros([this.outFeatures], dtype)) : null;
    this.resetParameters();
  }

  /** Draws new initial values, as at construction. */
  resetParameters(): void {
    linearDefaultInit_(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    const input = tensorInput(`Linear(in_features=${this.inFeatures})`, x);
    const features = input.rank === 0 ? undefined : input.shape[input.rank - 1];
    if (features !== this.inFeatures) {
      const got = features === undefined ? 'is a scalar' : `has ${features} features in its last dimension`;
      throw new ShapeError(`Linear(in_features=${this.inFeatures}): input ${got}, expected ${this.inFeatures} (input shape ${fmtShape(input.shape)})`);
    }
    return asLayer(this, () => linear(input, this.weight, this.bias ?? undefined, { activation: this.fusedActivation }));
  }

  getConfig(): Required<LinearConfig> {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null, dtype: this.weight.dtype as FloatDType };
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyValue(this.bias !== null)}`;
  }
}
