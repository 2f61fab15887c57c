import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { ones, zeros } from '../tensor/create.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchNorm, layerNorm } from '../ops/normalization.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { ones_, zeros_ } from './init.js';
import { asLayer, boolArg, dtypeArg, layerArgs, numberArg, positiveInt, pyFloat, pyValue, tensorInput, type FloatDType } from './layer-utils.js';

/** Constructor arguments of the batch-norm layers (what `getConfig()` returns). */
export interface BatchNormConfig {
  /** C, the number of channels. */
  numFeatures: number;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /**
   * Weight of each new batch in the running statistics: running = (1 − momentum)·running +
   * momentum·batch. null gives the cumulative average of all batches. Default 0.1.
   */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` and shift `bias`. Default true. */
  affine?: boolean;
  /** Keep running statistics for evaluation; without them batch statistics are used in both modes. Default true. */
  trackRunningStats?: boolean;
  /** The channel axis: 1 (default, PyTorch's [N,C,...]) or −1 (channels-last). */
  axis?: number;
  dtype?: FloatDType;
}

export type BatchNormOptions = Omit<BatchNormConfig, 'numFeatures'>;

const BATCH_NORM_KEYS: (keyof BatchNormConfig)[] = ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats', 'axis', 'dtype'];

/**
 * Batch normalization over the channel axis of an input of any rank ≥ 2 (the common part
 * of BatchNorm1d/2d/3d, which check the rank as PyTorch does).
 *
 * Training: each channel is normalized with the statistics of the batch (biased variance),
 * and the running statistics move toward them (running_var with the unbiased variance, as
 * PyTorch). Evaluation: the running statistics are used. Then y = x̂·weight + bias.
 *
 * State dict keys are PyTorch's: weight, bias, running_mean, running_var, num_batches_tracked.
 *
 * ```ts
 * const bn = new sd.nn.BatchNorm({ numFeatures: 16, axis: -1 }); // channels-last, any rank
 * ```
 */
export class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly axis: number;
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;

  constructor(config: BatchNormConfig);
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(...args: unknown[]) {
    super();
    const name = new.target.name;
    const c = layerArgs<BatchNormConfig>(name, args, BATCH_NORM_KEYS, 5);
    this.numFeatures = positiveInt(name, 'numFeatures', c.numFeatures);
    this.eps = numberArg(name, 'eps', c.eps ?? 1e-5, 'a number >= 0', (v) => v >= 0);
    this.momentum = c.momentum === null ? null : numberArg(name, 'momentum', c.momentum ?? 0.1, 'a number in [0, 1] or null', (v) => v >= 0 && v <= 1);
    this.affine = boolArg(name, 'affine', c.affine ?? true);
    this.trackRunningStats = boolArg(name, 'trackRunningStats', c.trackRunningStats ?? true);
    this.axis = c.axis ?? 1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`${name}: axis must be an integer, got ${String(c.axis)}`);
    const dtype = dtypeArg(name, c.dtype);
    const n = this.numFeatures;
    this.weight = this.affine ? new Parameter(ones([n], dtype)) : null;
    this.bias = this.affine ? new Parameter(zeros([n], dtype)) : null;
    const track = this.trackRunningStats;
    this.running_mean = this.registerBuffer('running_mean', track ? zeros([n], dtype) : null);
    this.running_var = this.registerBuffer('running_var', track ? ones([n], dtype) : null);
    this.num_batches_tracked = this.registerBuffer('num_batches_tracked', track ? zeros([], 'int32') : null);
  }

  /** PyTorch's `running_mean` under a camelCase name. */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }

  get runningVar(): Tensor | null {
    return this.running_var;
  }

  get numBatchesTracked(): number {
    return this.num_batches_tracked ? this.num_batches_tracked.values[0] : 0;
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    if (this.running_mean) zeros_(this.running_mean);
    if (this.running_var) ones_(this.running_var);
    if (this.num_batches_tracked) zeros_(this.num_batches_tracked);
  }

  /** Resets the running statistics, weight 1 and bias 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** Checks the rank of the input; BatchNorm1d/2d/3d narrow it. */
  protected checkRank(x: Tensor, label: string): void {
    if (x.rank < 2) throw new ShapeError(`${label}: expected an input with at least 2 dimensions [N,C,...], got shape ${fmtShape(x.shape)}`);
  }

  forward(x: Tensor): Tensor {
    const label = `${this.constructor.name}(num_features=${this.numFeatures})`;
    const input = tensorInput(label, x);
    this.checkRank(input, label);
    const axis = asLayer(this, () => normalizeAxis('batchNorm', this.axis, input.rank));
    if (input.shape[axis] !== this.numFeatures) {
      throw new ShapeError(
        `${label}: input has ${input.shape[axis]} channels on axis ${axis}, expected ${this.numFeatures} (input shape ${fmtShape(input.shape)})`,
      );
    }
    let factor = 0;
    if (this.training && this.num_batches_tracked) {
      this.num_batches_tracked.values[0] += 1;
      factor = this.momentum ?? 1 / this.num_batches_tracked.values[0];
    }
    // as PyTorch: batch statistics when training or when there are no running ones; the
    // running ones are updated only when training and tracking
    const useBatch = this.training || this.running_mean === null;
    const updateRunning = !this.training || this.trackRunningStats;
    return asLayer(this, () =>
      batchNorm(input, {
        runningMean: updateRunning ? this.running_mean : null,
        runningVar: updateRunning ? this.running_var : null,
        weight: this.weight,
        bias: this.bias,
        training: useBatch,
        momentum: factor,
        eps: this.eps,
        axis,
      }),
    );
  }

  getConfig(): Required<Omit<BatchNormConfig, 'momentum'>> & { momentum: number | null } {
    return {
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      trackRunningStats: this.trackRunningStats,
      axis: this.axis,
      dtype: (this.weight ?? this.running_mean)?.dtype === 'float64' ? 'float64' : 'float32',
    };
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloat(this.momentum);
    const axis = this.axis === 1 ? '' : `, axis=${this.axis}`;
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${pyValue(this.affine)}, ` +
      `track_running_stats=${pyValue(this.trackRunningStats)}${axis}`
    );
  }
}

function checkRanks(x: Tensor, label: string, ranks: number[], layouts: string): void {
  if (!ranks.includes(x.rank)) throw new ShapeError(`${label}: expected a ${layouts} input, got shape ${fmtShape(x.shape)}`);
}

/**
 * Batch normalization of [N, C] features or [N, C, L] sequences, PyTorch's `nn.BatchNorm1d`
 * (statistics per channel over N, or over N and L).
 *
 * ```ts
 * const bn = new sd.nn.BatchNorm1d(100);
 * bn.call(sd.randn([20, 100])).shape;   // [20,100]; running_mean moved toward the batch mean
 * bn.eval();                            // now normalizes with running_mean and running_var
 * ```
 */
export class BatchNorm1d extends BatchNorm {
  protected override checkRank(x: Tensor, label: string): void {
    checkRanks(x, label, [2, 3], '2-D [N,C] or 3-D [N,C,L]');
  }
}

/**
 * Batch normalization of [N, C, H, W] images, PyTorch's `nn.BatchNorm2d` (statistics per
 * channel over N, H and W).
 *
 * ```ts
 * const bn = new sd.nn.BatchNorm2d(32, { momentum: 0.01 });
 * bn.call(sd.randn([8, 32, 14, 14])).shape; // [8,32,14,14]
 * ```
 */
export class BatchNorm2d extends BatchNorm {
  protected override checkRank(x: Tensor, label: string): void {
    checkRanks(x, label, [4], '4-D [N,C,H,W]');
  }
}

/** Batch normalization of [N, C, D, H, W] volumes, PyTorch's `nn.BatchNorm3d`. */
export class BatchNorm3d extends BatchNorm {
  protected override checkRank(x: Tensor, label: string): void {
    checkRanks(x, label, [5], '5-D [N,C,D,H,W]');
  }
}

/** Constructor arguments of LayerNorm (what `getConfig()` returns). */
export interface LayerNormConfig {
  /** The trailing shape normalized over: [D] for the last axis, [H, W] for the last two. */
  normalizedShape: number | number[];
  /** Default 1e-5. */
  eps?: number;
  /** Learn an elementwise `weight` (and `bias`) of the normalized shape. Default true. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn the additive `bias`. Default true. */
  bias?: boolean;
  dtype?: FloatDType;
}

export type LayerNormOptions = Omit<LayerNormConfig, 'normalizedShape'>;

/**
 * Layer normalization, PyTorch's `nn.LayerNorm`: each sample is normalized over its last
 * axes (those of normalizedShape) with its own mean and biased variance, then scaled by
 * `weight` (ones) and shifted by `bias` (zeros), both of the normalized shape.
 *
 * Shapes: [..., *normalizedShape] → the same shape. Same computation in train and eval.
 *
 * ```ts
 * const ln = new sd.nn.LayerNorm(512);
 * ln.call(sd.randn([4, 10, 512])).shape; // [4,10,512]
 * new sd.nn.LayerNorm([10, 10], { elementwiseAffine: false });
 * ```
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(config: LayerNormConfig);
  constructor(normalizedShape: number | number[], options?: LayerNormOptions);
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<LayerNormConfig>('LayerNorm', args, ['normalizedShape', 'eps', 'elementwiseAffine', 'bias', 'dtype'], 3);
    const shape = typeof c.normalizedShape === 'number' ? [c.normalizedShape] : c.normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ValueError(`LayerNorm: normalizedShape must be a positive integer or a non-empty list of them, got ${JSON.stringify(c.normalizedShape)}`);
    }
    this.normalizedShape = [...shape];
    this.eps = numberArg('LayerNorm', 'eps', c.eps ?? 1e-5, 'a number >= 0', (v) => v >= 0);
    this.elementwiseAffine = boolArg('LayerNorm', 'elementwiseAffine', c.elementwiseAffine ?? true);
    const bias = boolArg('LayerNorm', 'bias', c.bias ?? true);
    const dtype = dtypeArg('LayerNorm', c.dtype);
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape, dtype)) : null;
    this.bias = this.elementwiseAffine && bias ? new Parameter(zeros(this.normalizedShape, dtype)) : null;
  }

  /** Weight 1, bias 0. */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  forward(x: Tensor): Tensor {
    const shape = this.normalizedShape;
    const label = `LayerNorm(${pyValue(shape)})`;
    const input = tensorInput(label, x);
    const k = shape.length;
    const tail = input.shape.slice(Math.max(0, input.rank - k));
    if (input.rank < k || tail.some((d, i) => d !== shape[i])) {
      throw new ShapeError(`${label}: expected an input of shape [*,${shape.join(',')}], got ${fmtShape(input.shape)}`);
    }
    return asLayer(this, () => layerNorm(input, shape, { weight: this.weight, bias: this.bias, eps: this.eps }));
  }

  getConfig(): Required<LayerNormConfig> {
    return {
      normalizedShape: [...this.normalizedShape],
      eps: this.eps,
      elementwiseAffine: this.elementwiseAffine,
      bias: !this.elementwiseAffine || this.bias !== null,
      dtype: this.weight?.dtype === 'float64' ? 'float64' : 'float32',
    };
  }

  override extraRepr(): string {
    return `${pyValue(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyValue(this.elementwiseAffine)}`;
  }
}
