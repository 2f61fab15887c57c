import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Flatten as FlattenModule } from '../nn/shape.js';
import { reshape } from '../ops/reshape.js';
import { Layer, type InputSpec, type LayerArgs, type LayerConfig } from './layer.js';
import { formatShape, type Shape } from './symbolic.js';
import { registerLayer } from './registry.js';

function product(dims: Shape): number | null {
  return dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a * b, 1);
}

/**
 * Keras `Flatten`: merges every axis but the batch axis, (batch, 28, 28) → (batch, 784),
 * in row-major order; an nn.Flatten.
 *
 * ```ts
 * sd.layers.flatten({ inputShape: [28, 28] });
 * ```
 */
export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';
  declare module: FlattenModule;

  constructor(args: LayerArgs & { dataFormat?: 'channelsLast' } = {}) {
    super(args, ['dataFormat']);
    this.module = new FlattenModule(1, -1);
  }

  call(x: Tensor): Tensor {
    return this.module.call(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], product(inputShape.slice(1))];
  }

  protected override inputSpec(): InputSpec {
    return { minRank: 2 };
  }
}

export interface ReshapeArgs extends LayerArgs {
  /** Shape of each sample after the reshape (no batch axis); one entry may be -1. */
  targetShape: number[];
}

/**
 * Keras `Reshape`: gives each sample a new shape with the same number of elements,
 * (batch, 784) → (batch, 28, 28, 1). One entry of targetShape may be -1 (inferred).
 *
 * ```ts
 * sd.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] });
 * ```
 */
export class Reshape extends Layer {
  static override readonly className: string = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args, ['targetShape']);
    const t = args.targetShape;
    if (!Array.isArray(t) || !t.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) || t.filter((d) => d === -1).length > 1) {
      throw new ValueError(`Reshape: targetShape must be an array of positive sizes with at most one -1, got ${JSON.stringify(t)}`);
    }
    this.targetShape = [...t];
  }

  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], ...this.targetShape]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const size = product(inputShape.slice(1));
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const out: (number | null)[] = [...this.targetShape];
    const free = out.indexOf(-1);
    if (size !== null) {
      if (free >= 0 && size % known === 0) out[free] = size / known;
      if ((free < 0 && size !== known) || (free >= 0 && size % known !== 0)) {
        throw new ValueError(`cannot reshape ${formatShape(inputShape)} (${size} elements per sample) to targetShape ${formatShape(this.targetShape)}`);
      }
    } else if (free >= 0) out[free] = null;
    return [inputShape[0], ...out];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

registerLayer(Flatten);
registerLayer(Reshape);
