/**
 * The architecture of a functional model as JSON, in Keras' layout: every layer's
 * `{className, name, config}` with `inboundNodes` — per application of the layer in this
 * model, its inputs as `[layerName, nodeIndex, tensorIndex, callArgs]` — and the model's
 * `inputLayers` and `outputLayers` as `[layerName, nodeIndex, tensorIndex]`. Node indices
 * count only the applications inside this model.
 */
import type { Layer } from '../layers/layer.js';
import type { Node, SymbolicTensor } from '../layers/symbolic.js';
import { nodeOf, type Graph } from './functional.js';

export function functionalConfig(name: string, graph: Graph): { className: string; config: Record<string, unknown> } {
  const inGraph = new Set(graph.nodes);
  const localNodes = new Map<Layer, Node[]>();
  for (const layer of graph.layers) localNodes.set(layer, layer.inboundNodes.filter((n) => inGraph.has(n)));
  const localIndex = (node: Node): number => (localNodes.get(node.layer) as Node[]).indexOf(node);
  const ref = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, localIndex(nodeOf(t)), t.tensorIndex];
  const layers = graph.layers.map((layer) => ({
    className: layer.className,
    name: layer.name,
    config: layer.getConfig(),
    inboundNodes: (localNodes.get(layer) as Node[])
      .filter((node) => node.inputs.length > 0)
      .map((node) => node.inputs.map((t) => [...ref(t), { ...node.callArgs }])),
  }));
  return {
    className: 'Functional',
    config: { name, layers, inputLayers: graph.inputs.map(ref), outputLayers: graph.outputs.map(ref) },
  };
}
