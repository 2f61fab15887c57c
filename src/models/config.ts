/**
 * Rebuilding models from their JSON architecture (`model.toJSON()`), with fresh weights
 * and no user code: `sd.models.modelFromJSON(json)`. Layers are made by class name from
 * the layer registry (`sd.layers.registerLayer` for custom ones). The model classes
 * register themselves with the model file reader, so `sd.loadModel(path)` rebuilds them.
 *
 * ```ts
 * const json = JSON.stringify(model.toJSON());
 * const copy = sd.models.modelFromJSON(json);    // same architecture, new weights
 * copy.setWeights(model.getWeights());
 * ```
 */
import { ValueError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { layerFromConfig } from '../layers/registry.js';
import type { Layer, LayerConfig } from '../layers/layer.js';
import type { CallArgs, Shape, SymbolicTensor } from '../layers/symbolic.js';
import { registerModelLoader } from '../io/model-file.js';
import { LayersModel } from './model.js';
import { Sequential } from './sequential.js';

type Ref = [string, number, number, CallArgs?];

interface FunctionalLayerJSON {
  className: string;
  name: string;
  config: LayerConfig;
  inboundNodes?: Ref[][];
}

/** Rebuilds a model from `model.toJSON()` (an object or its JSON text). */
export function modelFromJSON(json: unknown): LayersModel {
  const value = typeof json === 'string' ? parse(json) : json;
  if (!value || typeof value !== 'object') throw new ValueError(`modelFromJSON: expected { className, config }, got ${String(value)}`);
  const { className, config } = value as { className?: unknown; config?: Record<string, unknown> };
  if (!config || typeof config !== 'object') throw new ValueError(`modelFromJSON: the architecture has no config`);
  if (className === 'Sequential') return sequentialFromConfig(config);
  if (className === 'Functional' || className === 'Model') return functionalFromConfig(config);
  throw new ValueError(`modelFromJSON: unknown model class ${JSON.stringify(className)} (known: Sequential, Functional)`);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValueError(`modelFromJSON: not valid JSON: ${(err as Error).message}`);
  }
}

function sequentialFromConfig(config: Record<string, unknown>): Sequential {
  const layers = config.layers;
  if (!Array.isArray(layers)) throw new ValueError(`modelFromJSON: a Sequential config needs a layers list`);
  const model = new Sequential({ name: config.name as string | undefined, layers: layers.map((l) => layerFromConfig(l)) });
  if (!model.built && Array.isArray(config.buildInputShape)) model.build(config.buildInputShape as Shape, config.inputDType as DType | undefined);
  return model;
}

function functionalFromConfig(config: Record<string, unknown>): LayersModel {
  const entries = config.layers as FunctionalLayerJSON[];
  if (!Array.isArray(entries)) throw new ValueError(`modelFromJSON: a Functional config needs a layers list`);
  const layers = new Map<string, Layer>();
  for (const e of entries) {
    if (layers.has(e.name)) throw new ValueError(`modelFromJSON: two layers are named '${e.name}'`);
    layers.set(e.name, layerFromConfig({ className: e.className, config: { ...e.config, name: e.name } }));
  }
  const tensors = new Map<string, SymbolicTensor>();
  const key = (name: string, node: number, index: number): string => `${name}:${node}:${index}`;
  const made = new Map<string, number>();
  for (const e of entries) {
    const layer = layers.get(e.name) as Layer;
    if (layer.inboundNodes.length > 0 && (e.inboundNodes ?? []).length === 0) {
      tensors.set(key(e.name, 0, 0), layer.inboundNodes[0].outputs[0]);
      made.set(e.name, 1);
    } else made.set(e.name, 0);
  }
  // Apply nodes whose inputs exist, again and again: a shared layer's later node may need layers listed after it.
  let progress = true;
  while (progress) {
    progress = false;
    for (const e of entries) {
      const nodes = e.inboundNodes ?? [];
      const done = made.get(e.name) as number;
      if (done >= nodes.length || (layers.get(e.name) as Layer).className === 'InputLayer') continue;
      const refs = nodes[done];
      const inputs = refs.map(([n, node, index]) => tensors.get(key(n, node, index)));
      if (inputs.some((t) => t === undefined)) continue;
      const callArgs = (refs[0]?.[3] ?? {}) as CallArgs;
      tensors.set(key(e.name, done, 0), (layers.get(e.name) as Layer).apply(inputs as SymbolicTensor[], callArgs));
      made.set(e.name, done + 1);
      progress = true;
    }
  }
  for (const e of entries) {
    const nodes = e.inboundNodes ?? [];
    if ((layers.get(e.name) as Layer).className !== 'InputLayer' && (made.get(e.name) as number) < nodes.length) {
      throw new ValueError(`modelFromJSON: cannot connect layer '${e.name}': its inputs are never produced`);
    }
  }
  const resolve = (what: string, refs: unknown): SymbolicTensor[] => {
    if (!Array.isArray(refs)) throw new ValueError(`modelFromJSON: ${what} must be a list of [layerName, nodeIndex, tensorIndex]`);
    return refs.map((r: Ref) => {
      const t = tensors.get(key(r[0], r[1], r[2]));
      if (!t) throw new ValueError(`modelFromJSON: ${what} names ${JSON.stringify(r)}, which is not in the graph`);
      return t;
    });
  };
  return new LayersModel({
    name: config.name as string | undefined,
    inputs: resolve('inputLayers', config.inputLayers),
    outputs: resolve('outputLayers', config.outputLayers),
  });
}

registerModelLoader('Sequential', (architecture) => modelFromJSON(architecture));
registerModelLoader('Functional', (architecture) => modelFromJSON(architecture));
