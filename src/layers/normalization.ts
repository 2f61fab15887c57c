import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { BatchNorm, LayerNorm } from '../nn/norm.js';
import { Layer, knownAxis, type InputSpec, type LayerArgs, type LayerConfig } from './layer.js';
import type { Shape } from './symbolic.js';
import { registerLayer } from './registry.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature (channel) axis. Default -1 (channels last). */
  axis?: number;
  /** Keras' momentum of the moving statistics: moving = momentum·moving + (1 − momentum)·batch. Default 0.99. */
  momentum?: number;
  /** Added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Learn the shift beta. Default true (must equal scale). */
  center?: boolean;
  /** Learn the scale gamma. Default true (must equal center). */
  scale?: boolean;
}

/**
 * Keras `BatchNormalization`: normalizes each feature with the batch statistics in
 * training and the moving statistics in inference, then scales by gamma and shifts by
 * beta. An nn.BatchNorm on `axis` with PyTorch momentum 1 − momentum. The moving variance
 * follows the unbiased batch variance (the nn module's rule; Keras uses the biased one, a
 * factor n/(n − 1) apart, which vanishes for real batch sizes).
 *
 * Parameters: gamma and beta (trainable), moving mean and variance (non-trainable), C each.
 *
 * ```ts
 * sd.layers.batchNormalization();                 // after a conv2d in NHWC
 * sd.layers.batchNormalization({ momentum: 0.9 });
 * ```
 */
export class BatchNormalization extends Layer {
  static override readonly className: string = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  declare module: BatchNorm | null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, ['axis', 'momentum', 'epsilon', 'center', 'scale']);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    if (!Number.isInteger(this.axis)) throw new ValueError(`BatchNormalization: axis must be an integer, got ${JSON.stringify(args.axis)}`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new ValueError(`BatchNormalization: momentum must be in [0, 1], got ${args.momentum}`);
    if (!(this.epsilon >= 0)) throw new ValueError(`BatchNormalization: epsilon must be >= 0, got ${args.epsilon}`);
    if (this.center !== (args.scale ?? true)) {
      throw new ValueError(`BatchNormalization: center and scale must both be true or both false (the normalization learns both or neither)`);
    }
  }

  protected override build(inputShape: Shape): void {
    const features = knownAxis(this.label, inputShape, this.axis, 'feature axis');
    this.module = new BatchNorm({
      numFeatures: features,
      eps: this.epsilon,
      momentum: 1 - this.momentum,
      affine: this.center,
      axis: this.axis,
      dtype: this.dtype,
    });
  }

  call(x: Tensor): Tensor {
    return this.module!.call(x);
  }

  protected override inputSpec(): InputSpec {
    return { minRank: 2, axes: { [this.axis]: this.module!.numFeatures } };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.center };
  }
}

export interface LayerNormalizationArgs extends LayerArgs {
  /** Only the last axis (-1, the default) is supported. */
  axis?: number;
  /** Default 1e-3. */
  epsilon?: number;
  /** Learn beta and gamma. Default true (must equal scale). */
  center?: boolean;
  scale?: boolean;
}

/**
 * Keras `LayerNormalization`: normalizes each sample over its last axis, then scales and
 * shifts; the same in training and inference. An nn.LayerNorm.
 *
 * ```ts
 * sd.layers.layerNormalization({ epsilon: 1e-6 });
 * ```
 */
export class LayerNormalization extends Layer {
  static override readonly className: string = 'LayerNormalization';
  readonly epsilon: number;
  readonly center: boolean;
  declare module: LayerNorm | null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, ['axis', 'epsilon', 'center', 'scale']);
    if ((args.axis ?? -1) !== -1) throw new ValueError(`LayerNormalization: only axis -1 (the last axis) is supported, got ${JSON.stringify(args.axis)}`);
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    if (this.center !== (args.scale ?? true)) {
      throw new ValueError(`LayerNormalization: center and scale must both be true or both false`);
    }
  }

  protected override build(inputShape: Shape): void {
    const features = knownAxis(this.label, inputShape, -1, 'last axis');
    this.module = new LayerNorm(features, { eps: this.epsilon, elementwiseAffine: this.center, dtype: this.dtype });
  }

  call(x: Tensor): Tensor {
    return this.module!.call(x);
  }

  protected override inputSpec(): InputSpec {
    return { minRank: 2, axes: { [-1]: this.module!.normalizedShape[0] } };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: -1, epsilon: this.epsilon, center: this.center, scale: this.center };
  }
}

registerLayer(BatchNormalization);
registerLayer(LayerNormalization);
