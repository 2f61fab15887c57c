/** The model picture's graph: from summary tables and architecture JSON of the forms models log. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summaryLines, type SummaryRow } from '../../src/models/summary.js';
import { buildModelGraph, parseArchitecture, parseSummary, formatShape } from '../../src/ui/model-graph.js';

const chainRows: SummaryRow[] = [
  { name: 'flatten', className: 'Flatten', outputShape: '(None, 784)', params: 0, connections: [] },
  { name: 'dense', className: 'Dense', outputShape: '(None, 128)', params: 100480, connections: [] },
  { name: 'dense_1', className: 'Dense', outputShape: '(None, 10)', params: 1290, connections: [] },
];

const graphRows: SummaryRow[] = [
  { name: 'in', className: 'InputLayer', outputShape: '[(None, 8)]', params: 0, connections: [] },
  { name: 'left', className: 'Dense', outputShape: '(None, 4)', params: 36, connections: ['in[0][0]'] },
  { name: 'right', className: 'Dense', outputShape: '(None, 4)', params: 36, connections: ['in[0][0]'] },
  { name: 'sum', className: 'Add', outputShape: '(None, 4)', params: 0, connections: ['left[0][0]', 'right[0][0]'] },
];

const summaryOf = (rows: SummaryRow[], sequentialLike: boolean, name = 'model') => {
  const total = rows.reduce((s, r) => s + r.params, 0);
  return summaryLines({ name, rows, sequentialLike, trainableParams: total - 10, nonTrainableParams: 10 }).join('\n');
};

describe('ui: model graph', () => {
  it('parses a chain summary: names, classes, shapes, params and totals', () => {
    const parsed = parseSummary(summaryOf(chainRows, true, 'mlp'));
    assert.ok(parsed);
    assert.equal(parsed.name, 'mlp');
    assert.deepEqual(parsed.layers.map((l) => [l.name, l.className, l.outputShape, l.params, l.inputs]), chainRows.map((r) => [r.name, r.className, r.outputShape, r.params, null]));
    assert.equal(parsed.totalParams, 101770);
    assert.equal(parsed.trainableParams, 101760);
    assert.equal(parsed.nonTrainableParams, 10);
  });

  it('parses a graph summary with "Connected to", and rows wrapped over several lines', () => {
    const long: SummaryRow[] = [
      ...graphRows,
      { name: 'a_really_long_layer_name_that_wraps', className: 'Concatenate', outputShape: '(None, 4, 4, 4, 4, 4, 4, 4, 4, 4)', params: 0, connections: ['left[0][0]', 'right[0][0]', 'sum[0][0]'] },
    ];
    const text = summaryOf(long, false);
    assert.ok(text.split('\n').length > long.length + 9, 'some rows wrap');
    const parsed = parseSummary(text);
    assert.ok(parsed);
    assert.deepEqual(parsed.layers.map((l) => l.name), long.map((r) => r.name));
    assert.deepEqual(parsed.layers.map((l) => l.inputs), [[], ['in'], ['in'], ['left', 'right'], ['left', 'right', 'sum']]);
    assert.equal(parsed.layers[4].outputShape, '(None, 4, 4, 4, 4, 4, 4, 4, 4, 4)');
    assert.equal(parsed.layers[4].className, 'Concatenate');
  });

  it('is not fooled by text that is not a summary', () => {
    assert.equal(parseSummary('hello\nworld'), undefined);
    assert.equal(parseArchitecture('nope'), undefined);
    assert.equal(parseArchitecture({ className: 'Sequential' }), undefined);
    assert.equal(buildModelGraph(undefined, undefined), undefined);
  });

  it('reads inbound nodes of Keras 2, Keras 3 and the plain form', () => {
    const keras2 = parseArchitecture({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          { class_name: 'InputLayer', name: 'in', config: { name: 'in' }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'd', config: { name: 'd', units: 4 }, inbound_nodes: [[['in', 0, 0, {}]]] },
          { class_name: 'Add', name: 'add', config: { name: 'add' }, inbound_nodes: [[['in', 0, 0, {}], ['d', 0, 0, {}]]] },
        ],
      },
    });
    assert.deepEqual(keras2?.layers.map((l) => l.inputs), [[], ['in'], ['in', 'd']]);
    const keras3 = parseArchitecture({
      modelTopology: {
        class_name: 'Functional',
        config: {
          layers: [
            { class_name: 'InputLayer', name: 'x', config: {}, inbound_nodes: [] },
            { class_name: 'Dense', name: 'y', config: {}, inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: ['x', 0, 0] } }], kwargs: {} }] },
          ],
        },
      },
    });
    assert.deepEqual(keras3?.layers.map((l) => [l.name, l.inputs]), [['x', []], ['y', ['x']]]);
    const plain = parseArchitecture({ name: 'p', layers: [{ name: 'a', className: 'Linear', outputShape: [null, 3], params: 12 }, { name: 'b', className: 'ReLU', inputs: ['a'] }] });
    assert.equal(plain?.name, 'p');
    assert.deepEqual(plain?.layers.map((l) => [l.name, l.className, l.outputShape, l.params, l.inputs]), [['a', 'Linear', '(None, 3)', 12, null], ['b', 'ReLU', null, null, ['a']]]);
  });

  it('draws a Sequential as a chain behind an input node, with shapes and params from the summary', () => {
    const architecture = parseArchitecture({
      className: 'Sequential',
      config: { name: 'mlp', layers: chainRows.map((r, i) => ({ className: r.className, config: { name: r.name, ...(i === 0 ? { batchInputShape: [null, 28, 28] } : { units: 1 }) } })) },
    });
    const graph = buildModelGraph(architecture, parseSummary(summaryOf(chainRows, true)));
    assert.ok(graph);
    assert.equal(graph.className, 'Sequential');
    assert.deepEqual(graph.nodes.map((n) => [n.name, n.className, n.outputShape, n.params, n.inputs]), [
      ['input', 'InputLayer', '(None, 28, 28)', 0, []],
      ['flatten', 'Flatten', '(None, 784)', 0, ['input']],
      ['dense', 'Dense', '(None, 128)', 100480, ['flatten']],
      ['dense_1', 'Dense', '(None, 10)', 1290, ['dense']],
    ]);
    assert.deepEqual(graph.nodes[2].config, { name: 'dense', units: 1 });
    assert.equal(graph.totalParams, 101770);
  });

  it('takes a Sequential input shape the model records, when its first layer has none', () => {
    const graph = buildModelGraph(parseArchitecture({ className: 'Sequential', config: { name: 's', buildInputShape: [null, 4], layers: [{ className: 'Dense', config: { name: 'd', units: 2 } }] } }));
    assert.deepEqual(graph?.nodes.map((n) => [n.name, n.outputShape, n.inputs]), [['input', '(None, 4)', []], ['d', null, ['input']]]);
  });

  it('draws branches from "Connected to" when only the summary was logged', () => {
    const graph = buildModelGraph(undefined, parseSummary(summaryOf(graphRows, false)));
    assert.ok(graph);
    assert.equal(graph.className, 'Functional');
    assert.deepEqual(graph.nodes.map((n) => [n.name, n.inputs]), [['in', []], ['left', ['in']], ['right', ['in']], ['sum', ['left', 'right']]]);
  });

  it('formats shapes as Keras prints them', () => {
    assert.equal(formatShape([null, 28, 28, 1]), '(None, 28, 28, 1)');
    assert.equal(formatShape([null]), '(None,)');
  });
});
