// Weight and gradient histograms over steps, drawn as TensorBoard's "offset" view: one
// curve per step, older steps behind and above, newer ones in front.
import { getJson, runPath } from '../api.js';
import { h, s, mount, fmt, emptyState } from '../dom.js';

const W = 420;
const MAX_H = 250;
const M = { left: 24, right: 46, top: 12, bottom: 24 };
const AMPLITUDE = 64;
const GAP = 22;

function ticks(min, max, n = 5) {
  if (min === max) return [min];
  const step = (max - min) / (n - 1);
  return Array.from({ length: n }, (_, i) => min + i * step);
}

/** One key's histograms (sorted by step) as an SVG ridgeline. */
export function ridgeline(records) {
  const steps = records.filter((r) => r.count > 0);
  if (steps.length === 0) return h('p', { class: 'muted' }, 'No finite values.');
  const lo = Math.min(...steps.map((r) => r.edges[0]));
  const hi = Math.max(...steps.map((r) => r.edges[r.edges.length - 1]));
  const density = (r, i) => r.counts[i] / Math.max(1e-30, (r.edges[i + 1] - r.edges[i]) * r.count);
  const peak = Math.max(...steps.flatMap((r) => r.counts.map((_, i) => density(r, i))));
  const plotW = W - M.left - M.right;
  const n = steps.length;
  // few steps: a shorter picture; many: the same height, curves closer together
  const H = Math.min(MAX_H, M.top + AMPLITUDE + (n - 1) * GAP + M.bottom);
  const gap = n > 1 ? Math.min(GAP, (H - M.top - M.bottom - AMPLITUDE) / (n - 1)) : 0;
  const x = (v) => M.left + (hi === lo ? plotW / 2 : ((v - lo) / (hi - lo)) * plotW);
  const baseOf = (k) => H - M.bottom - (n - 1 - k) * gap;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': 'histograms by step' });
  steps.forEach((r, k) => {
    const base = baseOf(k);
    const t = n === 1 ? 1 : k / (n - 1);
    const color = `hsl(${24 - 6 * t}, ${70 + 20 * t}%, ${78 - 36 * t}%)`;
    let d = `M${x(r.edges[0]).toFixed(1)},${base}`;
    r.counts.forEach((_, i) => {
      const mid = (r.edges[i] + r.edges[i + 1]) / 2;
      d += ` L${x(mid).toFixed(1)},${(base - (density(r, i) / peak) * AMPLITUDE).toFixed(1)}`;
    });
    d += ` L${x(r.edges[r.edges.length - 1]).toFixed(1)},${base} Z`;
    svg.append(
      s('path', { d, fill: color, stroke: `hsl(22, 80%, ${55 - 25 * t}%)`, 'stroke-width': 0.8, 'fill-opacity': 0.92, 'data-step': r.step },
        s('title', null, `step ${r.step}: ${fmt(r.count)} values in [${fmt(r.min)}, ${fmt(r.max)}]`)),
    );
  });
  // step labels on the right: first, middle and last
  for (const k of [...new Set([0, Math.floor((n - 1) / 2), n - 1])]) {
    svg.append(s('text', { x: W - M.right + 6, y: baseOf(k) + 3 }, `${steps[k].step}`));
  }
  svg.append(s('text', { x: W - M.right + 6, y: M.top + 4, 'font-weight': 600 }, 'step'));
  svg.append(s('line', { x1: M.left, x2: M.left + plotW, y1: H - M.bottom + 2, y2: H - M.bottom + 2, stroke: '#d1d5db' }));
  const marks = ticks(lo, hi);
  marks.forEach((v, i) => {
    const anchor = marks.length > 1 && i === 0 ? 'start' : marks.length > 1 && i === marks.length - 1 ? 'end' : 'middle';
    svg.append(s('line', { x1: x(v), x2: x(v), y1: H - M.bottom + 2, y2: H - M.bottom + 6, stroke: '#9ca3af' }));
    svg.append(s('text', { x: x(v), y: H - 6, 'text-anchor': anchor }, fmt(Number(v.toPrecision(3)))));
  });
  return svg;
}

export async function histogramsView(body, runId, keys) {
  if (keys.length === 0) {
    mount(body, emptyState('No histograms', 'Weight and gradient histograms are logged per epoch by the tracking callback, or with run.logHistogram.'));
    return null;
  }
  const records = await getJson(`${runPath(runId)}/histograms`);
  const byKey = new Map();
  for (const r of records) {
    if (!byKey.has(r.key)) byKey.set(r.key, []);
    byKey.get(r.key).push(r);
  }
  const groups = new Map();
  for (const key of byKey.keys()) {
    const group = key.includes('/') ? key.slice(0, key.indexOf('/')) : 'histograms';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(key);
  }
  const order = (g) => (g === 'weights' ? 0 : g === 'gradients' ? 1 : 2);
  mount(
    body,
    [...groups].sort((a, b) => order(a[0]) - order(b[0]) || a[0].localeCompare(b[0])).map(([group, groupKeys]) => [
      h('div', { class: 'group-title' }, group, h('span', { class: 'count' }, groupKeys.length)),
      h('div', { class: 'hist-grid' }, groupKeys.map((key) => {
        const list = byKey.get(key).sort((a, b) => a.step - b.step);
        const last = list[list.length - 1];
        return h('section', { class: 'card', 'data-histogram': key },
          h('div', { class: 'card-head' }, h('h3', { class: 'mono', title: key }, key.slice(group.length + 1) || key), h('span', { class: 'small muted' }, `${list.length} steps · ${fmt(last.count)} values`)),
          h('div', { class: 'card-body', style: { padding: '8px 10px' } }, ridgeline(list)));
      })),
    ]),
  );
  return null;
}
