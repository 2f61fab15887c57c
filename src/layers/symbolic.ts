/**
 * The graph of the functional API: a `SymbolicTensor` stands for the output of a layer
 * before any data flows (its shape has `null` for the batch axis), and a `Node` records
 * one application of a layer to symbolic inputs. `sd.model({inputs, outputs})` walks the
 * nodes back from the outputs to find the layers and the order to run them in.
 */
import type { DType } from '../tensor/dtype.js';
import type { Layer } from './layer.js';

/** A Keras shape: the batch axis (first) and other unknown sizes are null. */
export type Shape = readonly (number | null)[];

let nextId = 0;

/** The placeholder output of a layer in a functional model, as `tf.SymbolicTensor`. */
export class SymbolicTensor {
  readonly id = nextId++;

  constructor(
    /** Shape with the batch axis first, null where unknown: [null, 28, 28]. */
    readonly shape: Shape,
    readonly dtype: DType,
    /** The layer that produces this tensor. */
    readonly sourceLayer: Layer,
    /** Which application of `sourceLayer` (a layer applied twice has nodes 0 and 1). */
    readonly nodeIndex: number,
    /** Which output of that application. */
    readonly tensorIndex: number,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** `dense/0:0`: the layer, the node and the output index. */
  get name(): string {
    return `${this.sourceLayer.name}/${this.nodeIndex}:${this.tensorIndex}`;
  }

  toString(): string {
    return `SymbolicTensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}, from '${this.sourceLayer.name}')`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Arguments of one application of a layer that the graph remembers (`{training: true}`). */
export interface CallArgs {
  /** Forces training (or inference) behaviour for this application, whatever the model does. */
  training?: boolean;
}

/** One application of a layer to symbolic inputs. */
export class Node {
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    readonly outputs: readonly SymbolicTensor[],
    /** Position of this node in `layer.inboundNodes`. */
    readonly index: number,
    readonly callArgs: CallArgs = {},
  ) {}
}

/** A shape as Python prints a Keras shape tuple: `(None, 784)`, `(None,)`. */
export function formatShape(shape: Shape): string {
  const items = shape.map((d) => (d === null ? 'None' : String(d)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}
