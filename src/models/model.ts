/**
 * Keras-style models (TensorFlow.js `LayersModel`): a graph of layers from `sd.input`s to
 * outputs, with `compile`, `fit`, `evaluate`, `predict`, `summary`, weights, a JSON
 * architecture and `save`. `sd.sequential` builds the same kind of model from a list.
 *
 * ```ts
 * const x = sd.input({ shape: [32] });
 * const h = sd.layers.dense({ units: 32, activation: 'relu' }).apply(x);
 * const y = sd.layers.dense({ units: 1 }).apply(sd.layers.add([x, h]));
 * const model = sd.model({ inputs: x, outputs: y });
 * model.compile({ optimizer: 'adam', loss: 'mse' });
 * await model.fit(xTrain, yTrain, { epochs: 10, batchSize: 32 });
 * ```
 */
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { StateDict } from '../nn/module.js';
import { InputLayer } from '../layers/input.js';
import type { Layer } from '../layers/layer.js';
import { SymbolicTensor, formatShape } from '../layers/symbolic.js';
import { uniqueName } from '../layers/names.js';
import { saveModel, type SaveModelOptions } from '../io/model-file.js';
import { buildGraph, isChain, runGraph, type Graph } from './functional.js';
import { LayerModules } from './modules.js';
import { optimizerMaker, resolveTargets, serializeLoss, serializeOptimizer, type CompileArgs, type OutputTarget } from './compile.js';
import { summaryLines, type SummaryModel, type SummaryOptions, type SummaryRow } from './summary.js';
import { functionalConfig } from './config-serialize.js';
import type { ModelData, Port } from './data.js';
import { fitModel, trainOnBatch, type FitArgs } from './training.js';
import { evaluateDataset, evaluateModel, predictModel, type EvaluateArgs, type PredictArgs } from './evaluation.js';
import type { History } from './history.js';

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  /** Default `model`, `model_1`, ... */
  name?: string;
}

/** The compile settings as JSON (for model files), or null for settings that are code. */
export interface CompileConfig {
  optimizer: { className: string; config: Record<string, unknown> };
  loss: unknown;
  metrics: unknown;
  lossWeights?: number[];
}

/** A Keras-style functional model; the base of Sequential. */
export class LayersModel {
  static readonly className: string = 'Functional';
  readonly name: string;
  /** Set by a callback (or by you, between batches) to end fit after the current batch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | null = null;
  /** The graph, once known (a Sequential without an input shape builds it on first data). */
  protected graph: Graph | null = null;
  #targets: OutputTarget[] | null = null;
  #makeOptimizer: ((params: Tensor[]) => Optimizer) | null = null;
  #optimizer: Optimizer | null = null;
  #compileArgs: CompileArgs | null = null;

  constructor(args: ModelArgs) {
    if (args === undefined || args === null || typeof args !== 'object') {
      throw new ValueError(`model: expected { inputs, outputs }, e.g. sd.model({ inputs: x, outputs: y })`);
    }
    this.name = args.name ?? uniqueName(this.defaultName());
    if (args.inputs !== undefined || args.outputs !== undefined) {
      const list = (v: SymbolicTensor | SymbolicTensor[]): SymbolicTensor[] => (Array.isArray(v) ? [...v] : [v]);
      this.setGraph(buildGraph('model', list(args.inputs), list(args.outputs)));
    }
  }

  /** Prefix of automatic names. */
  protected defaultName(): string {
    return 'model';
  }

  get className(): string {
    return (this.constructor as typeof LayersModel).className;
  }

  protected setGraph(graph: Graph): void {
    this.graph = graph;
    if (this.#compileArgs && !this.#optimizer) this.compile(this.#compileArgs);
  }

  /** The graph, building the model from `shapeHint` data first if it can (Sequential). */
  protected requireGraph(op: string): Graph {
    if (!this.graph) {
      throw new ValueError(`${op}: the model has not been built yet: give the first layer an inputShape, call build(), or fit it on data first`);
    }
    return this.graph;
  }

  /** Builds a model that has no graph yet from its first data `x` (Sequential). */
  ensureBuiltFor(_x: unknown): void {}

  get built(): boolean {
    return this.graph !== null;
  }

  /** The layers, each once, inputs first. */
  get layers(): Layer[] {
    return this.graph ? [...this.graph.layers] : [];
  }

  get inputs(): SymbolicTensor[] {
    return this.requireGraph('inputs').inputs;
  }

  get outputs(): SymbolicTensor[] {
    return this.requireGraph('outputs').outputs;
  }

  /** The model's inputs as the data checks see them: name, shape, dtype. */
  inputPorts(): Port[] {
    return this.requireGraph('inputs').inputs.map((t) => ({ name: t.sourceLayer.name, shape: t.shape, dtype: (t.sourceLayer as InputLayer).inputDType }));
  }

  outputPorts(): Port[] {
    return this.requireGraph('outputs').outputs.map((t) => ({ name: t.sourceLayer.name, shape: t.shape, dtype: t.dtype }));
  }

  /** The layer called `name`, or at position `index` of `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const layer = typeof nameOrIndex === 'number' ? layers[nameOrIndex] : layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new ValueError(`getLayer: no layer ${JSON.stringify(nameOrIndex)}; the layers are ${layers.map((l) => l.name).join(', ')}`);
    return layer;
  }

  /** The layers' sd.nn modules as one Module (children named after the layers). */
  get module(): LayerModules {
    return new LayerModules(this.layers);
  }

  // ---- running ----

  /** Runs the model on a tensor per input; `training` turns on dropout and batch statistics. */
  forward(xs: readonly Tensor[], training: boolean): Tensor[] {
    return runGraph(this.requireGraph('forward'), xs, training);
  }

  /**
   * Runs the model now on concrete tensors (inference mode unless `{training: true}`),
   * with gradients recorded: the model as a function.
   */
  apply(inputs: Tensor | Tensor[], args: { training?: boolean } = {}): Tensor | Tensor[] {
    const xs = inputs instanceof Tensor ? [inputs] : inputs;
    if (!Array.isArray(xs) || !xs.every((x) => x instanceof Tensor)) {
      throw new ValueError(`${this.name}.apply: expected Tensors (a model cannot yet be applied to SymbolicTensors as a layer)`);
    }
    this.ensureBuiltFor(xs);
    const out = this.forward(xs, args.training ?? false);
    return out.length === 1 ? out[0] : out;
  }

  // ---- training ----

  /**
   * Sets the optimizer, the loss of each output and the metrics.
   *
   * ```ts
   * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
   * model.compile({ optimizer: (params) => new sd.optim.SGD(params, { lr: 0.1, momentum: 0.9 }), loss: 'mse' });
   * ```
   */
  compile(args: CompileArgs): void {
    if (!args || typeof args !== 'object') throw new ValueError(`compile: expected { optimizer, loss, metrics }`);
    for (const k of Object.keys(args)) {
      if (!['optimizer', 'loss', 'metrics', 'lossWeights'].includes(k)) throw new ValueError(`compile: unknown option '${k}' (valid: optimizer, loss, metrics, lossWeights)`);
    }
    const make = optimizerMaker(args.optimizer);
    this.#compileArgs = args;
    this.#makeOptimizer = make;
    this.#optimizer = null;
    if (!this.graph) {
      resolveTargets(args, ['output']);
      return;
    }
    this.#targets = resolveTargets(args, this.outputPorts().map((p) => p.name));
    this.#optimizer = make(this.trainableWeights);
  }

  /** The optimizer of compile (made when the model is built). */
  get optimizer(): Optimizer | null {
    return this.#optimizer;
  }

  /** Losses and metrics per output; throws if the model is not compiled. */
  compiledTargets(op: string): OutputTarget[] {
    if (!this.#compileArgs) throw new ValueError(`${op}: the model must be compiled first: model.compile({ optimizer: 'adam', loss: ..., metrics: [...] })`);
    if (!this.#targets) this.compile(this.#compileArgs);
    return this.#targets as OutputTarget[];
  }

  /** Makes the optimizer if the model was compiled before it was built. */
  compiledOptimizer(op: string): Optimizer {
    this.compiledTargets(op);
    if (!this.#optimizer) this.#optimizer = (this.#makeOptimizer as (params: Tensor[]) => Optimizer)(this.trainableWeights);
    return this.#optimizer;
  }

  /**
   * Trains for `epochs` on arrays (x, y) or on batches from a DataLoader / (async)
   * iterable of [x, y]; returns the History. See FitArgs for the options.
   *
   * ```ts
   * const history = await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 32, validationSplit: 0.1 });
   * await model.fit(loader, { epochs: 5, validationData: testLoader });
   * ```
   */
  fit(x: ModelData, y: ModelData, args?: FitArgs): Promise<History>;
  fit(data: Iterable<unknown> | AsyncIterable<unknown>, args?: FitArgs): Promise<History>;
  fit(x: unknown, y?: unknown, args?: FitArgs): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /** TensorFlow.js' name for fit on a dataset of batches. */
  fitDataset(dataset: Iterable<unknown> | AsyncIterable<unknown>, args: FitArgs = {}): Promise<History> {
    return fitModel(this, dataset, args, undefined);
  }

  /** One optimizer step on one batch; returns [loss, ...metrics] of that batch (or the loss alone). */
  trainOnBatch(x: ModelData, y: ModelData): number | number[] {
    return trainOnBatch(this, x, y);
  }

  /**
   * The loss and metrics on (x, y), in inference mode: scalar tensors [loss, ...metrics]
   * (the loss alone without metrics), as TensorFlow.js; `{returnDict: true}` gives a
   * record of numbers by name.
   */
  evaluate(x: ModelData, y: ModelData, args?: EvaluateArgs): Tensor | Tensor[] | Record<string, number>;
  evaluate(data: Iterable<unknown>, args?: EvaluateArgs): Tensor | Tensor[] | Record<string, number>;
  evaluate(x: unknown, y?: unknown, args?: EvaluateArgs): Tensor | Tensor[] | Record<string, number> {
    return evaluateModel(this, x, y, args);
  }

  /** evaluate over an async iterable of batches (or any iterable). */
  evaluateDataset(data: Iterable<unknown> | AsyncIterable<unknown>, args?: EvaluateArgs): Promise<Tensor | Tensor[] | Record<string, number>> {
    return evaluateDataset(this, data, args);
  }

  /** The outputs for x, in batches, in inference mode, without gradients. */
  predict(x: ModelData, args: PredictArgs = {}): Tensor | Tensor[] {
    return predictModel(this, x, args);
  }

  // ---- weights ----

  /** The weight penalties of every layer's regularizers, which fit adds to the loss. */
  regularizationLosses(): Tensor[] {
    return this.layers.flatMap((l) => (l.built ? l.regularizationLosses() : []));
  }

  get trainableWeights(): Tensor[] {
    return unique(this.layers.flatMap((l) => l.trainableWeights));
  }

  get nonTrainableWeights(): Tensor[] {
    const trainable = new Set(this.trainableWeights);
    return unique(this.layers.flatMap((l) => l.nonTrainableWeights)).filter((w) => !trainable.has(w));
  }

  get weights(): Tensor[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /** The trainable weights, in the order the compiled optimizer holds them. */
  parameters(): Tensor[] {
    return this.trainableWeights;
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** The parameters by `stateDict()` name (`dense.weight`), with their `.grad` after a training step. */
  namedParameters(): [string, Tensor][] {
    return this.module.namedParameters();
  }

  /** Copies of every layer's weights, layer by layer. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Sets every layer's weights from a list in getWeights order. */
  setWeights(weights: readonly Tensor[]): void {
    const expected = this.layers.reduce((n, l) => n + l.weights.length, 0);
    if (weights.length !== expected) throw new ValueError(`setWeights: the model has ${expected} weights, got ${weights.length}`);
    let i = 0;
    for (const layer of this.layers) {
      const n = layer.weights.length;
      layer.setWeights(weights.slice(i, i + n));
      i += n;
    }
  }

  /** Weights and buffers by `layer.name`: `dense.weight`, `batch_normalization.running_mean`, ... */
  stateDict(): StateDict {
    return this.module.stateDict();
  }

  /** Copies weights in by name; with `strict` (default) every name must match. */
  loadStateDict(state: StateDict, options: { strict?: boolean } = {}): unknown {
    return this.module.loadStateDict(state, options);
  }

  // ---- description ----

  /** Prints the Keras summary table (to console.log, or `printFn`) and returns its text. */
  summary(lineLength?: number | SummaryOptions, positions?: number[], printFn?: (line: string) => void): string {
    const options: SummaryOptions = typeof lineLength === 'object' ? lineLength : { lineLength, positions, printFn };
    const lines = summaryLines(this.summaryModel(), options);
    const print = options.printFn ?? ((line: string) => console.log(line));
    for (const line of lines) print(line);
    return lines.join('\n');
  }

  /** What the summary shows. */
  protected summaryModel(): SummaryModel {
    const graph = this.requireGraph('summary');
    const inGraph = new Set(graph.nodes);
    const sequentialLike = isChain(graph);
    const rows: SummaryRow[] = this.summaryLayers().map((layer) => {
      const nodes = layer.inboundNodes.filter((n) => inGraph.has(n));
      const shapes = new Set(nodes.map((n) => formatShape(n.outputs[0].shape)));
      let outputShape = shapes.size === 1 ? [...shapes][0] : 'multiple';
      if (layer instanceof InputLayer) outputShape = `[${outputShape}]`;
      const connections = nodes.flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]`));
      return { name: layer.name, className: layer.className, outputShape, params: layer.countParams(), connections };
    });
    const count = (ws: Tensor[]): number => ws.reduce((n, w) => n + w.size, 0);
    return { name: this.name, rows, sequentialLike, trainableParams: count(this.trainableWeights), nonTrainableParams: count(this.nonTrainableWeights) };
  }

  /** The layers the summary lists. */
  protected summaryLayers(): Layer[] {
    return this.layers;
  }

  /** The architecture as JSON (`{className, config}`), from which `sd.models.modelFromJSON` rebuilds the model. */
  toJSON(): { className: string; config: Record<string, unknown> } {
    return functionalConfig(this.name, this.requireGraph('toJSON'));
  }

  /** The compile settings as JSON, or null when not compiled or compiled with code (functions, objects). */
  getCompileConfig(): CompileConfig | null {
    const args = this.#compileArgs;
    if (!args) return null;
    const opt = this.#optimizer;
    let optimizer: CompileConfig['optimizer'] | null = null;
    if (opt) optimizer = serializeOptimizer(opt);
    else if (typeof args.optimizer === 'string') optimizer = { className: args.optimizer, config: {} };
    const losses = Array.isArray(args.loss) ? args.loss.map(serializeLoss) : [serializeLoss(args.loss as never)];
    const metricsOk = args.metrics === undefined || (Array.isArray(args.metrics) && args.metrics.every((m) => typeof m === 'string'));
    if (!optimizer || losses.some((l) => l === undefined) || !metricsOk) return null;
    return {
      optimizer,
      loss: Array.isArray(args.loss) ? losses : losses[0],
      metrics: args.metrics ?? [],
      ...(Array.isArray(args.lossWeights) ? { lossWeights: [...args.lossWeights] } : {}),
    };
  }

  /** Compiles from what getCompileConfig returned. */
  compileFromConfig(config: unknown): void {
    const c = config as CompileConfig;
    if (!c || typeof c !== 'object' || !c.optimizer || c.loss === undefined) throw new ValueError(`compileFromConfig: expected { optimizer, loss, metrics }`);
    this.compile({ optimizer: c.optimizer, loss: c.loss as CompileArgs['loss'], metrics: (c.metrics ?? []) as string[], ...(c.lossWeights ? { lossWeights: c.lossWeights } : {}) });
  }

  /**
   * Writes the model to one safetensors file: weights, architecture and compile settings
   * (`includeOptimizer` adds the optimizer state, `epoch` the training position). Load it
   * with `sd.loadModel(path)`.
   */
  save(path: string, options: SaveModelOptions = {}): void {
    saveModel(this, path, options);
  }

  toString(): string {
    return `${this.className}(name=${this.name}, layers=${this.layers.length}${this.built ? `, params=${this.countParams()}` : ', not built'})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function unique(tensors: Tensor[]): Tensor[] {
  return [...new Set(tensors)];
}
