import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor, isTypedArray } from '../tensor/convert.js';
import type { DType } from '../tensor/dtype.js';
import { InputLayer } from '../layers/input.js';
import { Layer } from '../layers/layer.js';
import { SymbolicTensor, type Shape } from '../layers/symbolic.js';
import { buildGraph } from './functional.js';
import { LayersModel } from './model.js';

export interface SequentialArgs {
  /** The layers, first to last; the first may carry inputShape, or be an `sd.input(...)`. */
  layers?: (Layer | SymbolicTensor)[];
  /** Default `sequential`, `sequential_1`, ... */
  name?: string;
}

/**
 * A linear stack of layers (Keras `Sequential`, tfjs `tf.sequential`). With `inputShape`
 * on the first layer the model is built at once; otherwise on `build(shape)` or on the
 * first data given to fit / predict / evaluate.
 *
 * ```ts
 * const model = sd.sequential([
 *   sd.layers.flatten({ inputShape: [28, 28] }),
 *   sd.layers.dense({ units: 128, activation: 'relu' }),
 *   sd.layers.dropout({ rate: 0.2 }),
 *   sd.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * model.summary(); // 101,770 parameters
 * ```
 */
export class Sequential extends LayersModel {
  static override readonly className: string = 'Sequential';
  #layers: Layer[] = [];
  #input: SymbolicTensor | null = null;
  /** The output of each layer in this model's graph. */
  #outputs: SymbolicTensor[] = [];

  constructor(args: SequentialArgs | (Layer | SymbolicTensor)[] = {}) {
    const options = Array.isArray(args) ? { layers: args } : args;
    if (options === null || typeof options !== 'object') throw new ValueError(`sequential: expected a list of layers or { layers, name }`);
    for (const key of Object.keys(options)) {
      if (key !== 'layers' && key !== 'name') throw new ValueError(`sequential: unknown option '${key}' (valid: layers, name)`);
    }
    super({ name: options.name } as never);
    for (const layer of options.layers ?? []) this.add(layer);
  }

  protected override defaultName(): string {
    return 'sequential';
  }

  /** The layers (without the input layer, as Keras lists them). */
  override get layers(): Layer[] {
    return [...this.#layers];
  }

  /** Adds a layer on top (or an `sd.input` as the input); applies it at once when the model is built. */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.sourceLayer instanceof InputLayer) || this.#input || this.#layers.length > 0) {
        throw new ValueError(`${this.name}.add: only an sd.input(...) may be added, and only as the first entry`);
      }
      this.#input = layer;
      return;
    }
    if (!(layer instanceof Layer)) throw new ValueError(`${this.name}.add: expected a layer (sd.layers.dense(...), ...), got ${describe(layer)}`);
    if (layer instanceof InputLayer) return this.add(layer.output);
    if (this.#layers.includes(layer)) throw new ValueError(`${this.name}.add: layer '${layer.name}' is already in the model`);
    if (!this.#input && this.#layers.length === 0 && layer.batchInputShape) {
      this.#input = new InputLayer({ batchInputShape: layer.batchInputShape, name: `${layer.name}_input`, dtype: layer.defaultInputDType }).output;
    } else if (layer.batchInputShape && this.#layers.length > 0) {
      throw new ValueError(`${this.name}.add: only the first layer may have an inputShape ('${layer.name}' is layer ${this.#layers.length + 1})`);
    }
    this.#layers.push(layer);
    if (this.#input) this.#connect();
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.#layers.pop();
    if (!layer) throw new ValueError(`${this.name}.pop: the model has no layers`);
    this.#outputs = this.#outputs.slice(0, this.#layers.length);
    if (this.#input && this.#layers.length > 0) this.setGraph(buildGraph(this.name, [this.#input], [this.#outputs[this.#outputs.length - 1]]));
    else this.graph = null;
    return layer;
  }

  /** Builds the model for inputs of `inputShape` (with the batch axis: [null, 784]) and `dtype` (default float32; int32 before an embedding). */
  build(inputShape: Shape, dtype?: DType): void {
    if (this.built) return;
    if (this.#layers.length === 0) throw new ValueError(`${this.name}.build: the model has no layers`);
    if (!Array.isArray(inputShape)) throw new ValueError(`${this.name}.build: inputShape must be an array with the batch axis first, e.g. [null, 784]`);
    const first = this.#layers[0];
    this.#input ??= new InputLayer({ batchInputShape: inputShape, name: `${first.name}_input`, dtype: dtype ?? first.defaultInputDType }).output;
    this.#connect();
  }

  override ensureBuiltFor(x: unknown): void {
    if (this.built) return;
    const first = Array.isArray(x) && x.length === 1 && x[0] instanceof Tensor ? x[0] : x;
    const t = first instanceof Tensor ? first : Array.isArray(first) || isTypedArray(first) ? tensor(first as number[]) : null;
    if (!t || t.rank === 0) throw new ValueError(`${this.name}: cannot build the model from this data; give the first layer an inputShape`);
    this.build([null, ...t.shape.slice(1)]);
  }

  /** Applies the layers not yet applied and sets the graph. */
  #connect(): void {
    const input = this.#input as SymbolicTensor;
    for (let i = this.#outputs.length; i < this.#layers.length; i++) {
      this.#outputs.push(this.#layers[i].apply(i === 0 ? input : this.#outputs[i - 1]));
    }
    if (this.#layers.length > 0) this.setGraph(buildGraph(this.name, [input], [this.#outputs[this.#outputs.length - 1]]));
  }

  override toJSON(): { className: string; config: Record<string, unknown> } {
    const config: Record<string, unknown> = { name: this.name, layers: this.#layers.map((l) => l.serialize()) };
    if (this.#input) {
      config.buildInputShape = [...this.#input.shape];
      config.inputDType = this.#input.dtype;
    }
    return { className: 'Sequential', config };
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
