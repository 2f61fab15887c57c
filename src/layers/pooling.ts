import type { Tensor } from '../tensor/tensor.js';
import { AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d } from '../nn/pooling.js';
import { reshape } from '../ops/reshape.js';
import { Layer, type InputSpec, type LayerArgs, type LayerConfig } from './layer.js';
import { convOutputLength, dataFormatArg, layoutAxes, opsFormat, paddingArg, tupleArg, type DataFormat } from './conv-utils.js';
import type { Shape } from './symbolic.js';
import { registerLayer } from './registry.js';

export interface PoolingArgs extends LayerArgs {
  /** Window size: one number, or one per spatial axis. Default 2. */
  poolSize?: number | number[];
  /** Step of the window; defaults to poolSize. */
  strides?: number | number[] | null;
  /** 'valid' (default) or 'same' (output size ceil(input / stride); padding never counts). */
  padding?: 'valid' | 'same';
  /** 'channelsLast' (default) or 'channelsFirst'. */
  dataFormat?: DataFormat;
}

/**
 * Max and average pooling over windows (Keras MaxPooling1D/2D, AveragePooling1D/2D),
 * running the nn pooling modules in the layer's layout. With 'same', average pooling
 * divides by the number of real (unpadded) cells, as Keras.
 */
abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  protected constructor(
    args: PoolingArgs,
    protected readonly spatial: 1 | 2,
    protected readonly kind: 'max' | 'avg',
  ) {
    super(args, ['poolSize', 'strides', 'padding', 'dataFormat']);
    const cls = this.className;
    this.poolSize = tupleArg(cls, 'poolSize', args.poolSize ?? 2, spatial);
    this.strides = args.strides === undefined || args.strides === null ? [...this.poolSize] : tupleArg(cls, 'strides', args.strides, spatial);
    this.padding = paddingArg(cls, args.padding);
    this.dataFormat = dataFormatArg(cls, args.dataFormat);
    const one = (t: number[]): any => (spatial === 1 ? t[0] : t);
    const config = { kernelSize: one(this.poolSize), stride: one(this.strides), padding: this.padding, dataFormat: opsFormat(this.dataFormat, spatial) as any };
    if (kind === 'max') this.module = spatial === 2 ? new MaxPool2d(config) : new MaxPool1d(config);
    else this.module = spatial === 2 ? new AvgPool2d({ ...config, countIncludePad: false }) : new AvgPool1d({ ...config, countIncludePad: false });
  }

  call(x: Tensor): Tensor {
    return this.module!.call(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { spatialAxes } = layoutAxes(this.dataFormat, this.spatial);
    const out = [...inputShape];
    spatialAxes.forEach((axis, i) => {
      out[axis] = convOutputLength(inputShape[axis], this.poolSize[i], this.padding, this.strides[i]);
    });
    return out;
  }

  protected override inputSpec(): InputSpec {
    return { rank: this.spatial + 2 };
  }

  override getConfig(): LayerConfig {
    const one = (t: number[]): number | number[] => (this.spatial === 1 ? t[0] : [...t]);
    return { ...super.getConfig(), poolSize: one(this.poolSize), strides: one(this.strides), padding: this.padding, dataFormat: this.dataFormat };
  }
}

/** Keras `MaxPooling2D`: the largest value of each window; (batch, H, W, C) → (batch, H', W', C). */
export class MaxPooling2D extends Pooling {
  static override readonly className: string = 'MaxPooling2D';
  constructor(args: PoolingArgs = {}) {
    super(args, 2, 'max');
  }
}

/** Keras `AveragePooling2D`: the mean of each window. */
export class AveragePooling2D extends Pooling {
  static override readonly className: string = 'AveragePooling2D';
  constructor(args: PoolingArgs = {}) {
    super(args, 2, 'avg');
  }
}

/** Keras `MaxPooling1D` over sequences (batch, steps, channels). */
export class MaxPooling1D extends Pooling {
  static override readonly className: string = 'MaxPooling1D';
  constructor(args: PoolingArgs = {}) {
    super(args, 1, 'max');
  }
}

/** Keras `AveragePooling1D` over sequences (batch, steps, channels). */
export class AveragePooling1D extends Pooling {
  static override readonly className: string = 'AveragePooling1D';
  constructor(args: PoolingArgs = {}) {
    super(args, 1, 'avg');
  }
}

export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: DataFormat;
}

/**
 * Global pooling (Keras GlobalAveragePooling1D/2D, GlobalMaxPooling1D/2D): the mean or
 * maximum of each channel over all positions, (batch, ..., C) → (batch, C); an nn
 * adaptive pool to size 1, flattened.
 */
abstract class GlobalPooling extends Layer {
  readonly dataFormat: DataFormat;

  protected constructor(
    args: GlobalPoolingArgs,
    protected readonly spatial: 1 | 2,
    kind: 'max' | 'avg',
  ) {
    super(args, ['dataFormat']);
    this.dataFormat = dataFormatArg(this.className, args.dataFormat);
    const config = { outputSize: 1, dataFormat: opsFormat(this.dataFormat, spatial) as any };
    if (kind === 'max') this.module = spatial === 2 ? new AdaptiveMaxPool2d(config) : new AdaptiveMaxPool1d(config);
    else this.module = spatial === 2 ? new AdaptiveAvgPool2d(config) : new AdaptiveAvgPool1d(config);
  }

  call(x: Tensor): Tensor {
    const { channel } = layoutAxes(this.dataFormat, this.spatial);
    return reshape(this.module!.call(x), [x.shape[0], x.shape[channel]]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], inputShape[layoutAxes(this.dataFormat, this.spatial).channel]];
  }

  protected override inputSpec(): InputSpec {
    return { rank: this.spatial + 2 };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/** Keras `GlobalAveragePooling2D`: (batch, H, W, C) → (batch, C), the mean of each channel. */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, 'avg');
  }
}

/** Keras `GlobalMaxPooling2D`: (batch, H, W, C) → (batch, C), the maximum of each channel. */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, 'max');
  }
}

/** Keras `GlobalAveragePooling1D`: (batch, steps, C) → (batch, C). */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, 'avg');
  }
}

/** Keras `GlobalMaxPooling1D`: (batch, steps, C) → (batch, C). */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, 'max');
  }
}

for (const cls of [MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalMaxPooling1D]) {
  registerLayer(cls);
}
