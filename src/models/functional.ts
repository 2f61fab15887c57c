/**
 * The graph of a functional model: from its symbolic inputs and outputs, the nodes to run
 * (in an order where every node comes after the nodes it reads) and the layers they use;
 * and running that graph on concrete tensors.
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { InputLayer } from '../layers/input.js';
import type { Layer } from '../layers/layer.js';
import { SymbolicTensor, type Node } from '../layers/symbolic.js';

export interface Graph {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  /** Every node that the outputs depend on, each after its inputs' nodes (input nodes first). */
  nodes: Node[];
  /** The layers of the nodes, each once, in the order of their first node. */
  layers: Layer[];
}

/** The node that produced `t`. */
export function nodeOf(t: SymbolicTensor): Node {
  return t.sourceLayer.inboundNodes[t.nodeIndex];
}

/**
 * Finds the nodes and layers between `inputs` and `outputs`. Throws when an input is not
 * made by `sd.input`, when an output depends on an input that is not listed (a
 * disconnected graph), or when two layers share a name.
 */
export function buildGraph(op: string, inputs: SymbolicTensor[], outputs: SymbolicTensor[]): Graph {
  if (inputs.length === 0 || outputs.length === 0) throw new ValueError(`${op}: needs at least one input and one output`);
  for (const [what, list] of [['inputs', inputs], ['outputs', outputs]] as const) {
    list.forEach((t, i) => {
      if (!(t instanceof SymbolicTensor)) {
        throw new ValueError(`${op}: ${what}[${i}] must be a SymbolicTensor (from sd.input or layer.apply on one), got ${t === null ? 'null' : typeof t}`);
      }
    });
  }
  inputs.forEach((t, i) => {
    if (!(t.sourceLayer instanceof InputLayer)) {
      throw new ValueError(`${op}: inputs[${i}] must come from sd.input(), but it is the output of layer '${t.sourceLayer.name}'`);
    }
  });
  const inputNodes = new Set(inputs.map(nodeOf));
  const nodes: Node[] = [];
  const done = new Set<Node>();
  const visiting = new Set<Node>();
  // `from` is the output (or input) being resolved, for the message of a disconnected graph
  const visit = (node: Node, from: SymbolicTensor): void => {
    if (done.has(node)) return;
    if (visiting.has(node)) throw new ValueError(`${op}: the graph has a cycle through layer '${node.layer.name}'`);
    if (node.layer instanceof InputLayer && !inputNodes.has(node)) {
      throw new ValueError(
        `${op}: graph disconnected: output '${from.name}' depends on input '${node.layer.name}', which is not among the model's inputs ` +
          `(${inputs.map((t) => `'${t.sourceLayer.name}'`).join(', ')})`,
      );
    }
    visiting.add(node);
    for (const t of node.inputs) visit(nodeOf(t), from);
    visiting.delete(node);
    done.add(node);
    nodes.push(node);
  };
  for (const node of inputNodes) visit(node, node.outputs[0]);
  for (const t of outputs) visit(nodeOf(t), t);
  const layers: Layer[] = [];
  const names = new Map<string, Layer>();
  for (const node of nodes) {
    const layer = node.layer;
    if (layers.includes(layer)) continue;
    const other = names.get(layer.name);
    if (other) throw new ValueError(`${op}: two layers are named '${layer.name}' (${other.className} and ${layer.className}); layer names must be unique in a model`);
    names.set(layer.name, layer);
    layers.push(layer);
  }
  return { inputs, outputs, nodes, layers };
}

/**
 * Runs the graph on `inputs` (one tensor per model input, in order), returning one tensor
 * per output. `training` selects training behaviour (dropout, batch statistics) unless a
 * node was applied with its own `{training}`.
 */
export function runGraph(graph: Graph, inputs: readonly Tensor[], training: boolean): Tensor[] {
  const values = new Map<SymbolicTensor, Tensor>();
  graph.inputs.forEach((t, i) => values.set(t, inputs[i]));
  for (const node of graph.nodes) {
    if (node.layer instanceof InputLayer) continue;
    const args = node.inputs.map((t) => values.get(t) as Tensor);
    const out = node.layer.invoke(args, node.callArgs.training ?? training);
    values.set(node.outputs[0], out);
  }
  return graph.outputs.map((t) => values.get(t) as Tensor);
}

/**
 * Whether the graph is a plain chain (each node one input, each layer used once), which
 * Keras prints as a sequential summary.
 */
export function isChain(graph: Graph): boolean {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return false;
  const counts = new Map<Layer, number>();
  for (const node of graph.nodes) {
    if (node.inputs.length > 1) return false;
    counts.set(node.layer, (counts.get(node.layer) ?? 0) + 1);
  }
  const consumers = new Map<SymbolicTensor, number>();
  for (const node of graph.nodes) for (const t of node.inputs) consumers.set(t, (consumers.get(t) ?? 0) + 1);
  return [...counts.values()].every((n) => n === 1) && [...consumers.values()].every((n) => n === 1);
}
