/**
 * Adapters that turn models into `LoadedModel`s: a Keras-style model (what `sd.loadModel`
 * returns), a PyTorch-style `sd.nn.Module` with a signature given by hand, and the model
 * sources a server is configured with (a model file, or a factory exported by a module).
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { noGrad } from '../autograd/mode.js';
import { ValueError } from '../errors.js';
import { loadCheckpoint } from '../io/model-file.js';
import type { Module } from '../nn/module.js';
import { allocArray, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { LoadedModel, ModelSource, Signature, TensorSpec, WireTensors } from './types.js';

/** What the adapter needs of a Keras-style model: symbolic inputs/outputs and `predict`. */
export interface KerasLikeModel {
  inputs: readonly SymbolicLike[];
  outputs: readonly SymbolicLike[];
  inputNames?: readonly string[];
  outputNames?: readonly string[];
  predict(x: Tensor | Tensor[], options?: { batchSize?: number }): Tensor | Tensor[];
  /** The graph on concrete tensors (inference with training false); used when present, as it skips predict's batching. */
  forward?(xs: readonly Tensor[], training: boolean): Tensor[];
}

interface SymbolicLike {
  shape: readonly (number | null)[];
  dtype: DType;
  sourceLayer?: { name: string };
  name?: string;
}

function specOf(t: SymbolicLike, name: string): TensorSpec {
  return { name, shape: t.shape.map((d) => (d === null || d === undefined ? -1 : d)), dtype: t.dtype };
}

function layerName(t: SymbolicLike, fallback: string): string {
  return t.sourceLayer?.name ?? t.name ?? fallback;
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}_${k}`;
  });
}

/**
 * Serves a Keras-style model: inputs and outputs are named after their layers (as TF
 * Serving names a Keras model's signature), the batch axis is -1.
 *
 * ```ts
 * const served = sd.serve.fromKerasModel(sd.loadModel('mnist.safetensors'));
 * served.signature.inputs; // [{ name: 'flatten_input', shape: [-1, 28, 28], dtype: 'float32' }]
 * ```
 */
export function fromKerasModel(model: KerasLikeModel, classLabels?: string[]): LoadedModel {
  if (!model || !Array.isArray(model.inputs) || !Array.isArray(model.outputs) || typeof model.predict !== 'function') {
    throw new ValueError('fromKerasModel: expected a Keras-style model with inputs, outputs and predict() (build it, or give it an input shape)');
  }
  const inNames = uniqueNames(model.inputNames ? [...model.inputNames] : model.inputs.map((t, i) => layerName(t, `input_${i}`)));
  const outNames = uniqueNames(model.outputNames ? [...model.outputNames] : model.outputs.map((t, i) => layerName(t, `output_${i}`)));
  const signature: Signature = {
    inputs: model.inputs.map((t, i) => specOf(t, inNames[i])),
    outputs: model.outputs.map((t, i) => specOf(t, outNames[i])),
    ...(classLabels ? { classLabels } : {}),
  };
  return {
    signature,
    predict(inputs) {
      const xs = inNames.map((n) => inputs[n]);
      let list: Tensor[];
      if (typeof model.forward === 'function') {
        // The inputs were checked against the signature already: run the graph directly.
        list = model.forward(xs, false);
      } else {
        const out = model.predict(xs.length === 1 ? xs[0] : xs, { batchSize: Math.max(1, xs[0].shape[0]) });
        list = Array.isArray(out) ? out : [out];
      }
      return Object.fromEntries(outNames.map((n, i) => [n, list[i]]));
    },
  };
}

/**
 * Serves a PyTorch-style module with the signature you give: `forward` receives the inputs
 * in the signature's order and returns a tensor, a list (in the order of the outputs) or
 * an object of named outputs. The module is put in eval mode.
 *
 * ```ts
 * const net = new sd.nn.Sequential(new sd.nn.Linear(4, 3), new sd.nn.Softmax(-1));
 * const served = sd.serve.fromModule(net, {
 *   inputs: [{ name: 'x', shape: [-1, 4], dtype: 'float32' }],
 *   outputs: [{ name: 'probs', shape: [-1, 3], dtype: 'float32' }],
 * });
 * ```
 */
export function fromModule(module: Module, signature: Signature): LoadedModel {
  module.eval();
  return {
    signature,
    predict(inputs) {
      const out: unknown = module.call(...signature.inputs.map((s) => inputs[s.name]));
      if (out instanceof Tensor) return { [signature.outputs[0].name]: out };
      if (Array.isArray(out)) return Object.fromEntries(signature.outputs.map((s, i) => [s.name, out[i] as Tensor]));
      return out as Record<string, Tensor>;
    },
  };
}

/**
 * Loads a model file (`model.save(path)`) for serving. The file's metadata may hold
 * `class_labels`, a JSON list of class names for `:classify`.
 */
export function loadModelFile(path: string): LoadedModel {
  const { model, metadata } = loadCheckpoint(path);
  let labels: string[] | undefined;
  if (metadata.class_labels !== undefined) {
    const parsed: unknown = JSON.parse(metadata.class_labels);
    if (Array.isArray(parsed)) labels = parsed.map(String);
  }
  return fromKerasModel(model as unknown as KerasLikeModel, labels);
}

/** Builds the model a source describes (a worker calls this for its own copy). */
export async function buildModel(source: ModelSource): Promise<LoadedModel> {
  if (source.kind === 'file') return loadModelFile(source.path);
  const url = isAbsolute(source.module) ? pathToFileURL(source.module).href : source.module;
  const mod = (await import(url)) as Record<string, unknown>;
  const factory = mod[source.export];
  if (typeof factory !== 'function') throw new ValueError(`model source: ${source.module} exports no function '${source.export}'`);
  const model = (await factory(source.options)) as LoadedModel;
  checkModel(model, `${source.module}#${source.export}`);
  return model;
}

function checkModel(model: LoadedModel, what: string): void {
  const sig = model?.signature;
  if (!sig || !Array.isArray(sig.inputs) || !Array.isArray(sig.outputs) || sig.inputs.length === 0 || sig.outputs.length === 0 || typeof model.predict !== 'function') {
    throw new ValueError(`model source: ${what} did not return a LoadedModel (a signature with inputs and outputs, and predict())`);
  }
}

/** Runs the model on wire tensors, without recording gradients, returning fresh wire tensors. */
export function runModel(model: LoadedModel, inputs: WireTensors): WireTensors {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) tensors[name] = new Tensor(t.data, t.shape, t.dtype);
  const outputs = noGrad(() => model.predict(tensors));
  // Outputs must keep the batch size, so that merged requests can be split apart again.
  const sizes = new Set(Object.values(inputs).map((t) => t.shape[0]));
  const rows = sizes.size === 1 ? [...sizes][0] : undefined;
  const wire: WireTensors = {};
  for (const spec of model.signature.outputs) {
    const t = outputs[spec.name];
    if (!(t instanceof Tensor)) throw new ValueError(`the model returned no output '${spec.name}'`);
    if (rows !== undefined && spec.shape.length > 0 && t.shape[0] !== rows) {
      throw new ValueError(`output '${spec.name}' has ${t.shape[0]} rows for a batch of ${rows} (shape [${t.shape.join(',')}])`);
    }
    // A copy: the output may share storage with the model's weights, and it is transferred away.
    wire[spec.name] = { data: t.values.slice(), shape: [...t.shape], dtype: t.dtype };
  }
  return wire;
}

/** A batch of one made of zeros (unknown sizes as 1), to warm a model up before it takes traffic. */
export function warmupInputs(signature: Signature): WireTensors {
  const inputs: WireTensors = {};
  for (const spec of signature.inputs) {
    const shape = spec.shape.map((d) => (d < 0 ? 1 : d));
    inputs[spec.name] = { data: allocArray(spec.dtype, shape.reduce((a, b) => a * b, 1)), shape, dtype: spec.dtype };
  }
  return inputs;
}
