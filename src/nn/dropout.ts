import type { Tensor } from '../tensor/tensor.js';
import { dropout } from '../ops/dropout.js';
import { Module } from './module.js';
import { asLayer, layerArgs, numberArg, pyFloat, tensorInput } from './layer-utils.js';

/** Constructor arguments of Dropout (what `getConfig()` returns). */
export interface DropoutConfig {
  /** Probability of zeroing an element. Default 0.5. */
  p?: number;
}

/**
 * Dropout, PyTorch's `nn.Dropout`: in training each element is zeroed with probability p
 * and the survivors are scaled by 1/(1 − p); in evaluation (after `eval()`) it returns its
 * input unchanged. The masks come from the generator seeded by `sd.seed`.
 *
 * Shapes: any → the same shape.
 *
 * ```ts
 * const drop = new sd.nn.Dropout(0.2);
 * drop.call(sd.ones([2, 5]));  // zeros and 1.25s
 * drop.eval().call(x) === x;   // true
 * ```
 */
export class Dropout extends Module {
  readonly p: number;
  private label: string | undefined;

  constructor(p?: number);
  constructor(config: DropoutConfig);
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<DropoutConfig>('Dropout', args, ['p'], 1);
    this.p = numberArg('Dropout', 'p', c.p ?? 0.5, 'a probability in [0, 1]', (v) => v >= 0 && v <= 1);
  }

  forward(x: Tensor): Tensor {
    // the label for error messages, made once (forward runs every training step)
    this.label ??= `Dropout(p=${pyFloat(this.p)})`;
    const input = tensorInput(this.label, x);
    return asLayer(this, () => dropout(input, this.p, { training: this.training }));
  }

  getConfig(): Required<DropoutConfig> {
    return { p: this.p };
  }

  /** `inplace` is always False: tensors are never overwritten by a layer. */
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
