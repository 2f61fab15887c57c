/**
 * Serving inside an application, without HTTP: `sd.serve.load(path)` gives a predictor
 * with the server's checks (shapes and dtypes against the signature) and, optionally, its
 * worker threads and dynamic batching.
 *
 * ```ts
 * const predictor = await sd.serve.load('mnist.safetensors');
 * const probs = await predictor.predict(sd.randn([1, 28, 28])); // Tensor [1,10]
 * await predictor.close();
 * ```
 */
import { Tensor, type NestedArray } from '../tensor/tensor.js';
import { resolveModelUri } from '../track/registry.js';
import { Batcher, type BatchingOptions } from './batcher.js';
import { decodeTensor } from './decode.js';
import { InlineExecutor, WorkerPool, type Executor } from './pool.js';
import { ServeError, shapeText, type LoadedModel, type ModelSource, type Signature, type WireTensor, type WireTensors } from './types.js';

export interface PredictorOptions {
  /** Worker threads to run the model in; 0 (the default) runs it in this thread. */
  workers?: number;
  /** Merge concurrent predict() calls into batches (useful with workers). */
  batching?: BatchingOptions;
}

/** An input of `predict`: a tensor or nested numbers, batch axis first. */
export type PredictInput = Tensor | NestedArray;

export class Predictor {
  private constructor(
    readonly signature: Signature,
    private readonly executor: Executor,
    private readonly batcher: Batcher,
  ) {}

  /**
   * Loads a model file, a `models:/name@alias` URI of the registry, a model source, or a
   * `LoadedModel`, warmed up and ready.
   */
  static async load(model: string | ModelSource | LoadedModel, options: PredictorOptions = {}): Promise<Predictor> {
    const source: ModelSource | LoadedModel =
      typeof model === 'string' ? { kind: 'file', path: /^(models|runs):\//.test(model) ? resolveModelUri(model) : model } : model;
    const workers = options.workers ?? 0;
    let executor: Executor;
    let signature: Signature;
    if (workers > 0) {
      if ('signature' in source) throw new ServeError(400, 'serve.load: a LoadedModel object cannot be sent to workers; give a file or a source, or workers: 0');
      executor = new WorkerPool({ workers });
      try {
        signature = await executor.load('model', source);
      } catch (err) {
        await executor.close();
        throw err;
      }
    } else {
      const inline = new InlineExecutor();
      executor = inline;
      signature = await inline.load('model', source);
    }
    return new Predictor(signature, executor, new Batcher(executor, options.batching));
  }

  /**
   * Runs the model. A model with one input takes a tensor (or nested numbers); with
   * several, an object of them by input name. Returns the output tensor, or an object of
   * tensors by output name when the model has several.
   */
  async predict(input: PredictInput | Record<string, PredictInput>): Promise<Tensor | Record<string, Tensor>> {
    const inputs: WireTensors = {};
    const named = !(input instanceof Tensor) && !Array.isArray(input) && typeof input === 'object' && input !== null;
    if (!named && this.signature.inputs.length > 1) {
      throw new ServeError(400, `predict: the model has ${this.signature.inputs.length} inputs; give an object with ${this.signature.inputs.map((s) => `'${s.name}'`).join(', ')}`);
    }
    for (const spec of this.signature.inputs) {
      const value = named ? (input as Record<string, PredictInput>)[spec.name] : (input as PredictInput);
      if (value === undefined) throw new ServeError(400, `predict: missing input '${spec.name}'`);
      inputs[spec.name] = value instanceof Tensor ? fromTensor(value, spec.shape, spec.name) : decodeTensor(value, spec, `predict: input '${spec.name}'`);
    }
    const rows = new Set(Object.values(inputs).map((t) => t.shape[0]));
    const result = await this.batcher.submit('model', inputs, rows.size === 1 ? [...rows][0] : null);
    const out = Object.fromEntries(Object.entries(result.outputs).map(([name, t]) => [name, new Tensor(t.data, t.shape, t.dtype)]));
    return this.signature.outputs.length === 1 ? out[this.signature.outputs[0].name] : out;
  }

  /** Ends the workers (if any). */
  close(): Promise<void> {
    return this.executor.close();
  }
}

function fromTensor(t: Tensor, shape: readonly number[], name: string): WireTensor {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => shape[i] !== -1 && shape[i] !== d)) {
    throw new ServeError(400, `predict: input '${name}' must have shape ${shapeText(shape)}, got ${shapeText(t.shape)}`);
  }
  return { data: t.values.slice(), shape: [...t.shape], dtype: t.dtype };
}

/** Loads a model for serving in this process: see `Predictor.load`. */
export function load(model: string | ModelSource | LoadedModel, options?: PredictorOptions): Promise<Predictor> {
  return Predictor.load(model, options);
}
