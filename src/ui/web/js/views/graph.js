// The model as a picture: layers as boxes (name, type, output shape, parameter count and
// its share of the model), arrows from each layer to the layers reading it, branches side
// by side. A layered (Sugiyama-style) layout: ranks by longest path, edges spanning
// several ranks routed through placeholder slots, order within ranks by barycenters.
import { getJson, runPath, artifactUrl } from '../api.js';
import { h, s, mount, fmtInt, emptyState } from '../dom.js';

const BOX_W = 216;
const BOX_H = 64;
const SLOT_W = 18; // a placeholder slot of a long edge
const GAP_X = 34;
const GAP_Y = 44;
const PAD = 24;

/** A layer's color by its family. */
function colorOf(className) {
  const c = className.toLowerCase();
  if (c.includes('input')) return '#16a34a';
  if (c.includes('conv')) return '#2563eb';
  if (c.includes('pool')) return '#0891b2';
  if (c.includes('dense') || c.includes('linear')) return '#7c3aed';
  if (c.includes('norm')) return '#ca8a04';
  if (c.includes('lstm') || c.includes('gru') || c.includes('rnn') || c.includes('attention') || c.includes('embedding')) return '#db2777';
  if (/concat|add|multiply|average|maximum|minimum|subtract|dot/.test(c)) return '#ea580c';
  if (/dropout|noise/.test(c)) return '#9ca3af';
  return '#64748b';
}

/** Positions every node and the points of every edge; returns { width, height, boxes, edges }. */
export function layout(nodes) {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const rank = new Map();
  const rankOf = (n, seen = new Set()) => {
    if (rank.has(n.name)) return rank.get(n.name);
    if (seen.has(n.name)) return 0; // a cycle should not happen; do not loop on one
    seen.add(n.name);
    const inputs = n.inputs.map((i) => byName.get(i)).filter(Boolean);
    const r = inputs.length ? 1 + Math.max(...inputs.map((i) => rankOf(i, seen))) : 0;
    rank.set(n.name, r);
    return r;
  };
  nodes.forEach((n) => rankOf(n));
  const depth = Math.max(...rank.values()) + 1;
  const rows = Array.from({ length: depth }, () => []);
  for (const n of nodes) rows[rank.get(n.name)].push({ id: n.name, node: n, width: BOX_W });
  // edges, with a placeholder slot in every rank a long edge crosses
  const edges = [];
  for (const n of nodes) {
    for (const input of n.inputs) {
      if (!byName.has(input)) continue;
      const from = rank.get(input);
      const to = rank.get(n.name);
      const path = [input];
      for (let r = from + 1; r < to; r++) {
        const slot = { id: `${input}->${n.name}@${r}`, width: SLOT_W };
        rows[r].push(slot);
        path.push(slot.id);
      }
      path.push(n.name);
      edges.push(path);
    }
  }
  const preds = new Map();
  for (const path of edges) for (let i = 1; i < path.length; i++) (preds.get(path[i]) ?? preds.set(path[i], []).get(path[i])).push(path[i - 1]);
  const succs = new Map();
  for (const path of edges) for (let i = 0; i + 1 < path.length; i++) (succs.get(path[i]) ?? succs.set(path[i], []).get(path[i])).push(path[i + 1]);
  // order within ranks: a few sweeps of barycenters, down then up
  const order = new Map();
  const index = () => rows.forEach((row) => row.forEach((item, i) => order.set(item.id, i)));
  index();
  const sweep = (r, neighbours) => {
    const bary = (item) => {
      const ns = (neighbours.get(item.id) ?? []).filter((id) => order.has(id));
      return ns.length ? ns.reduce((sum, id) => sum + order.get(id), 0) / ns.length : order.get(item.id);
    };
    rows[r] = rows[r].map((item, i) => ({ item, key: bary(item), i })).sort((a, b) => a.key - b.key || a.i - b.i).map((e) => e.item);
    rows[r].forEach((item, i) => order.set(item.id, i));
  };
  for (let pass = 0; pass < 3; pass++) {
    for (let r = 1; r < depth; r++) sweep(r, preds);
    for (let r = depth - 2; r >= 0; r--) sweep(r, succs);
  }
  // coordinates: each rank centred
  const widths = rows.map((row) => row.reduce((w, item) => w + item.width, 0) + GAP_X * Math.max(0, row.length - 1));
  const width = Math.max(...widths) + 2 * PAD;
  const pos = new Map();
  rows.forEach((row, r) => {
    let x = (width - widths[r]) / 2;
    const y = PAD + r * (BOX_H + GAP_Y);
    for (const item of row) {
      pos.set(item.id, { x, y, w: item.width, cx: x + item.width / 2 });
      x += item.width + GAP_X;
    }
  });
  const boxes = nodes.map((n) => ({ node: n, ...pos.get(n.name) }));
  const lines = edges.map((path) => path.map((id) => pos.get(id)));
  return { width, height: PAD * 2 + depth * BOX_H + (depth - 1) * GAP_Y, boxes, edges: lines };
}

/** A smooth path from the bottom of the first box to the top of the last, through placeholder slots. */
function edgePath(points) {
  const start = points[0];
  let d = `M${start.cx},${start.y + BOX_H}`;
  let px = start.cx;
  let py = start.y + BOX_H;
  for (let i = 1; i < points.length; i++) {
    const p = points[i];
    const last = i === points.length - 1;
    const y = last ? p.y - 2 : p.y + BOX_H / 2;
    const mid = (py + y) / 2;
    d += ` C${px},${mid} ${p.cx},${mid} ${p.cx},${y}`;
    px = p.cx;
    py = y;
  }
  return d;
}

const measure = document.createElement('canvas').getContext('2d');

/** The width of `text` in pixels in a CSS `font`. */
function textWidth(text, font) {
  measure.font = font;
  return measure.measureText(text).width;
}

function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** The SVG picture of a model graph; `onSelect(node)` when a layer is clicked. */
export function modelSvg(graph, onSelect) {
  const { width, height, boxes, edges } = layout(graph.nodes);
  const total = graph.totalParams || graph.nodes.reduce((sum, n) => sum + (n.params ?? 0), 0) || 1;
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `model ${graph.name}`, id: 'model-graph' },
    s('defs', null, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#9ca3af' }))));
  for (const points of edges) svg.append(s('path', { class: 'graph-edge', d: edgePath(points), 'marker-end': 'url(#arrow)' }));
  for (const b of boxes) {
    const n = b.node;
    const color = colorOf(n.className);
    const share = n.params ? Math.max(2, ((BOX_W - 16) * n.params) / total) : 0;
    const chipText = truncate(n.className || 'Layer', 18);
    const chipW = textWidth(chipText, '600 10.5px system-ui, sans-serif') + 14;
    const activation = typeof n.config?.activation === 'string' && n.config.activation !== 'linear' ? ` · ${n.config.activation}` : '';
    const g = s('g', { class: 'graph-node', transform: `translate(${b.x},${b.y})`, 'data-layer': n.name, tabindex: 0 },
      s('title', null, `${n.name} (${n.className})`),
      s('rect', { class: 'box', width: BOX_W, height: BOX_H, rx: 8 }),
      s('rect', { width: 4, height: BOX_H - 12, x: 0, y: 6, rx: 2, fill: color }),
      s('text', { class: 'name', x: 14, y: 20 }, truncate(n.name, 30 - Math.ceil(chipW / 7))),
      s('rect', { x: BOX_W - chipW - 8, y: 7, width: chipW, height: 18, rx: 9, fill: color }),
      s('text', { class: 'cls', x: BOX_W - chipW / 2 - 8, y: 20, 'text-anchor': 'middle' }, chipText),
      s('text', { class: 'shape', x: 14, y: 39 }, truncate(`${n.outputShape ?? ''}${activation}`, 30)),
      s('text', { class: 'params', x: 14, y: 55 }, n.params === null ? '' : `${fmtInt(n.params)} params`),
      share ? s('rect', { x: BOX_W - 8 - 60, y: 50, width: 60, height: 4, rx: 2, fill: '#eef0f3' }) : null,
      share ? s('rect', { x: BOX_W - 8 - 60, y: 50, width: Math.min(60, (share / (BOX_W - 16)) * 60 + 1), height: 4, rx: 2, fill: color }) : null,
    );
    g.addEventListener('click', () => onSelect(n, g));
    g.addEventListener('keydown', (e) => e.key === 'Enter' && onSelect(n, g));
    svg.append(g);
  }
  return svg;
}

function details(node) {
  if (!node) return h('p', { class: 'muted' }, 'Click a layer to see its configuration.');
  const config = Object.entries(node.config ?? {}).filter(([k]) => k !== 'name');
  return h('div', null,
    h('h2', { style: { marginBottom: '8px' } }, node.name, ' ', h('span', { class: 'chip' }, node.className)),
    h('table', { class: 'kv' }, h('tbody', null,
      h('tr', null, h('td', null, 'Output shape'), h('td', { class: 'mono' }, node.outputShape ?? '–')),
      h('tr', null, h('td', null, 'Parameters'), h('td', null, node.params === null ? '–' : fmtInt(node.params))),
      h('tr', null, h('td', null, 'Inputs'), h('td', { class: 'mono' }, node.inputs.join(', ') || '–')),
      config.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'mono' }, typeof v === 'object' ? JSON.stringify(v) : String(v)))),
    )));
}

export async function graphView(body, runId, artifacts) {
  let graph;
  try {
    graph = await getJson(`${runPath(runId)}/graph`);
  } catch (err) {
    mount(body, emptyState('No model picture', err.message));
    return null;
  }
  const panel = h('div', { class: 'card-body' }, details(null));
  let selected = null;
  const select = (node, g) => {
    selected?.classList.remove('sel');
    selected = g;
    g.classList.add('sel');
    mount(panel, details(node));
  };
  const svg = modelSvg(graph, select);
  let scale = 1;
  const zoom = (f) => {
    scale = f === 0 ? 1 : Math.min(2.5, Math.max(0.3, scale * f));
    svg.setAttribute('width', String(Number(svg.viewBox.baseVal.width) * scale));
    svg.setAttribute('height', String(Number(svg.viewBox.baseVal.height) * scale));
  };
  const summary = artifacts.find((a) => a.path === 'model/summary.txt');
  const summaryBox = h('pre', { class: 'text' }, 'Loading…');
  if (summary) fetch(artifactUrl(runId, summary.path)).then((r) => r.text()).then((t) => (summaryBox.textContent = t));
  mount(
    body,
    h('div', { class: 'graph-layout' },
      h('section', { class: 'card' },
        h('div', { class: 'card-head' },
          h('h2', null, graph.name, ' ', h('span', { class: 'chip' }, graph.className)),
          h('span', { class: 'small muted' }, `${graph.nodes.length} layers · ${fmtInt(graph.totalParams)} params`, graph.nonTrainableParams ? ` (${fmtInt(graph.nonTrainableParams)} non-trainable)` : ''),
          h('button', { class: 'icon-btn', title: 'zoom out', onclick: () => zoom(1 / 1.25) }, '−'),
          h('button', { class: 'icon-btn', title: 'actual size', onclick: () => zoom(0) }, '1:1'),
          h('button', { class: 'icon-btn', title: 'zoom in', onclick: () => zoom(1.25) }, '+'),
        ),
        h('div', { class: 'graph-box' }, svg)),
      h('section', { class: 'card', style: { position: 'sticky', top: '72px' } }, h('div', { class: 'card-head' }, h('h2', null, 'Layer')), panel),
    ),
    summary ? h('section', { class: 'card', style: { marginTop: '16px' } }, h('div', { class: 'card-head' }, h('h2', null, 'Summary'), h('span', { class: 'small muted mono' }, summary.path)), summaryBox) : null,
  );
  return null;
}
