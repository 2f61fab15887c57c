import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { flatten, reshape } from '../ops/reshape.js';
import { Module } from './module.js';
import { asLayer, layerArgs, layerLabel, pyValue, tensorInput } from './layer-utils.js';

/** Constructor arguments of Flatten (what `getConfig()` returns). */
export interface FlattenConfig {
  /** First axis to merge. Default 1 (keeps the batch axis). */
  startDim?: number;
  /** Last axis to merge. Default −1. */
  endDim?: number;
}

/**
 * Merges the axes startDim..endDim into one, PyTorch's `nn.Flatten`. The default keeps the
 * batch axis: [N, C, H, W] → [N, C·H·W].
 *
 * ```ts
 * new sd.nn.Flatten().call(sd.zeros([32, 1, 28, 28])).shape;      // [32,784]
 * new sd.nn.Flatten(0, 1).call(sd.zeros([2, 3, 4])).shape;        // [6,4]
 * ```
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim?: number, endDim?: number);
  constructor(config: FlattenConfig);
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<FlattenConfig>('Flatten', args, ['startDim', 'endDim'], 2);
    this.startDim = integer('Flatten', 'startDim', c.startDim ?? 1);
    this.endDim = integer('Flatten', 'endDim', c.endDim ?? -1);
  }

  forward(x: Tensor): Tensor {
    const input = tensorInput(layerLabel(this), x);
    return asLayer(this, () => flatten(input, this.startDim, this.endDim));
  }

  getConfig(): Required<FlattenConfig> {
    return { startDim: this.startDim, endDim: this.endDim };
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Constructor arguments of Unflatten (what `getConfig()` returns). */
export interface UnflattenConfig {
  /** The axis to split. */
  dim: number;
  /** The sizes it is split into; one of them may be −1 (inferred). */
  unflattenedSize: number[];
}

/**
 * Splits one axis into several, PyTorch's `nn.Unflatten` (the inverse of Flatten).
 *
 * ```ts
 * new sd.nn.Unflatten(1, [1, 28, 28]).call(sd.zeros([32, 784])).shape; // [32,1,28,28]
 * ```
 */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: number[];

  constructor(dim: number, unflattenedSize: number[]);
  constructor(config: UnflattenConfig);
  constructor(...args: unknown[]) {
    super();
    const c = layerArgs<UnflattenConfig>('Unflatten', args, ['dim', 'unflattenedSize'], 2);
    this.dim = integer('Unflatten', 'dim', c.dim);
    const sizes = c.unflattenedSize;
    const valid =
      Array.isArray(sizes) &&
      sizes.length > 0 &&
      sizes.every((s) => Number.isInteger(s) && s >= -1) &&
      sizes.filter((s) => s === -1).length <= 1;
    if (!valid) {
      throw new ValueError(
        `Unflatten: unflattenedSize must be a non-empty list of sizes >= 0 with at most one -1, got ${JSON.stringify(sizes)}`,
      );
    }
    this.unflattenedSize = [...sizes];
  }

  forward(x: Tensor): Tensor {
    const label = layerLabel(this);
    const input = tensorInput(label, x);
    if (!Number.isInteger(this.dim) || this.dim < -input.rank || this.dim >= input.rank) {
      throw new ShapeError(`${label}: dim ${this.dim} is out of range for an input of shape ${fmtShape(input.shape)}`);
    }
    const axis = this.dim < 0 ? this.dim + input.rank : this.dim;
    const size = input.shape[axis];
    const sizes = [...this.unflattenedSize];
    const known = sizeOf(sizes.filter((s) => s !== -1));
    const inferred = sizes.indexOf(-1);
    if (inferred >= 0 && known > 0 && size % known === 0) sizes[inferred] = size / known;
    if (sizeOf(sizes) !== size || sizes.includes(-1)) {
      throw new ShapeError(
        `${label}: sizes ${fmtShape(this.unflattenedSize)} do not multiply to ${size}, the size of axis ${axis} of the input ${fmtShape(input.shape)}`,
      );
    }
    return asLayer(this, () => reshape(input, [...input.shape.slice(0, axis), ...sizes, ...input.shape.slice(axis + 1)]));
  }

  getConfig(): UnflattenConfig {
    return { dim: this.dim, unflattenedSize: [...this.unflattenedSize] };
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyValue(this.unflattenedSize)}`;
  }
}

/**
 * Returns its input unchanged, PyTorch's `nn.Identity`: a placeholder where a layer is
 * optional (a skipped projection, a removed classifier head).
 *
 * ```ts
 * model.fc = new sd.nn.Identity(); // the model now returns its features
 * ```
 */
export class Identity extends Module {
  /** Accepts (and ignores) any arguments, as PyTorch. */
  constructor(..._args: unknown[]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  getConfig(): object {
    return {};
  }
}

function integer(layer: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ValueError(`${layer}: ${name} must be an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
