import type { Tensor } from '../tensor/tensor.js';
import { Conv1d, Conv2d, ConvTranspose2d } from '../nn/conv.js';
import { Layer, knownAxis, type InputSpec, type LayerArgs, type LayerConfig } from './layer.js';
import { KERNEL_KEYS, KernelOptions, positiveIntArg, type KernelArgs } from './kernel-args.js';
import { convOutputLength, dataFormatArg, deconvOutputLength, layoutAxes, opsFormat, paddingArg, tupleArg, type DataFormat } from './conv-utils.js';
import type { Shape } from './symbolic.js';
import { registerLayer } from './registry.js';

export interface ConvArgs extends LayerArgs, KernelArgs {
  /** Number of output channels. */
  filters: number;
  /** Window size: one number, or one per spatial axis. */
  kernelSize: number | number[];
  /** Default 1. */
  strides?: number | number[];
  /** 'valid' (default, no padding) or 'same' (output size ceil(input / stride)). */
  padding?: 'valid' | 'same';
  /** 'channelsLast' (default, NHWC / NWC) or 'channelsFirst'. */
  dataFormat?: DataFormat;
  /** Spacing between kernel taps. Default 1. */
  dilationRate?: number | number[];
}

export interface Conv2DArgs extends ConvArgs {
  /** Channel groups (grouped and depthwise convolutions). Default 1. */
  groups?: number;
}

const CONV_KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', ...KERNEL_KEYS];

/**
 * What the Keras convolutions share: options, the kernel module made at build (an
 * nn.Conv1d/Conv2d/ConvTranspose2d in the layer's layout, kernel [out, in/groups, ...k]
 * or [in, out, ...k] transposed), Keras initializers, shapes and configs.
 */
abstract class ConvBase extends Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly groups: number;
  readonly kernel: KernelOptions;
  declare module: Conv1d | Conv2d | ConvTranspose2d | null;

  protected constructor(
    args: Conv2DArgs,
    protected readonly spatial: 1 | 2,
    protected readonly transposed: boolean,
  ) {
    super(args, spatial === 2 && !transposed ? [...CONV_KEYS, 'groups'] : CONV_KEYS);
    const cls = this.className;
    this.filters = positiveIntArg(cls, 'filters', args.filters);
    this.kernelSize = tupleArg(cls, 'kernelSize', args.kernelSize, spatial);
    this.strides = tupleArg(cls, 'strides', args.strides ?? 1, spatial);
    this.padding = paddingArg(cls, args.padding);
    this.dataFormat = dataFormatArg(cls, args.dataFormat);
    this.dilationRate = tupleArg(cls, 'dilationRate', args.dilationRate ?? 1, spatial);
    this.groups = positiveIntArg(cls, 'groups', args.groups ?? 1);
    this.kernel = new KernelOptions(cls, args);
  }

  protected override build(inputShape: Shape): void {
    const { channel } = layoutAxes(this.dataFormat, this.spatial);
    const channels = knownAxis(this.label, inputShape, channel, 'channel axis');
    const one = (t: number[]): any => (this.spatial === 1 ? t[0] : t);
    const config = {
      inChannels: channels,
      outChannels: this.filters,
      kernelSize: one(this.kernelSize),
      stride: one(this.strides),
      padding: this.padding,
      dilation: one(this.dilationRate),
      bias: this.kernel.useBias,
      dataFormat: opsFormat(this.dataFormat, this.spatial) as any,
      dtype: this.dtype,
    };
    // Keras' output size H·s + max(span − s, 0) ('valid') or H·s ('same') needs these extra rows when s > span
    const extra = this.kernelSize.map((k, i) => Math.max(0, this.strides[i] - (this.dilationRate[i] * (k - 1) + 1)));
    if (this.transposed) this.module = new ConvTranspose2d({ ...config, outputPadding: extra as [number, number] });
    else if (this.spatial === 2) this.module = new Conv2d({ ...config, groups: this.groups });
    else this.module = new Conv1d(config);
    this.kernel.initialize(this.module.weight, this.module.bias);
    if (!this.transposed) this.kernel.fuseInto(this.module);
  }

  call(x: Tensor): Tensor {
    return this.kernel.activate(this.module!.call(x));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { channel, spatialAxes } = layoutAxes(this.dataFormat, this.spatial);
    const out = [...inputShape];
    const length = this.transposed ? deconvOutputLength : convOutputLength;
    spatialAxes.forEach((axis, i) => {
      out[axis] = length(inputShape[axis], this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]);
    });
    out[channel] = this.filters;
    return out;
  }

  protected override inputSpec(): InputSpec {
    const { channel } = layoutAxes(this.dataFormat, this.spatial);
    return { rank: this.spatial + 2, axes: { [channel]: this.module!.inChannels } };
  }

  override regularizationLosses(): Tensor[] {
    return this.module ? this.kernel.penalties(this.module.weight, this.module.bias) : [];
  }

  override getConfig(): LayerConfig {
    const one = (t: number[]): number | number[] => (this.spatial === 1 ? t[0] : [...t]);
    const config: LayerConfig = {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: one(this.kernelSize),
      strides: one(this.strides),
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: one(this.dilationRate),
      ...this.kernel.config(),
    };
    if (this.spatial === 2 && !this.transposed) config.groups = this.groups;
    return config;
  }
}

/**
 * 2-D convolution (Keras `Conv2D`) over images (batch, height, width, channels) by
 * default. Runs an nn.Conv2d in NHWC; the kernel is [filters, channels/groups, kH, kW].
 *
 * Shapes: (batch, H, W, C) → (batch, H', W', filters), H' = ceil(H / s) with 'same',
 * floor((H − dilation·(k − 1) − 1) / s) + 1 with 'valid'. Parameters: k·k·C·filters + filters.
 *
 * ```ts
 * sd.layers.conv2d({ filters: 32, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] });
 * ```
 */
export class Conv2D extends ConvBase {
  static override readonly className: string = 'Conv2D';
  constructor(args: Conv2DArgs) {
    super(args, 2, false);
  }
}

/**
 * 1-D convolution (Keras `Conv1D`) over sequences (batch, steps, channels); an nn.Conv1d
 * in NWC with kernel [filters, channels, k].
 *
 * ```ts
 * sd.layers.conv1d({ filters: 16, kernelSize: 3, inputShape: [100, 8] }); // (None, 98, 16)
 * ```
 */
export class Conv1D extends ConvBase {
  static override readonly className: string = 'Conv1D';
  constructor(args: ConvArgs) {
    super(args, 1, false);
  }
}

/**
 * Transposed 2-D convolution (Keras `Conv2DTranspose`), the gradient of a convolution,
 * used to upsample; an nn.ConvTranspose2d in NHWC with kernel [channels, filters, kH, kW].
 *
 * Shapes: (batch, H, W, C) → (batch, H·s, W·s, filters) with 'same';
 * H·s + max(k − s, 0) with 'valid'.
 *
 * ```ts
 * sd.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }); // 7x7 → 14x14
 * ```
 */
export class Conv2DTranspose extends ConvBase {
  static override readonly className: string = 'Conv2DTranspose';
  constructor(args: ConvArgs) {
    super(args, 2, true);
  }
}

registerLayer(Conv2D);
registerLayer(Conv1D);
registerLayer(Conv2DTranspose);
