import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from '../ops/pool.js';
import { adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool2d } from '../ops/adaptive-pool.js';
import { squeeze, unsqueeze } from '../ops/reshape.js';
import { Module } from './module.js';
import type { Size2 } from './conv.js';
import { asLayer, boolArg, choiceArg, layerArgs, layerLabel, pyValue, sizeArg, spatialRank, tensorInput, tupleOf } from './layer-utils.js';

/** Padding of a pooling window: a number (or one per axis), or 'valid' / 'same' as Keras. */
export type PoolPadding2 = Size2 | 'valid' | 'same';
export type PoolPadding1 = number | 'valid' | 'same';

/** Constructor arguments of MaxPool2d (what `getConfig()` returns). */
export interface MaxPool2dConfig {
  kernelSize: Size2;
  /** Step of the window. Default (or null): kernelSize. */
  stride?: Size2 | null;
  /** Implicit −∞ padding on both sides; at most half the kernel. Default 0. */
  padding?: PoolPadding2;
  dilation?: Size2;
  /** Ceil instead of floor in the output size. Default false. */
  ceilMode?: boolean;
  dataFormat?: 'NCHW' | 'NHWC';
}

/** Constructor arguments of AvgPool2d (what `getConfig()` returns). */
export interface AvgPool2dConfig {
  kernelSize: Size2;
  stride?: Size2 | null;
  /** Implicit zero padding on both sides. Default 0. */
  padding?: PoolPadding2;
  ceilMode?: boolean;
  /** Whether padded zeros count in the divisor. Default true. */
  countIncludePad?: boolean;
  dataFormat?: 'NCHW' | 'NHWC';
}

export interface MaxPool1dConfig {
  kernelSize: number;
  stride?: number | null;
  padding?: PoolPadding1;
  dilation?: number;
  ceilMode?: boolean;
  dataFormat?: 'NCW' | 'NWC';
}

export interface AvgPool1dConfig {
  kernelSize: number;
  stride?: number | null;
  padding?: PoolPadding1;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  dataFormat?: 'NCW' | 'NWC';
}

export type MaxPool2dOptions = Omit<MaxPool2dConfig, 'kernelSize' | 'stride' | 'padding'>;
export type AvgPool2dOptions = Omit<AvgPool2dConfig, 'kernelSize' | 'stride' | 'padding'>;
export type MaxPool1dOptions = Omit<MaxPool1dConfig, 'kernelSize' | 'stride' | 'padding'>;
export type AvgPool1dOptions = Omit<AvgPool1dConfig, 'kernelSize' | 'stride' | 'padding'>;

type AnyPoolConfig = MaxPool2dConfig & AvgPool2dConfig;

const MAX_KEYS: (keyof AnyPoolConfig)[] = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'dataFormat'];
const AVG_KEYS: (keyof AnyPoolConfig)[] = ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'dataFormat'];

/**
 * What every pooling layer shares: one batched or unbatched input (PyTorch takes both),
 * the channel layout, and op errors named after the layer.
 */
abstract class PoolNd extends Module {
  readonly dataFormat: string;
  protected readonly spatial: 1 | 2;

  protected constructor(spatial: 1 | 2, dataFormat: unknown) {
    super();
    this.spatial = spatial;
    const formats = spatial === 2 ? ['NCHW', 'NHWC'] : ['NCW', 'NWC'];
    this.dataFormat = choiceArg(new.target.name, 'dataFormat', dataFormat ?? formats[0], formats);
  }

  /** Pools a batched input. */
  protected abstract pool(x: Tensor): Tensor;

  forward(x: Tensor): Tensor {
    const label = layerLabel(this);
    const input = tensorInput(label, x);
    const batched = spatialRank(label, input, this.spatial, this.dataFormat.endsWith('C'));
    return asLayer(this, () => (batched ? this.pool(input) : squeeze(this.pool(unsqueeze(input, 0)), 0)));
  }
}

/** Max and average pooling over a sliding window. */
abstract class WindowPool extends PoolNd {
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: PoolPadding2;
  readonly dilation: Size2;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  protected readonly kind: 'max' | 'avg';

  protected constructor(kind: 'max' | 'avg', spatial: 1 | 2, args: unknown[]) {
    const name = new.target.name;
    const c = layerArgs<AnyPoolConfig>(name, args, kind === 'max' ? MAX_KEYS : AVG_KEYS, 3);
    super(spatial, c.dataFormat);
    this.kind = kind;
    this.kernelSize = sizeArg(name, 'kernelSize', c.kernelSize as Size2, spatial);
    this.stride = c.stride === undefined || c.stride === null ? this.kernelSize : sizeArg(name, 'stride', c.stride, spatial);
    this.padding = poolPadding(name, c.padding ?? 0, spatial);
    this.dilation = sizeArg(name, 'dilation', c.dilation ?? 1, spatial);
    this.ceilMode = boolArg(name, 'ceilMode', c.ceilMode ?? false);
    this.countIncludePad = boolArg(name, 'countIncludePad', c.countIncludePad ?? true);
  }

  protected pool(x: Tensor): Tensor {
    // the 1-D ops take plain numbers; a PyTorch-style (k,) tuple is unwrapped here
    const one = (v: Size2): any => (this.spatial === 1 && Array.isArray(v) ? v[0] : v);
    const padding = typeof this.padding === 'string' ? this.padding : one(this.padding);
    const options = { stride: one(this.stride), padding, ceilMode: this.ceilMode, dataFormat: this.dataFormat as any };
    const k = one(this.kernelSize);
    if (this.kind === 'max') {
      const withDilation = { ...options, dilation: one(this.dilation) };
      return this.spatial === 2 ? maxPool2d(x, k, withDilation) : maxPool1d(x, k, withDilation);
    }
    const withCount = { ...options, countIncludePad: this.countIncludePad };
    return this.spatial === 2 ? avgPool2d(x, k, withCount) : avgPool1d(x, k, withCount);
  }

  getConfig(): AnyPoolConfig | MaxPool1dConfig | AvgPool1dConfig {
    const copy = <T>(v: T): T => (Array.isArray(v) ? ([...v] as T) : v);
    const common = {
      kernelSize: copy(this.kernelSize),
      stride: copy(this.stride),
      padding: copy(this.padding),
      ceilMode: this.ceilMode,
      dataFormat: this.dataFormat as any,
    };
    return this.kind === 'max' ? { ...common, dilation: copy(this.dilation) } : { ...common, countIncludePad: this.countIncludePad };
  }

  override extraRepr(): string {
    const format = this.dataFormat.endsWith('C') ? `, data_format=${this.dataFormat}` : '';
    if (this.kind === 'max') {
      return (
        `kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}, padding=${pyValue(this.padding)}, ` +
        `dilation=${pyValue(this.dilation)}, ceil_mode=${pyValue(this.ceilMode)}${format}`
      );
    }
    // PyTorch's AvgPool1d stores its sizes as 1-tuples and prints them so
    const shown = (v: PoolPadding2): string => pyValue(this.spatial === 1 && typeof v === 'number' ? tupleOf(v, 1) : v);
    return `kernel_size=${shown(this.kernelSize)}, stride=${shown(this.stride)}, padding=${shown(this.padding)}${format}`;
  }
}

function poolPadding(layer: string, value: unknown, spatial: 1 | 2): PoolPadding2 {
  if (typeof value === 'string') return choiceArg(layer, 'padding', value, ['valid', 'same'] as const);
  const list = typeof value === 'number' ? [value] : Array.isArray(value) ? value : null;
  const ok = list !== null && (typeof value === 'number' || list.length === spatial) && list.every((v) => Number.isInteger(v) && v >= 0);
  if (!ok) {
    throw new ValueError(
      `${layer}: padding must be a non-negative integer${spatial === 2 ? ' or 2 of them' : ''}, 'valid' or 'same', got ${JSON.stringify(value)}`,
    );
  }
  return value as PoolPadding2;
}

/**
 * 2-D max pooling, PyTorch's `nn.MaxPool2d`: the largest value of each window.
 *
 * Shapes: [N, C, H, W] (or [C, H, W]) → [N, C, H_out, W_out] with
 * H_out = floor((H + 2·padding − dilation·(k − 1) − 1) / stride) + 1 (ceil with ceilMode).
 *
 * ```ts
 * new sd.nn.MaxPool2d(2).call(sd.randn([8, 32, 28, 28])).shape;     // [8,32,14,14]
 * new sd.nn.MaxPool2d(3, 2, 1);                                      // kernel, stride, padding
 * ```
 */
export class MaxPool2d extends WindowPool {
  constructor(config: MaxPool2dConfig);
  constructor(kernelSize: Size2, options?: MaxPool2dOptions);
  constructor(kernelSize: Size2, stride: Size2 | null, padding?: PoolPadding2, options?: MaxPool2dOptions);
  constructor(...args: unknown[]) {
    super('max', 2, args);
  }

  override getConfig(): MaxPool2dConfig {
    return super.getConfig() as MaxPool2dConfig;
  }
}

/**
 * 2-D average pooling, PyTorch's `nn.AvgPool2d`: the mean of each window.
 *
 * Shapes: as MaxPool2d.
 *
 * ```ts
 * new sd.nn.AvgPool2d(2).call(sd.randn([8, 32, 28, 28])).shape;     // [8,32,14,14]
 * new sd.nn.AvgPool2d(3, 1, 1, { countIncludePad: false });
 * ```
 */
export class AvgPool2d extends WindowPool {
  constructor(config: AvgPool2dConfig);
  constructor(kernelSize: Size2, options?: AvgPool2dOptions);
  constructor(kernelSize: Size2, stride: Size2 | null, padding?: PoolPadding2, options?: AvgPool2dOptions);
  constructor(...args: unknown[]) {
    super('avg', 2, args);
  }

  override getConfig(): AvgPool2dConfig {
    return super.getConfig() as AvgPool2dConfig;
  }
}

/**
 * 1-D max pooling over sequences, PyTorch's `nn.MaxPool1d`: [N, C, L] (or [C, L]) → [N, C, L_out].
 *
 * ```ts
 * new sd.nn.MaxPool1d(2).call(sd.randn([2, 4, 10])).shape; // [2,4,5]
 * ```
 */
export class MaxPool1d extends WindowPool {
  constructor(config: MaxPool1dConfig);
  constructor(kernelSize: number, options?: MaxPool1dOptions);
  constructor(kernelSize: number, stride: number | null, padding?: PoolPadding1, options?: MaxPool1dOptions);
  constructor(...args: unknown[]) {
    super('max', 1, args);
  }

  override getConfig(): MaxPool1dConfig {
    return super.getConfig() as MaxPool1dConfig;
  }
}

/**
 * 1-D average pooling over sequences, PyTorch's `nn.AvgPool1d`: [N, C, L] (or [C, L]) → [N, C, L_out].
 *
 * ```ts
 * new sd.nn.AvgPool1d(3, 1, 1).call(sd.randn([2, 4, 10])).shape; // [2,4,10]
 * ```
 */
export class AvgPool1d extends WindowPool {
  constructor(config: AvgPool1dConfig);
  constructor(kernelSize: number, options?: AvgPool1dOptions);
  constructor(kernelSize: number, stride: number | null, padding?: PoolPadding1, options?: AvgPool1dOptions);
  constructor(...args: unknown[]) {
    super('avg', 1, args);
  }

  override getConfig(): AvgPool1dConfig {
    return super.getConfig() as AvgPool1dConfig;
  }
}

/** Output size of an adaptive 2-D pool: one number for both axes, or per axis (null keeps the input's). */
export type AdaptiveSize2 = number | [number | null, number | null];

export interface AdaptivePool2dConfig {
  outputSize: AdaptiveSize2;
  dataFormat?: 'NCHW' | 'NHWC';
}

export interface AdaptivePool1dConfig {
  outputSize: number;
  dataFormat?: 'NCW' | 'NWC';
}

/** Pools any input size to a fixed output size (PyTorch's window rule). */
abstract class AdaptivePool extends PoolNd {
  readonly outputSize: AdaptiveSize2;
  readonly #kind: 'max' | 'avg';

  protected constructor(kind: 'max' | 'avg', spatial: 1 | 2, args: unknown[]) {
    const name = new.target.name;
    const c = layerArgs<AdaptivePool2dConfig>(name, args, ['outputSize', 'dataFormat'], 1);
    super(spatial, c.dataFormat);
    this.#kind = kind;
    const size = c.outputSize;
    const ok = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;
    const valid = ok(size) || (spatial === 2 && Array.isArray(size) && size.length === 2 && size.every((v) => v === null || ok(v)));
    if (!valid) {
      const expected = spatial === 2 ? 'a positive integer or a pair of them (null keeps that input size)' : 'a positive integer';
      throw new ValueError(`${name}: outputSize must be ${expected}, got ${JSON.stringify(size)}`);
    }
    this.outputSize = Array.isArray(size) ? [size[0], size[1]] : (size as number);
  }

  protected pool(x: Tensor): Tensor {
    const options = { dataFormat: this.dataFormat as any };
    if (this.spatial === 1) {
      const size = this.outputSize as number;
      return this.#kind === 'avg' ? adaptiveAvgPool1d(x, size, options) : adaptiveMaxPool1d(x, size, options);
    }
    return this.#kind === 'avg' ? adaptiveAvgPool2d(x, this.outputSize, options) : adaptiveMaxPool2d(x, this.outputSize, options);
  }

  getConfig(): AdaptivePool2dConfig | AdaptivePool1dConfig {
    const size = Array.isArray(this.outputSize) ? ([...this.outputSize] as AdaptiveSize2) : this.outputSize;
    return { outputSize: size, dataFormat: this.dataFormat as any } as AdaptivePool2dConfig;
  }

  override extraRepr(): string {
    const format = this.dataFormat.endsWith('C') ? `, data_format=${this.dataFormat}` : '';
    return `output_size=${pyValue(this.outputSize)}${format}`;
  }
}

/**
 * Adaptive 2-D average pooling, PyTorch's `nn.AdaptiveAvgPool2d`: [N, C, H, W] → [N, C, oH, oW]
 * for any H, W; output cell i averages rows [floor(i·H/oH), ceil((i+1)·H/oH)).
 *
 * ```ts
 * new sd.nn.AdaptiveAvgPool2d(1).call(sd.randn([8, 512, 7, 7])).shape;      // [8,512,1,1]
 * new sd.nn.AdaptiveAvgPool2d([5, null]).call(sd.randn([1, 3, 10, 9])).shape; // [1,3,5,9]
 * ```
 */
export class AdaptiveAvgPool2d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize2, options?: Omit<AdaptivePool2dConfig, 'outputSize'>);
  constructor(config: AdaptivePool2dConfig);
  constructor(...args: unknown[]) {
    super('avg', 2, args);
  }

  override getConfig(): AdaptivePool2dConfig {
    return super.getConfig() as AdaptivePool2dConfig;
  }
}

/** Adaptive 2-D max pooling, PyTorch's `nn.AdaptiveMaxPool2d` (windows as AdaptiveAvgPool2d). */
export class AdaptiveMaxPool2d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize2, options?: Omit<AdaptivePool2dConfig, 'outputSize'>);
  constructor(config: AdaptivePool2dConfig);
  constructor(...args: unknown[]) {
    super('max', 2, args);
  }

  override getConfig(): AdaptivePool2dConfig {
    return super.getConfig() as AdaptivePool2dConfig;
  }
}

/** Adaptive 1-D average pooling, PyTorch's `nn.AdaptiveAvgPool1d`: [N, C, L] → [N, C, outputSize]. */
export class AdaptiveAvgPool1d extends AdaptivePool {
  constructor(outputSize: number, options?: Omit<AdaptivePool1dConfig, 'outputSize'>);
  constructor(config: AdaptivePool1dConfig);
  constructor(...args: unknown[]) {
    super('avg', 1, args);
  }

  override getConfig(): AdaptivePool1dConfig {
    return super.getConfig() as AdaptivePool1dConfig;
  }
}

/** Adaptive 1-D max pooling, PyTorch's `nn.AdaptiveMaxPool1d`: [N, C, L] → [N, C, outputSize]. */
export class AdaptiveMaxPool1d extends AdaptivePool {
  constructor(outputSize: number, options?: Omit<AdaptivePool1dConfig, 'outputSize'>);
  constructor(config: AdaptivePool1dConfig);
  constructor(...args: unknown[]) {
    super('max', 1, args);
  }

  override getConfig(): AdaptivePool1dConfig {
    return super.getConfig() as AdaptivePool1dConfig;
  }
}
