/**
 * Merge layers (Keras Add, Multiply, Average, Maximum, Minimum, Subtract, Concatenate):
 * they take a list of inputs, for residual connections and parallel branches.
 *
 * ```ts
 * const x = sd.input({ shape: [32] });
 * const h = sd.layers.dense({ units: 32, activation: 'relu' }).apply(x);
 * const y = sd.layers.add().apply([x, h]);                 // residual connection
 * const z = sd.layers.concatenate({ axis: -1 }).apply([x, h]); // (None, 64)
 * ```
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { concat } from '../ops/concat.js';
import { Layer, type LayerArgs, type LayerConfig } from './layer.js';
import { formatShape, type Shape } from './symbolic.js';
import { registerLayer } from './registry.js';

/** An elementwise merge of inputs of one shape. */
abstract class ElementwiseMerge extends Layer {
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected override get takesList(): boolean {
    return true;
  }

  /** Combines the inputs elementwise. */
  protected abstract merge(inputs: Tensor[]): Tensor;

  /** Fewest inputs the layer takes. */
  protected get minInputs(): number {
    return 2;
  }

  call(inputs: Tensor[]): Tensor {
    return this.merge(inputs);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    if (shapes.length < this.minInputs) {
      throw new ValueError(`expects a list of at least ${this.minInputs} inputs, got ${shapes.length}`);
    }
    const out = [...shapes[0]];
    for (const s of shapes.slice(1)) {
      const same = s.length === out.length && s.every((d, i) => d === null || out[i] === null || d === out[i]);
      if (!same) {
        throw new ValueError(`inputs must have the same shape, got ${shapes.map(formatShape).join(' and ')}`);
      }
      s.forEach((d, i) => (out[i] = out[i] ?? d));
    }
    return out;
  }
}

/** Keras `Add`: the sum of the inputs. */
export class Add extends ElementwiseMerge {
  static override readonly className: string = 'Add';
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => add(a, b), inputs[0]);
  }
}

/** Keras `Subtract`: the first input minus the second. */
export class Subtract extends ElementwiseMerge {
  static override readonly className: string = 'Subtract';
  protected merge(inputs: Tensor[]): Tensor {
    if (inputs.length !== 2) throw new ValueError(`expects exactly 2 inputs, got ${inputs.length}`);
    return sub(inputs[0], inputs[1]);
  }
}

/** Keras `Multiply`: the elementwise product of the inputs. */
export class Multiply extends ElementwiseMerge {
  static override readonly className: string = 'Multiply';
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => mul(a, b), inputs[0]);
  }
}

/** Keras `Average`: the elementwise mean of the inputs. */
export class Average extends ElementwiseMerge {
  static override readonly className: string = 'Average';
  protected merge(inputs: Tensor[]): Tensor {
    return div(inputs.slice(1).reduce((a, b) => add(a, b), inputs[0]), inputs.length);
  }
}

/** Keras `Maximum`: the elementwise maximum of the inputs. */
export class Maximum extends ElementwiseMerge {
  static override readonly className: string = 'Maximum';
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => maximum(a, b), inputs[0]);
  }
}

/** Keras `Minimum`: the elementwise minimum of the inputs. */
export class Minimum extends ElementwiseMerge {
  static override readonly className: string = 'Minimum';
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => minimum(a, b), inputs[0]);
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (counting the batch axis). Default -1. */
  axis?: number;
}

/** Keras `Concatenate`: joins the inputs along `axis`; the other axes must match. */
export class Concatenate extends Layer {
  static override readonly className: string = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, ['axis']);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`Concatenate: axis must be an integer, got ${JSON.stringify(args.axis)}`);
  }

  protected override get takesList(): boolean {
    return true;
  }

  call(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    if (shapes.length < 2) throw new ValueError(`expects a list of at least 2 inputs, got ${shapes.length}`);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis <= 0 || axis >= rank) throw new ValueError(`axis ${this.axis} is out of range for inputs of rank ${rank} (the batch axis cannot be joined)`);
    const out = [...shapes[0]];
    for (const s of shapes.slice(1)) {
      const fits = s.length === rank && s.every((d, i) => i === axis || d === null || out[i] === null || d === out[i]);
      if (!fits) {
        throw new ValueError(`inputs must match on every axis but ${this.axis}, got ${shapes.map(formatShape).join(' and ')}`);
      }
      const a = out[axis];
      const b = s[axis];
      out[axis] = a === null || b === null ? null : a + b;
    }
    return out;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}

for (const cls of [Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate]) registerLayer(cls);
