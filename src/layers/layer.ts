/**
 * The base of the Keras-style layers (`sd.layers`, TensorFlow.js Layers names).
 *
 * A Keras layer is built lazily: its input shape is known only when it is first applied
 * (or from `inputShape`), and `build` then creates its weights. The computation and the
 * weights live in an `sd.nn` module that the layer wraps (`layer.module`): a Dense holds
 * an `nn.Linear`, so both API styles share one implementation. (The layer wraps the
 * module rather than extending it, because `Module.apply(fn)` has PyTorch's meaning while
 * `layer.apply(x)` is Keras' call.) Weights are therefore in the module's layout: a
 * Dense kernel is [units, inputDim], as in nn.Linear.
 *
 * `apply` takes Tensors (runs the layer now, in inference mode unless `{training: true}`)
 * or SymbolicTensors from `sd.input` (records a node of a functional model).
 */
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import type { Module, StateDict } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';
import { isFloatDType, type DType } from '../tensor/dtype.js';
import { cast } from '../ops/cast.js';
import { Node, SymbolicTensor, formatShape, type CallArgs, type Shape } from './symbolic.js';
import { toSnakeCase, uniqueName } from './names.js';

/** Arguments every layer takes. */
export interface LayerArgs {
  /** Unique name in a model; default the class name in snake_case (`dense`, `dense_1`, ...). */
  name?: string;
  /** Shape of one sample (no batch axis), for the first layer of a Sequential model. */
  inputShape?: Shape;
  /** Shape including the batch axis (null for any batch size); overrides inputShape. */
  batchInputShape?: Shape;
  /** Fixed batch size, with inputShape. */
  batchSize?: number;
  /** dtype of the weights: 'float32' (default) or 'float64'. */
  dtype?: 'float32' | 'float64';
  /** Whether fit updates the weights. Default true. */
  trainable?: boolean;
}

/** JSON values of a layer's configuration. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };
export type LayerConfig = { [key: string]: ConfigValue };

/** A layer as JSON: `{className: 'Dense', config: {units: 128, ...}}`. */
export interface SerializedLayer {
  className: string;
  config: LayerConfig;
}

/** What a built layer requires of its input (checked at every apply). */
export interface InputSpec {
  rank?: number;
  minRank?: number;
  /** Required sizes at axes; negative axes count from the end. */
  axes?: Record<number, number>;
}

/** Arguments of `call`. */
export interface LayerCallArgs {
  training: boolean;
}

const BASE_KEYS = ['name', 'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'trainable'] as const;

/** Base class of the Keras-style layers. A subclass sets `static className`, `build`, `call`, `computeOutputShape`, `getConfig`. */
export abstract class Layer {
  /** The Keras class name, used in summaries and configs. */
  static readonly className: string = 'Layer';

  readonly name: string;
  readonly dtype: 'float32' | 'float64';
  /** [null or batchSize, ...inputShape] when the layer was given an input shape. */
  readonly batchInputShape: Shape | null;
  /** True once `build` has created the weights. */
  built = false;
  /** The sd.nn module holding the weights and computation, once built (null for layers without one). */
  module: Module | null = null;
  /** The applications of this layer in functional graphs. */
  readonly inboundNodes: Node[] = [];
  /** The input shape(s) the layer was built for (batch axis null). */
  builtInputShape: Shape | Shape[] | null = null;
  #trainable: boolean;

  /** `keys` are the options of the subclass; unknown options are rejected, naming the valid ones. */
  constructor(args: LayerArgs, keys: readonly string[] = []) {
    const cls = this.className;
    checkArgs(cls, args, [...BASE_KEYS, ...keys]);
    this.name = args.name ?? uniqueName(toSnakeCase(cls));
    if (typeof this.name !== 'string' || this.name === '' || /[./]/.test(this.name)) {
      throw new ValueError(`${cls}: name must be a non-empty string without '.' or '/', got ${JSON.stringify(args.name)}`);
    }
    const dtype = args.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new DTypeError(`${cls}: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
    }
    this.dtype = dtype;
    this.#trainable = args.trainable ?? true;
    if (typeof this.#trainable !== 'boolean') throw new ValueError(`${cls}: trainable must be true or false, got ${String(args.trainable)}`);
    this.batchInputShape = batchShapeOf(cls, args);
  }

  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** `dense (Dense)`, as errors and summaries name the layer. */
  get label(): string {
    return `${this.name} (${this.className})`;
  }

  /** Whether fit updates this layer's weights; false freezes them (set before compile). */
  get trainable(): boolean {
    return this.#trainable;
  }

  set trainable(flag: boolean) {
    this.#trainable = flag;
    if (this.module) for (const p of this.module.parameters()) p.requiresGrad = flag;
  }

  /** dtype of the data a model feeds this layer when it comes first (Embedding: int32). */
  get defaultInputDType(): DType {
    return 'float32';
  }

  /** True for merge layers, which take a list of inputs. */
  protected get takesList(): boolean {
    return false;
  }

  /** Creates the weights (usually `this.module`) for inputs of `inputShape`, batch axis null. */
  protected build(_inputShape: Shape | Shape[]): void {}

  /** The computation, on concrete tensors. */
  abstract call(inputs: Tensor | Tensor[], args: LayerCallArgs): Tensor;

  /** The output shape for inputs of `inputShape` (batch axis null); the input shape by default. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  /** The dtype of the output: a float input's, or the weights' dtype when the layer casts other inputs. */
  protected outputDType(inputDTypes: DType[]): DType {
    const d = inputDTypes[0];
    return isFloatDType(d) || !this.module || !this.castsInputs ? d : this.dtype;
  }

  /** What a built layer requires of its input; null checks nothing. */
  protected inputSpec(): InputSpec | null {
    return null;
  }

  /** Builds the layer for `inputShape` unless it is built already. */
  ensureBuilt(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.withLabel(() => this.build(inputShape));
    this.builtInputShape = inputShape;
    this.built = true;
    if (this.module && !this.#trainable) this.trainable = false;
  }

  /**
   * Applies the layer. On SymbolicTensors it records a node and returns the symbolic
   * output; on Tensors it runs now (inference mode unless `{training: true}`).
   *
   * ```ts
   * const x = sd.input({ shape: [784] });
   * const h = sd.layers.dense({ units: 64, activation: 'relu' }).apply(x); // SymbolicTensor
   * sd.layers.dense({ units: 3 }).apply(sd.ones([2, 5])).shape;              // [2,3]
   * ```
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], callArgs?: CallArgs): SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[], callArgs?: CallArgs): Tensor;
  apply(inputs: unknown, callArgs: CallArgs = {}): SymbolicTensor | Tensor {
    const list: unknown[] = Array.isArray(inputs) ? [...inputs] : [inputs];
    const symbolic = list.length > 0 && list.every((x) => x instanceof SymbolicTensor);
    if (!symbolic && (list.length === 0 || !list.every((x) => x instanceof Tensor))) {
      throw new ValueError(`${this.label}: apply takes Tensors or SymbolicTensors (from sd.input), not a mix; got ${describeInputs(list)}`);
    }
    if (!this.takesList && list.length !== 1) {
      throw new ValueError(`${this.label}: expects 1 input, got ${list.length}`);
    }
    const shapes: Shape[] = symbolic
      ? (list as SymbolicTensor[]).map((s) => s.shape)
      : (list as Tensor[]).map((t) => [null, ...t.shape.slice(1)]);
    const shapeArg = this.takesList ? shapes : shapes[0];
    this.ensureBuilt(shapeArg);
    this.checkInputs(shapes);
    if (!symbolic) return this.invoke(list as Tensor[], callArgs.training ?? false);
    const inputsSym = list as SymbolicTensor[];
    const outShape = this.withLabel(() => this.computeOutputShape(shapeArg));
    const index = this.inboundNodes.length;
    const out = new SymbolicTensor(outShape, this.outputDType(inputsSym.map((s) => s.dtype)), this, index, 0);
    this.inboundNodes.push(new Node(this, inputsSym, [out], index, callArgs));
    return out;
  }

  /** Runs a built layer on concrete inputs, with the module in training or inference mode. */
  invoke(inputs: readonly Tensor[], training: boolean): Tensor {
    if (this.module && this.module.training !== training) this.module.train(training);
    const floatInputs = this.module ? inputs.map((x) => (isFloatDType(x.dtype) || !this.castsInputs ? x : cast(x, this.dtype))) : inputs;
    return this.withLabel(() => this.call(this.takesList ? [...floatInputs] : floatInputs[0], { training }));
  }

  /** Whether non-float inputs are cast to the weights' dtype first (Dense, Conv: yes; Embedding: no). */
  protected get castsInputs(): boolean {
    return true;
  }

  /** Checks input shapes (batch axis included) against `inputSpec`. */
  checkInputs(shapes: readonly Shape[]): void {
    const spec = this.inputSpec();
    if (!spec) return;
    shapes.forEach((shape, i) => {
      const fail = (what: string): never => {
        throw new ShapeError(`${this.label}: input ${i} is incompatible with the layer: ${what}, got shape ${formatShape(shape)}`);
      };
      if (spec.rank !== undefined && shape.length !== spec.rank) fail(`expected rank ${spec.rank}`);
      if (spec.minRank !== undefined && shape.length < spec.minRank) fail(`expected rank >= ${spec.minRank}`);
      for (const [key, size] of Object.entries(spec.axes ?? {})) {
        const axis = Number(key);
        const d = shape[axis < 0 ? shape.length + axis : axis];
        if (d !== null && d !== undefined && d !== size) fail(`expected axis ${axis} of the input shape to be ${size}`);
      }
    });
  }

  /** The output shape of the first application (Keras' `layer.outputShape`). */
  get outputShape(): Shape {
    const node = this.inboundNodes[0];
    if (!node) throw new ValueError(`${this.label}: the layer has not been applied to a symbolic input yet, so it has no output shape`);
    return node.outputs[0].shape;
  }

  /** Trainable weights (parameters of the module while the layer is trainable). */
  get trainableWeights(): Tensor[] {
    return this.module && this.#trainable ? this.module.parameters() : [];
  }

  /** Non-trainable weights: frozen parameters, then float buffers such as batch-norm moving statistics. */
  get nonTrainableWeights(): Tensor[] {
    if (!this.module) return [];
    const frozen = this.#trainable ? [] : this.module.parameters();
    return [...frozen, ...this.module.buffers().filter((b) => isFloatDType(b.dtype))];
  }

  /** Every weight: trainable ones first, as Keras orders them. */
  get weights(): Tensor[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /** Number of scalars in the weights (0 before build). */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weights, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.clone());
  }

  /** Sets the weights from tensors of the same shapes, in `weights` order. */
  setWeights(values: readonly Tensor[]): void {
    const own = this.weights;
    if (values.length !== own.length) {
      throw new ValueError(`${this.label}: setWeights expects ${own.length} tensors, got ${values.length}`);
    }
    own.forEach((w, i) => {
      const v = values[i];
      if (!(v instanceof Tensor) || v.shape.join() !== w.shape.join()) {
        const got = v instanceof Tensor ? formatShape(v.shape) : String(v);
        throw new ShapeError(`${this.label}: setWeights: weight ${i} has shape ${formatShape(w.shape)}, got ${got}`);
      }
      w.values.set(v.dtype === w.dtype ? v.values : cast(v, w.dtype).values);
    });
  }

  /** Parameters and buffers of the module by name (`weight`, `bias`, `runningMean`, ...). */
  stateDict(): StateDict {
    return this.module ? this.module.stateDict() : {};
  }

  /** Penalties of the weight regularizers on the current weights; fit adds them to the loss. */
  regularizationLosses(): Tensor[] {
    return [];
  }

  /** The constructor arguments as JSON, so that `new Layer(getConfig())` rebuilds the layer. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.#trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  /** `{className, config}`. */
  serialize(): SerializedLayer {
    return { className: this.className, config: this.getConfig() };
  }

  toString(): string {
    return `${this.className}(name=${this.name}${this.built ? `, params=${this.countParams()}` : ', not built'})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Puts the layer's label in front of argument errors of the ops and modules it runs. */
  protected withLabel<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      for (const ErrorClass of [ShapeError, DTypeError, ValueError]) {
        if (err instanceof ErrorClass && !err.message.startsWith(this.label)) throw new ErrorClass(`${this.label}: ${err.message}`);
      }
      throw err;
    }
  }
}

/** Rejects what is not an options object and options the layer does not know. */
export function checkArgs(cls: string, args: unknown, keys: readonly string[]): void {
  if (typeof args !== 'object' || args === null || Array.isArray(args) || args instanceof Tensor) {
    throw new ValueError(`${cls}: expected an options object like { ${keys[keys.length - 1] ?? 'name'}: ... }, got ${describeInputs([args])}`);
  }
  for (const key of Object.keys(args)) {
    if ((args as Record<string, unknown>)[key] === undefined) continue;
    if (!keys.includes(key)) {
      const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      const hint = camel !== key && keys.includes(camel) ? ` (did you mean '${camel}'?)` : '';
      throw new ValueError(`${cls}: unknown option '${key}'${hint}; valid options: ${keys.join(', ')}`);
    }
  }
}

function batchShapeOf(cls: string, args: LayerArgs): Shape | null {
  const check = (what: string, shape: unknown, allowNull: boolean): Shape => {
    const ok = Array.isArray(shape) && shape.every((d) => (d === null && allowNull) || (Number.isInteger(d) && d >= 0));
    if (!ok) throw new ValueError(`${cls}: ${what} must be an array of sizes${allowNull ? ' (null for unknown)' : ''}, got ${JSON.stringify(shape)}`);
    return shape as Shape;
  };
  if (args.batchInputShape !== undefined) return [...check('batchInputShape', args.batchInputShape, true)];
  if (args.inputShape === undefined) return null;
  const batch = args.batchSize ?? null;
  if (batch !== null && !(Number.isInteger(batch) && batch > 0)) throw new ValueError(`${cls}: batchSize must be a positive integer, got ${String(batch)}`);
  return [batch, ...check('inputShape', args.inputShape, true)];
}

function describeInputs(list: unknown[]): string {
  return `[${list.map((x) => (x instanceof Tensor ? 'Tensor' : x instanceof SymbolicTensor ? 'SymbolicTensor' : Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x)).join(', ')}]`;
}

/** The last axis of `shape`, which must be known (Dense, Conv: the input features or channels). */
export function knownAxis(layer: string, shape: Shape, axis: number, what: string): number {
  const d = shape[axis < 0 ? shape.length + axis : axis];
  if (d === null || d === undefined) {
    throw new ValueError(`${layer}: the ${what} (axis ${axis}) of the input must be known to build the layer, got shape ${formatShape(shape)}`);
  }
  return d;
}
