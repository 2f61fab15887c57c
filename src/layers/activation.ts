import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs, type LayerConfig } from './layer.js';
import { activationName, getActivation, type ActivationFn, type ActivationName } from './activation-fns.js';
import { registerLayer } from './registry.js';

export interface ActivationArgs extends LayerArgs {
  /** 'relu', 'softmax', 'tanh', ... */
  activation: ActivationName | string;
}

/**
 * Keras `Activation`: applies a named activation elementwise (softmax on the last axis).
 *
 * ```ts
 * sd.layers.activation({ activation: 'relu' });
 * ```
 */
export class Activation extends Layer {
  static override readonly className: string = 'Activation';
  readonly activation: string;
  readonly #fn: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args, ['activation']);
    this.activation = this.withLabel(() => activationName(args.activation));
    this.#fn = getActivation(this.activation);
  }

  call(x: Tensor): Tensor {
    return this.#fn(x);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activation };
  }
}

registerLayer(Activation);
