import { resolveModelPath } from './uri.js';
import { FormatError, ValueError } from '../errors.js';
import type { StateDict } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';
import { Generator, globalGenerator, type GeneratorState } from '../tensor/random.js';
// type only: the Keras-style model is what a model file usually holds, so the loaders return it by default
import type { LayersModel } from '../models/model.js';
import { writeFileAtomic } from './atomic.js';
import { parseJSON, stringifyJSON } from './json.js';
import { flattenOptimizer, optimizerClass, unflattenOptimizer } from './optimizer-state.js';
import { loadSafetensors } from './files.js';
import { layoutSafetensors } from './safetensors.js';

/**
 * The model file: one safetensors file holding a Keras-style model's weights as tensors
 * and, in `__metadata__`, as JSON strings:
 *
 * | key | value |
 * |---|---|
 * | `format` | `shendu.model` |
 * | `format_version` | `1` |
 * | `model_class` | the class a loader is registered for (`Sequential`, `Functional`) |
 * | `architecture` | what `model.toJSON()` returned |
 * | `compile_config` | `model.getCompileConfig()`, when the model was compiled |
 * | `optimizer` | class, param groups and step counters; its tensors are `optimizer.state.<i>.<name>` |
 * | `training_state` | `{ epoch, generator, ... }` of a checkpoint (`generator`: the global generator's state) |
 *
 * No code runs on load: the architecture is data, rebuilt by the loader registered for
 * `model_class`. The weights keep their `stateDict()` names, so any tool reads them.
 */

/** What saving and loading need of a Keras-style model. */
export interface SavableModel {
  /** The architecture as JSON (an object, or its text), from which the registered loader rebuilds the model. */
  toJSON(): unknown;
  /** The weights (and persistent buffers) by name. */
  stateDict(): StateDict;
  /** Copies weights in; throws, copying nothing, when names or shapes do not match. */
  loadStateDict(state: StateDict, options?: { strict?: boolean }): unknown;
  /** The trainable tensors, in the order the optimizer of `compile()` holds them. */
  parameters?(): Tensor[];
  /** The optimizer of `compile()`, if compiled. */
  optimizer?: Optimizer | null;
  /** The settings of `compile()` as JSON (Keras' `get_compile_config`), or null if not compiled. */
  getCompileConfig?(): unknown;
  /** Compiles from what `getCompileConfig` returned (Keras' `compile_from_config`). */
  compileFromConfig?(config: unknown): void;
}

/** Rebuilds a model, with fresh weights, from the JSON its `toJSON()` gave. */
export type ModelLoader = (architecture: unknown) => SavableModel;

export interface SaveModelOptions {
  /** Also save the optimizer's state (moments, step counts), to resume training exactly. Default false. */
  includeOptimizer?: boolean;
  /** The epoch reached, stored in the training state, for `initialEpoch` when resuming. */
  epoch?: number;
  /** More JSON to keep with a checkpoint (scheduler state, best metric, ...). */
  trainingState?: Record<string, unknown>;
  /**
   * Save the global generator's state, which `loadCheckpoint` restores, so that shuffles
   * and dropout masks continue as in an uninterrupted run. Default: true for a checkpoint
   * (`epoch` given, as ModelCheckpoint does), false otherwise.
   */
  includeGenerator?: boolean;
}

export interface LoadCheckpointOptions {
  /** Restore the global generator from the file's training state, when saved. Default true. */
  restoreGenerator?: boolean;
}

/** What `loadCheckpoint` returns. */
export interface LoadedModel<M extends SavableModel = SavableModel> {
  model: M;
  /** The restored optimizer: the model's after compiling, or one rebuilt from `sd.optim`; null if the file has none. */
  optimizer: Optimizer | null;
  /** The saved training state (`epoch`, ...); empty if none was saved. */
  trainingState: Record<string, unknown>;
  /** All metadata strings of the file. */
  metadata: Record<string, string>;
}

export const MODEL_FORMAT = 'shendu.model';
export const MODEL_FORMAT_VERSION = '1';

const loaders = new Map<string, ModelLoader>();

/**
 * Registers how to rebuild models whose architecture names `className` (Keras'
 * `class_name`). The model classes register themselves; user code needs this only for
 * its own model classes (Keras' `custom_objects`).
 */
export function registerModelLoader(className: string, loader: ModelLoader): void {
  loaders.set(className, loader);
}

/**
 * Saves a Keras-style model to one safetensors file: weights, architecture, compile
 * settings and, with `includeOptimizer`, the optimizer state and training position. The
 * write is atomic.
 *
 * ```ts
 * sd.io.saveModel(model, 'mnist.safetensors');
 * const again = sd.loadModel('mnist.safetensors');
 * ```
 */
export function saveModel(model: SavableModel, path: string, options: SaveModelOptions = {}): void {
  const op = 'saveModel';
  let architecture = model.toJSON();
  if (typeof architecture === 'string') architecture = JSON.parse(architecture);
  const metadata: Record<string, string> = {
    format: MODEL_FORMAT,
    format_version: MODEL_FORMAT_VERSION,
    model_class: classNameOf(architecture) ?? model.constructor.name,
    architecture: stringifyJSON(architecture),
  };
  const compileConfig = model.getCompileConfig?.() ?? null;
  if (compileConfig !== null) metadata.compile_config = stringifyJSON(compileConfig);

  const tensors: Record<string, Tensor> = { ...model.stateDict() };
  if (options.includeOptimizer) {
    if (!model.optimizer) throw new ValueError(`${op}: includeOptimizer is set but the model has no optimizer (compile it first)`);
    const flat = flattenOptimizer(model.optimizer);
    for (const [name, t] of Object.entries(flat.tensors)) {
      if (Object.hasOwn(tensors, name)) throw new ValueError(`${op}: the model has a weight named '${name}', which the optimizer state needs`);
      tensors[name] = t;
    }
    metadata.optimizer = stringifyJSON(flat.json);
  }
  if (options.epoch !== undefined && !(Number.isInteger(options.epoch) && options.epoch >= 0)) {
    throw new ValueError(`${op}: epoch must be a non-negative integer, got ${String(options.epoch)}`);
  }
  const training: Record<string, unknown> = { ...options.trainingState, ...(options.epoch !== undefined ? { epoch: options.epoch } : {}) };
  if (options.includeGenerator ?? options.epoch !== undefined) training.generator = globalGenerator.getState();
  if (Object.keys(training).length > 0) metadata.training_state = stringifyJSON(training);

  const { head, chunks } = layoutSafetensors(op, tensors, metadata);
  writeFileAtomic(path, [head, ...chunks]);
}

/**
 * Loads a model saved by `model.save(path)` / `saveModel`: rebuilds the architecture (no
 * user code runs), loads the weights, and compiles it as it was. Predictions are
 * identical, bit for bit. A file that is truncated, corrupted, or not a model file
 * throws a FormatError; nothing half-built is ever returned. The result is typed as a
 * Keras-style `LayersModel` (Sequential and functional models are); name your own class
 * for models of your own: `sd.loadModel<MyModel>(path)`.
 *
 * ```ts
 * const model = sd.loadModel('mnist.safetensors');
 * model.predict(x);
 * const champion = sd.loadModel('models:/mnist@champion');   // a registered version
 * ```
 */
export function loadModel<M extends SavableModel = LayersModel>(path: string): M {
  return loadCheckpoint<M>(path, { restoreGenerator: false }).model;
}

/**
 * Loads a model file with what is needed to resume training: the optimizer (state
 * restored) and the saved training state; the global generator continues from where the
 * checkpoint was written (unless `restoreGenerator` is false), so that `fit` with
 * `initialEpoch` reaches the weights of an uninterrupted run.
 *
 * ```ts
 * const { model, trainingState } = sd.io.loadCheckpoint('ckpt.safetensors');
 * model.fit(x, y, { epochs: 10, initialEpoch: trainingState.epoch as number });
 * ```
 */
export function loadCheckpoint<M extends SavableModel = LayersModel>(pathOrUri: string, options: LoadCheckpointOptions = {}): LoadedModel<M> {
  const path = resolveModelPath(pathOrUri);
  const source = path === pathOrUri ? `'${path}'` : `'${pathOrUri}' (${path})`;
  const { tensors, metadata } = loadSafetensors(path);
  const fail = (problem: string): FormatError => new FormatError(`loadModel: ${source}: ${problem}`);
  if (metadata.format !== MODEL_FORMAT) {
    throw fail(`not a Shendu model file (its metadata has no format '${MODEL_FORMAT}'); a plain safetensors file loads as a state dict with sd.io.loadStateDict`);
  }
  if (metadata.format_version !== MODEL_FORMAT_VERSION) {
    throw fail(`format version ${JSON.stringify(metadata.format_version)} is not supported (this version reads ${MODEL_FORMAT_VERSION})`);
  }
  const readJSON = (key: string): unknown => {
    if (metadata[key] === undefined) return undefined;
    try {
      return parseJSON(metadata[key]);
    } catch (err) {
      throw fail(`metadata '${key}' is not valid JSON: ${(err as Error).message}`);
    }
  };
  const architecture = readJSON('architecture');
  if (architecture === undefined) throw fail(`the metadata has no 'architecture'`);
  const className = metadata.model_class;
  const loader = loaders.get(className);
  if (!loader) {
    throw fail(`no loader for model class '${className}' (known: ${[...loaders.keys()].join(', ') || 'none'}); register one with sd.io.registerModelLoader`);
  }

  const optimizerJSON = readJSON('optimizer');
  let flatOptimizer: ReturnType<typeof unflattenOptimizer> | null = null;
  const weights: StateDict = {};
  try {
    if (optimizerJSON !== undefined) flatOptimizer = unflattenOptimizer(optimizerJSON, tensors);
  } catch (err) {
    throw fail((err as Error).message);
  }
  const optimizerTensors = new Set(flatOptimizer ? Object.values(flatOptimizer.dict.state).flatMap((s) => Object.values(s)) : []);
  for (const [name, t] of Object.entries(tensors)) if (!optimizerTensors.has(t)) weights[name] = t;

  const step = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw fail(`${what}: ${(err as Error).message}`);
    }
  };
  const model = step('cannot rebuild the architecture', () => loader(architecture)) as M;
  step('the weights do not fit the architecture', () => model.loadStateDict(weights, { strict: true }));
  const compileConfig = readJSON('compile_config');
  if (compileConfig !== undefined && model.compileFromConfig) {
    step('cannot compile the model as saved', () => model.compileFromConfig?.(compileConfig));
  }
  let optimizer: Optimizer | null = null;
  if (flatOptimizer) {
    const saved = flatOptimizer;
    optimizer = step('cannot restore the optimizer', () => restoreOptimizer(model, saved.className, saved.dict));
  }
  const training = readJSON('training_state');
  const trainingState = training !== null && typeof training === 'object' ? (training as Record<string, unknown>) : {};
  if (trainingState.generator !== undefined) {
    // checked on a scratch generator first, so a bad entry leaves the global one alone
    const state = trainingState.generator as GeneratorState;
    step(`training state 'generator' is not a generator state`, () => new Generator(0).setState(state));
    // last: rebuilding the model above drew initial weights from the global generator
    if (options.restoreGenerator ?? true) globalGenerator.setState(state);
  }
  return { model, optimizer, trainingState, metadata };
}

/**
 * The compiled optimizer (checked to be of the saved class), else a new one of the saved
 * `sd.optim` class over `model.parameters()` in the saved groups; then the state is loaded.
 */
function restoreOptimizer(model: SavableModel, className: string, dict: OptimizerStateDict): Optimizer {
  let optimizer = model.optimizer ?? null;
  if (optimizer && optimizer.constructor.name !== className) {
    throw new ValueError(`the model compiled ${optimizer.constructor.name}, but the file holds the state of ${className}`);
  }
  if (!optimizer) {
    const Class = optimizerClass(className);
    if (!Class) throw new ValueError(`unknown optimizer class '${className}'`);
    if (!model.parameters) throw new ValueError(`the model has no parameters() to build a ${className} on`);
    const params = model.parameters();
    const groups = dict.paramGroups.map((g) => ({
      params: g.params.map((i) => {
        if (!(i >= 0 && i < params.length)) throw new ValueError(`parameter index ${i} of the optimizer state is out of range (the model has ${params.length})`);
        return params[i];
      }),
    }));
    optimizer = new Class(groups);
  }
  optimizer.loadStateDict(dict);
  return optimizer;
}

function classNameOf(architecture: unknown): string | undefined {
  if (architecture === null || typeof architecture !== 'object') return undefined;
  const a = architecture as { className?: unknown; class_name?: unknown };
  const name = a.className ?? a.class_name;
  return typeof name === 'string' ? name : undefined;
}
