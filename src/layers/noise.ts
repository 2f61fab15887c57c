import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { randn } from '../tensor/create.js';
import { Dropout as DropoutModule } from '../nn/dropout.js';
import { add, mul } from '../ops/arithmetic.js';
import { Layer, type LayerArgs, type LayerCallArgs, type LayerConfig } from './layer.js';
import { registerLayer } from './registry.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
}

/**
 * Keras `Dropout`: in training, zeroes each input with probability `rate` and scales the
 * others by 1/(1 − rate); in inference (evaluate, predict) it passes its input through.
 * An nn.Dropout; masks come from the generator seeded by `sd.seed`.
 *
 * ```ts
 * sd.layers.dropout({ rate: 0.2 });
 * ```
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  declare module: DropoutModule;

  constructor(args: DropoutArgs) {
    super(args, ['rate']);
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new ValueError(`Dropout: rate must be a number in [0, 1), got ${JSON.stringify(args.rate)}`);
    }
    this.rate = args.rate;
    this.module = new DropoutModule(this.rate);
  }

  call(x: Tensor): Tensor {
    return this.module.call(x);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate };
  }
}

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise. */
  stddev: number;
}

/**
 * Keras `GaussianNoise`: adds N(0, stddev²) noise in training only (a regularizer);
 * identity in inference. Noise comes from the generator seeded by `sd.seed`.
 *
 * ```ts
 * sd.layers.gaussianNoise({ stddev: 0.1 });
 * ```
 */
export class GaussianNoise extends Layer {
  static override readonly className: string = 'GaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    super(args, ['stddev']);
    if (typeof args.stddev !== 'number' || !Number.isFinite(args.stddev) || args.stddev < 0) {
      throw new ValueError(`GaussianNoise: stddev must be a number >= 0, got ${JSON.stringify(args.stddev)}`);
    }
    this.stddev = args.stddev;
  }

  call(x: Tensor, { training }: LayerCallArgs): Tensor {
    if (!training || this.stddev === 0) return x;
    return add(x, mul(randn(x.shape, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' }), this.stddev));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

registerLayer(Dropout);
registerLayer(GaussianNoise);
