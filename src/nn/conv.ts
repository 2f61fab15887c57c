import type { FusedActivation } from '../ops/bias.js';
import { relu } from '../ops/activations.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { conv1d, conv2d } from '../ops/conv.js';
import { conv1dTranspose, conv2dTranspose } from '../ops/conv-transpose.js';
import { resolvePads } from '../ops/conv-args.js';
import { pad } from '../ops/pad.js';
import { squeeze, unsqueeze } from '../ops/reshape.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { linearDefaultInit_ } from './init.js';
import {
  asLayer,
  boolArg,
  choiceArg,
  dtypeArg,
  layerArgs,
  positiveInt,
  pyValue,
  sizeArg,
  spatialRank,
  tensorInput,
  tupleOf,
  type FloatDType,
} from './layer-utils.js';

/** A size per spatial axis: one number for all, or one per axis. */
export type Size2 = number | [number, number];

/** Constructor arguments of Conv2d (what `getConfig()` returns). */
export interface Conv2dConfig {
  inChannels: number;
  outChannels: number;
  kernelSize: Size2;
  /** Default 1. */
  stride?: Size2;
  /**
   * Zeros (or reflections) added on both sides of each spatial axis, or 'valid' (none) or
   * 'same' (output size = ceil(input / stride); for stride > 1 the extra row and column go
   * at the bottom and right, as TensorFlow). Default 0.
   */
  padding?: Size2 | 'valid' | 'same';
  /** Spacing between kernel taps. Default 1. */
  dilation?: Size2;
  /** Channel groups; inChannels and outChannels must both be divisible by it. Default 1. */
  groups?: number;
  /** Default true. */
  bias?: boolean;
  /** How padding is filled: 'zeros' (default) or 'reflect'. */
  paddingMode?: 'zeros' | 'reflect';
  /** 'NCHW' (default, PyTorch) or 'NHWC' (Keras) for the input and the output. */
  dataFormat?: 'NCHW' | 'NHWC';
  /** dtype of the parameters. Default 'float32'. */
  dtype?: FloatDType;
}

/** Constructor arguments of Conv1d: as Conv2d, with one spatial axis. */
export interface Conv1dConfig {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: number;
  padding?: number | 'valid' | 'same';
  dilation?: number;
  groups?: number;
  bias?: boolean;
  paddingMode?: 'zeros' | 'reflect';
  /** 'NCW' (default, PyTorch) or 'NWC' (Keras). */
  dataFormat?: 'NCW' | 'NWC';
  dtype?: FloatDType;
}

/** Constructor arguments of ConvTranspose2d (what `getConfig()` returns). */
export interface ConvTranspose2dConfig {
  inChannels: number;
  outChannels: number;
  kernelSize: Size2;
  /** Default 1. */
  stride?: Size2;
  /**
   * dilation·(kernelSize − 1) − padding zeros are added to each side of the input (PyTorch's
   * meaning: padding removes rows from the output). 'valid' and 'same' as Keras. Default 0.
   */
  padding?: Size2 | 'valid' | 'same';
  /** Extra rows/columns at the bottom/right of the output, each smaller than stride or dilation. Default 0. */
  outputPadding?: Size2;
  groups?: number;
  bias?: boolean;
  dilation?: Size2;
  dataFormat?: 'NCHW' | 'NHWC';
  dtype?: FloatDType;
}

/** Constructor arguments of ConvTranspose1d: as ConvTranspose2d, with one spatial axis. */
export interface ConvTranspose1dConfig {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: number;
  padding?: number | 'valid' | 'same';
  outputPadding?: number;
  groups?: number;
  bias?: boolean;
  dilation?: number;
  dataFormat?: 'NCW' | 'NWC';
  dtype?: FloatDType;
}

export type Conv2dOptions = Omit<Conv2dConfig, 'inChannels' | 'outChannels' | 'kernelSize'>;
export type Conv1dOptions = Omit<Conv1dConfig, 'inChannels' | 'outChannels' | 'kernelSize'>;
export type ConvTranspose2dOptions = Omit<ConvTranspose2dConfig, 'inChannels' | 'outChannels' | 'kernelSize'>;
export type ConvTranspose1dOptions = Omit<ConvTranspose1dConfig, 'inChannels' | 'outChannels' | 'kernelSize'>;

type AnyConvConfig = Conv2dConfig | Conv1dConfig | ConvTranspose2dConfig | ConvTranspose1dConfig;
type ConfigKey = keyof Conv2dConfig | keyof ConvTranspose2dConfig;

/** PyTorch's argument order; the first five may be given positionally. */
const CONV_KEYS: ConfigKey[] = ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'dataFormat', 'dtype'];
const TRANSPOSED_KEYS: ConfigKey[] = ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'dataFormat', 'dtype'];
const POSITIONAL = 5;

interface ConvKind {
  spatial: 1 | 2;
  transposed: boolean;
}

/**
 * What the convolution layers share (PyTorch's `_ConvNd`): argument checks, the weight
 * and its initialisation, input checks, unbatched inputs, printing and the config.
 */
abstract class ConvNd extends Module {
  /**
   * Applied in the bias pass (conv2d's `activation`): 'linear' for a PyTorch convolution;
   * the Keras convolution layer that wraps this module sets 'relu' for `activation: 'relu'`.
   */
  fusedActivation: FusedActivation = 'linear';

  readonly inChannels: number;
  readonly outChannels: number;
  /** Per spatial axis, as PyTorch stores them: kernelSize [3, 3] for a 3x3 kernel. */
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'valid' | 'same';
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: 'zeros' | 'reflect';
  readonly dataFormat: string;
  /** conv: [out, in/groups, ...kernel]; transposed: [in, out/groups, ...kernel]. */
  weight: Parameter;
  bias: Parameter | null;
  readonly #kind: ConvKind;

  protected constructor(kind: ConvKind, args: unknown[]) {
    super();
    this.#kind = kind;
    const name = new.target.name;
    const { spatial, transposed } = kind;
    const c = layerArgs<Conv2dConfig & ConvTranspose2dConfig>(name, args, transposed ? TRANSPOSED_KEYS : CONV_KEYS, POSITIONAL);
    this.inChannels = positiveInt(name, 'inChannels', c.inChannels);
    this.outChannels = positiveInt(name, 'outChannels', c.outChannels);
    const tuple = (arg: string, value: unknown, fallback?: number): number[] =>
      tupleOf(sizeArg(name, arg, (value ?? fallback) as Size2, spatial), spatial);
    this.kernelSize = tuple('kernelSize', c.kernelSize);
    this.stride = tuple('stride', c.stride, 1);
    this.dilation = tuple('dilation', c.dilation, 1);
    this.padding = paddingArg(name, c.padding ?? 0, spatial);
    this.outputPadding = transposed ? nonNegativeTuple(name, 'outputPadding', c.outputPadding ?? 0, spatial) : tupleOf(0, spatial);
    this.groups = positiveInt(name, 'groups', c.groups ?? 1);
    for (const [arg, count] of [['inChannels', this.inChannels], ['outChannels', this.outChannels]] as const) {
      if (count % this.groups !== 0) {
        throw new ValueError(`${name}: ${arg} (${count}) must be divisible by groups (${this.groups})`);
      }
    }
    this.paddingMode = transposed ? 'zeros' : choiceArg(name, 'paddingMode', c.paddingMode ?? 'zeros', ['zeros', 'reflect']);
    const formats = spatial === 2 ? ['NCHW', 'NHWC'] : ['NCW', 'NWC'];
    this.dataFormat = choiceArg(name, 'dataFormat', c.dataFormat ?? formats[0], formats);
    const bias = boolArg(name, 'bias', c.bias ?? true);
    const dtype = dtypeArg(name, c.dtype);
    const [a, b] = transposed ? [this.inChannels, this.outChannels] : [this.outChannels, this.inChannels];
    this.weight = new Parameter(zeros([a, b / this.groups, ...this.kernelSize], dtype));
    this.bias = bias ? new Parameter(zeros([this.outChannels], dtype)) : null;
    this.resetParameters();
  }

  /** Draws new initial values as PyTorch: W ~ kaimingUniform(a = √5), b ~ U(±1/√fanIn). */
  resetParameters(): void {
    linearDefaultInit_(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    const { spatial } = this.#kind;
    const label = `${this.constructor.name}(in_channels=${this.inChannels})`;
    const input = tensorInput(label, x);
    const channelsLast = this.dataFormat.endsWith('C');
    const batched = spatialRank(label, input, spatial, channelsLast);
    const channelAxis = channelsLast ? input.rank - 1 : batched ? 1 : 0;
    if (input.shape[channelAxis] !== this.inChannels) {
      throw new ShapeError(
        `${label}: input has ${input.shape[channelAxis]} channels on axis ${channelAxis}, expected ${this.inChannels} (input shape ${fmtShape(input.shape)})`,
      );
    }
    return asLayer(this, () => {
      const x4 = batched ? input : unsqueeze(input, 0);
      const y = this.#convolve(this.paddingMode === 'reflect' ? this.#reflect(x4) : x4);
      return batched ? y : squeeze(y, 0);
    });
  }

  #convolve(x: Tensor): Tensor {
    const { spatial, transposed } = this.#kind;
    const bias = this.bias ?? undefined;
    const padding = this.paddingMode === 'reflect' ? 'valid' : this.padding;
    const size = (t: number[]): any => (spatial === 1 ? t[0] : t);
    const pads = typeof padding === 'string' ? padding : size(padding);
    const options = { stride: size(this.stride), padding: pads, dilation: size(this.dilation), groups: this.groups, dataFormat: this.dataFormat as any };
    if (transposed) {
      const withOutput = { ...options, outputPadding: size(this.outputPadding) };
      const y = spatial === 2 ? conv2dTranspose(x, this.weight, bias, withOutput) : conv1dTranspose(x, this.weight, bias, withOutput);
      return this.fusedActivation === 'relu' ? relu(y) : y;
    }
    const fused = { ...options, activation: this.fusedActivation };
    return spatial === 2 ? conv2d(x, this.weight, bias, fused) : conv1d(x, this.weight, bias, fused);
  }

  /** Reflect padding is applied to the input, then the convolution runs without padding. */
  #reflect(x: Tensor): Tensor {
    const { spatial } = this.#kind;
    const first = this.dataFormat.endsWith('C') ? 1 : 2; // first spatial axis of the batched input
    const inSize = spatial === 2 ? [x.shape[first], x.shape[first + 1]] : [1, x.shape[first]];
    const lift = (t: number[]): number[] => (spatial === 2 ? t : [1, t[0]]);
    const spec = typeof this.padding === 'string' ? this.padding : spatial === 2 ? (this.padding as [number, number]) : [0, 0, this.padding[0], this.padding[0]];
    const [top, bottom, left, right] = resolvePads(this.constructor.name, spec as any, inSize, lift(this.kernelSize), lift(this.stride), lift(this.dilation));
    const pairs: [number, number][] = x.shape.map(() => [0, 0]);
    if (spatial === 2) pairs[first] = [top, bottom];
    pairs[first + spatial - 1] = [left, right];
    return pad(x, pairs, 'reflect');
  }

  getConfig(): AnyConvConfig {
    const { spatial, transposed } = this.#kind;
    const size = (t: number[]): any => (spatial === 1 ? t[0] : [...t]);
    const common = {
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: size(this.kernelSize),
      stride: size(this.stride),
      padding: typeof this.padding === 'string' ? this.padding : size(this.padding),
      dilation: size(this.dilation),
      groups: this.groups,
      bias: this.bias !== null,
      dataFormat: this.dataFormat as any,
      dtype: this.weight.dtype as FloatDType,
    };
    return transposed ? { ...common, outputPadding: size(this.outputPadding) } : { ...common, paddingMode: this.paddingMode };
  }

  /** As PyTorch: `Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))`. */
  override extraRepr(): string {
    const isAll = (t: number[], v: number): boolean => t.every((x) => x === v);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (!isAll(this.padding, 0)) s += `, padding=${pyValue(this.padding)}`;
    if (!isAll(this.dilation, 1)) s += `, dilation=${pyValue(this.dilation)}`;
    if (!isAll(this.outputPadding, 0)) s += `, output_padding=${pyValue(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    if (this.dataFormat.endsWith('C')) s += `, data_format=${this.dataFormat}`;
    return s;
  }
}

function nonNegativeTuple(layer: string, name: string, value: unknown, spatial: number): number[] {
  const list = typeof value === 'number' ? tupleOf(value, spatial) : Array.isArray(value) ? value : null;
  if (!list || list.length !== spatial || !list.every((v) => Number.isInteger(v) && v >= 0)) {
    const expected = spatial === 1 ? 'a non-negative integer' : `a non-negative integer or ${spatial} of them`;
    throw new ValueError(`${layer}: ${name} must be ${expected}, got ${Array.isArray(value) ? fmtShape(value) : String(value)}`);
  }
  return list;
}

function paddingArg(layer: string, value: unknown, spatial: number): number[] | 'valid' | 'same' {
  if (typeof value === 'string') return choiceArg(layer, 'padding', value, ['valid', 'same'] as const);
  return nonNegativeTuple(layer, 'padding', value, spatial);
}

/**
 * 2-D convolution layer, PyTorch's `nn.Conv2d`: out[n, o] = bias[o] + Σ_c weight[o, c] ⋆ x[n, c].
 *
 * Parameters: `weight` [outChannels, inChannels/groups, kH, kW], `bias` [outChannels].
 * Shapes: [N, C_in, H, W] (or unbatched [C_in, H, W]) → [N, C_out, H_out, W_out] with
 * H_out = floor((H + 2·padding − dilation·(kH − 1) − 1) / stride) + 1.
 *
 * ```ts
 * const conv = new sd.nn.Conv2d(1, 32, 5, 1, 2);            // in, out, kernel, stride, padding
 * conv.call(sd.randn([8, 1, 28, 28])).shape;                // [8,32,28,28]
 * new sd.nn.Conv2d(32, 64, 3, { padding: 'same', bias: false });
 * ```
 */
export class Conv2d extends ConvNd {
  constructor(config: Conv2dConfig);
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options?: Conv2dOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, stride: Size2, padding?: Conv2dConfig['padding'], options?: Conv2dOptions);
  constructor(...args: unknown[]) {
    super({ spatial: 2, transposed: false }, args);
  }

  override getConfig(): Conv2dConfig {
    return super.getConfig() as Conv2dConfig;
  }
}

/**
 * 1-D convolution layer over sequences, PyTorch's `nn.Conv1d`.
 *
 * Parameters: `weight` [outChannels, inChannels/groups, k], `bias` [outChannels].
 * Shapes: [N, C_in, L] (or unbatched [C_in, L]) → [N, C_out, L_out] with
 * L_out = floor((L + 2·padding − dilation·(k − 1) − 1) / stride) + 1.
 *
 * ```ts
 * new sd.nn.Conv1d(16, 33, 3, 2).call(sd.randn([20, 16, 50])).shape; // [20,33,24]
 * ```
 */
export class Conv1d extends ConvNd {
  constructor(config: Conv1dConfig);
  constructor(inChannels: number, outChannels: number, kernelSize: number, options?: Conv1dOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: number, stride: number, padding?: Conv1dConfig['padding'], options?: Conv1dOptions);
  constructor(...args: unknown[]) {
    super({ spatial: 1, transposed: false }, args);
  }

  override getConfig(): Conv1dConfig {
    return super.getConfig() as Conv1dConfig;
  }
}

/**
 * Transposed 2-D convolution layer ("deconvolution"), PyTorch's `nn.ConvTranspose2d`: the
 * gradient of Conv2d with respect to its input, used to upsample.
 *
 * Parameters: `weight` [inChannels, outChannels/groups, kH, kW], `bias` [outChannels].
 * Shapes: [N, C_in, H, W] (or unbatched) → [N, C_out, H_out, W_out] with
 * H_out = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1.
 *
 * ```ts
 * const up = new sd.nn.ConvTranspose2d(16, 8, 4, 2, 1);
 * up.call(sd.randn([1, 16, 7, 7])).shape; // [1,8,14,14]
 * ```
 */
export class ConvTranspose2d extends ConvNd {
  constructor(config: ConvTranspose2dConfig);
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options?: ConvTranspose2dOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, stride: Size2, padding?: ConvTranspose2dConfig['padding'], options?: ConvTranspose2dOptions);
  constructor(...args: unknown[]) {
    super({ spatial: 2, transposed: true }, args);
  }

  override getConfig(): ConvTranspose2dConfig {
    return super.getConfig() as ConvTranspose2dConfig;
  }
}

/**
 * Transposed 1-D convolution layer, PyTorch's `nn.ConvTranspose1d`.
 *
 * Parameters: `weight` [inChannels, outChannels/groups, k], `bias` [outChannels].
 * Shapes: [N, C_in, L] → [N, C_out, (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1].
 *
 * ```ts
 * new sd.nn.ConvTranspose1d(4, 3, 3, 2).call(sd.randn([2, 4, 10])).shape; // [2,3,21]
 * ```
 */
export class ConvTranspose1d extends ConvNd {
  constructor(config: ConvTranspose1dConfig);
  constructor(inChannels: number, outChannels: number, kernelSize: number, options?: ConvTranspose1dOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: number, stride: number, padding?: ConvTranspose1dConfig['padding'], options?: ConvTranspose1dOptions);
  constructor(...args: unknown[]) {
    super({ spatial: 1, transposed: true }, args);
  }

  override getConfig(): ConvTranspose1dConfig {
    return super.getConfig() as ConvTranspose1dConfig;
  }
}

