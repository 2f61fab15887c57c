/**
 * The model as a graph of layers, for the dashboard's model picture: built from what a
 * run logged, the architecture JSON (`model/architecture.json`: layer classes, configs and,
 * for functional models, which layers feed which) and the summary table
 * (`model/summary.txt`: output shapes, parameter counts and "Connected to").
 *
 * The architecture may be Keras/tfjs JSON (`{className|class_name, config: {layers}}`,
 * inbound nodes as `[['dense', 0, 0, {}]]` or Keras 3 `keras_history`), or the plain form
 * `{name, layers: [{name, className, outputShape?, params?, inputs?: [names]}]}`. Layers
 * without inbound nodes form a chain, as in a Sequential model.
 */

export interface GraphNode {
  name: string;
  className: string;
  /** As the summary prints it: `(None, 128)`; null if unknown. */
  outputShape: string | null;
  params: number | null;
  /** The layer's config from the architecture JSON (units, activation, ...). */
  config: Record<string, unknown> | null;
  /** Names of the layers this one reads. */
  inputs: string[];
}

export interface ModelGraph {
  name: string;
  className: string;
  nodes: GraphNode[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
}

export interface SummaryLayer {
  name: string;
  className: string;
  outputShape: string;
  params: number;
  /** From "Connected to"; null when the table has no such column (a chain). */
  inputs: string[] | null;
}

export interface ParsedSummary {
  name: string;
  layers: SummaryLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
}

interface ArchLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
  outputShape: string | null;
  params: number | null;
  inputs: string[] | null;
}

interface ParsedArchitecture {
  name: string;
  className: string;
  layers: ArchLayer[];
  /** A Sequential's input shape when the model records it (`buildInputShape`), not its first layer. */
  inputShape: unknown[] | null;
}

/** Parses a Keras-style summary table (see src/models/summary.ts); undefined if it is not one. */
export function parseSummary(text: string): ParsedSummary | undefined {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.includes('Layer (type)') && l.includes('Param #'));
  if (headerAt < 0) return undefined;
  const header = lines[headerAt];
  const starts = [0, header.indexOf('Output Shape'), header.indexOf('Param #'), header.indexOf('Connected to')].filter((s, i) => i < 3 || s >= 0);
  const cut = (line: string): string[] => starts.map((s, i) => line.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trim());
  const hasConnections = starts.length === 4;
  const layers: SummaryLayer[] = [];
  const pieces: string[][] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (/^\s*(Total|Trainable|Non-trainable) params/.test(line)) break;
    if (/^[\s_=]*$/.test(line)) continue;
    const fields = cut(line);
    // a new row always shows its parameter count; wrapped lines leave that column empty
    if (fields[2] !== '' || pieces.length === 0) pieces.push(fields);
    else pieces[pieces.length - 1].forEach((_, i, row) => (row[i] += fields[i] ?? ''));
  }
  for (const [first, shape, params, connected] of pieces) {
    const named = /^(.*?)\s*\(([^()]*)\)$/.exec(first);
    layers.push({
      name: named ? named[1] : first,
      className: named ? named[2] : '',
      outputShape: shape.replace(/,(?=\S)/g, ', '),
      params: Number(params.replace(/,/g, '')) || 0,
      inputs: hasConnections ? [...(connected ?? '').matchAll(/([^\s'",[\]]+)\[\d+\]\[\d+\]/g)].map((m) => m[1]) : null,
    });
  }
  const total = (label: string): number | null => {
    const m = new RegExp(`^\\s*${label} params:\\s*([\\d,]+)`, 'm').exec(text);
    return m ? Number(m[1].replace(/,/g, '')) : null;
  };
  return {
    name: /Model:\s*"([^"]*)"/.exec(text)?.[1] ?? 'model',
    layers,
    totalParams: total('Total'),
    trainableParams: total('Trainable'),
    nonTrainableParams: total('Non-trainable'),
  };
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses an architecture JSON in one of the forms this file's header lists; undefined if none. */
export function parseArchitecture(value: unknown): ParsedArchitecture | undefined {
  if (!isObject(value)) return undefined;
  // tfjs model.json wraps the topology; Keras' model config sits under model_config
  const wrapped = value.modelTopology ?? value.model_config ?? value.modelConfig;
  const top = isObject(wrapped) ? wrapped : value;
  const config = isObject(top.config) ? top.config : top;
  const list = Array.isArray(config.layers) ? config.layers : Array.isArray(top.config) ? top.config : Array.isArray(top.layers) ? top.layers : undefined;
  if (!list) return undefined;
  const layers: ArchLayer[] = [];
  list.forEach((raw, i) => {
    if (!isObject(raw)) return;
    const layerConfig = isObject(raw.config) ? raw.config : {};
    const inbound = raw.inboundNodes ?? raw.inbound_nodes;
    const explicit = Array.isArray(raw.inputs) ? raw.inputs.filter((x): x is string => typeof x === 'string') : null;
    const refs = explicit ?? (inbound !== undefined ? [...new Set(layerRefs(inbound))] : null);
    layers.push({
      name: String(raw.name ?? layerConfig.name ?? `layer_${i}`),
      className: String(raw.className ?? raw.class_name ?? raw.type ?? 'Layer'),
      config: layerConfig,
      outputShape: typeof raw.outputShape === 'string' ? raw.outputShape : Array.isArray(raw.outputShape) ? formatShape(raw.outputShape) : null,
      params: typeof raw.params === 'number' ? raw.params : null,
      inputs: refs,
    });
  });
  const inputShape = config.buildInputShape ?? config.build_input_shape;
  return {
    name: String(config.name ?? top.name ?? 'model'),
    className: String(top.className ?? top.class_name ?? (layers.some((l) => l.inputs !== null) ? 'Functional' : 'Sequential')),
    layers,
    inputShape: Array.isArray(inputShape) ? inputShape : null,
  };
}

/** The layer names referenced in inbound nodes: `[name, node, tensor, …]` arrays or Keras 3 `keras_history`. */
function layerRefs(value: unknown): string[] {
  if (Array.isArray(value)) {
    if (value.length >= 3 && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number') return [value[0]];
    return value.flatMap(layerRefs);
  }
  if (isObject(value)) {
    const history = value.keras_history ?? value.kerasHistory;
    if (Array.isArray(history) && typeof history[0] === 'string') return [history[0]];
    if (typeof value.layer === 'string' || typeof value.layerName === 'string') return [String(value.layer ?? value.layerName)];
    return Object.values(value).flatMap(layerRefs);
  }
  return [];
}

/** `[null, 28, 28, 1]` → `(None, 28, 28, 1)`. */
export function formatShape(shape: readonly unknown[]): string {
  return `(${shape.map((d) => (d === null || d === undefined || d === -1 ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/**
 * Builds the graph from a parsed architecture and/or summary (at least one): layers in the
 * architecture's order, shapes and parameter counts from the summary, and edges from the
 * inbound nodes, else from "Connected to", else as a chain. A chain whose first layer
 * declares its input shape (or whose model records it) gets an input node in front.
 */
export function buildModelGraph(architecture?: ParsedArchitecture, summary?: ParsedSummary): ModelGraph | undefined {
  if (!architecture?.layers.length && !summary?.layers.length) return undefined;
  const byName = new Map<string, GraphNode>();
  const order: string[] = [];
  const explicitInputs = new Map<string, string[]>();
  const add = (name: string, className: string): GraphNode => {
    let node = byName.get(name);
    if (!node) {
      node = { name, className, outputShape: null, params: null, config: null, inputs: [] };
      byName.set(name, node);
      order.push(name);
    }
    if (!node.className && className) node.className = className;
    return node;
  };
  for (const layer of architecture?.layers ?? []) {
    const node = add(layer.name, layer.className);
    node.config = layer.config;
    node.outputShape = layer.outputShape;
    node.params = layer.params;
    if (layer.inputs) explicitInputs.set(layer.name, layer.inputs);
  }
  for (const row of summary?.layers ?? []) {
    const node = add(row.name, row.className);
    node.outputShape = row.outputShape || node.outputShape;
    node.params = row.params;
    if (row.inputs && !explicitInputs.has(row.name)) explicitInputs.set(row.name, row.inputs);
  }
  const graphLike = [...explicitInputs.values()].some((inputs) => inputs.length > 0);
  const nodes = order.map((name) => byName.get(name) as GraphNode);
  if (graphLike) {
    for (const node of nodes) node.inputs = (explicitInputs.get(node.name) ?? []).filter((n) => byName.has(n));
  } else {
    nodes.forEach((node, i) => (node.inputs = i > 0 ? [nodes[i - 1].name] : []));
    const first = nodes[0];
    const config = first.config ?? {};
    const shape = config.batchInputShape ?? config.batch_input_shape ?? config.batchShape ?? config.batch_shape ?? architecture?.inputShape;
    if (first.className !== 'InputLayer' && Array.isArray(shape)) {
      const input: GraphNode = { name: uniqueName('input', byName), className: 'InputLayer', outputShape: formatShape(shape), params: 0, config: null, inputs: [] };
      first.inputs = [input.name];
      nodes.unshift(input);
    }
  }
  const counted = nodes.every((n) => n.params !== null) ? nodes.reduce((s, n) => s + (n.params as number), 0) : null;
  return {
    name: architecture?.name ?? summary?.name ?? 'model',
    className: architecture?.className ?? (graphLike ? 'Functional' : 'Sequential'),
    nodes,
    totalParams: summary?.totalParams ?? counted,
    trainableParams: summary?.trainableParams ?? null,
    nonTrainableParams: summary?.nonTrainableParams ?? null,
  };
}

function uniqueName(base: string, taken: Map<string, unknown>): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}
