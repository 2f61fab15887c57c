// The Serving panel of a registered model: what model servers answered, per version, so
// the versions of an A/B test can be compared — a table (requests, error rate, latency
// percentiles, traffic weight, labels) and requests/s and p99 over time, one line per version.
import { getJson } from '../api.js';
import { h, mount, fmt, fmtInt, fmtAgo, fmtTime } from '../dom.js';
import { MetricChart } from '../chart.js';

const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777'];

const pct = (v) => (v === null || v === undefined ? '–' : `${fmt(Math.round(v * 10000) / 100)}%`);
const ms = (v) => (v === null || v === undefined ? '–' : `${fmt(Math.round(v * 100) / 100)} ms`);

/**
 * Mounts the panel into `root` when the model has serving statistics (else leaves it
 * empty). Returns { destroy }.
 */
export async function servingPanel(root, name) {
  const stats = await getJson(`api/models/${encodeURIComponent(name)}/serving`);
  if (stats.versions.length === 0) return { destroy() {} };
  // the versions as the chart's "runs": one colored line each
  const lines = stats.versions.map((v, i) => ({ id: `v${v.version}`, name: `v${v.version}`, startTime: 0, color: PALETTE[i % PALETTE.length] }));
  const colorOf = (version) => lines.find((l) => l.id === `v${version}`).color;
  const table = h('table', { class: 'data', id: 'serving-table' },
    h('thead', null, h('tr', null, ['Version', 'Labels', 'Traffic', 'Requests', 'Errors', 'Error rate', 'p50', 'p95', 'p99', 'Last recorded'].map((t, i) => h('th', { class: i >= 2 && i <= 8 ? 'num' : '' }, t)))),
    h('tbody', null, stats.versions.map((v) => h('tr', { 'data-version': v.version },
      h('td', null, h('span', { class: 'swatch', style: { background: colorOf(v.version), marginRight: '6px' } }), h('b', null, `v${v.version}`)),
      h('td', null, v.labels.map((l) => h('span', { class: 'chip alias' }, l))),
      h('td', { class: 'num', 'data-field': 'weight' }, pct(v.weight)),
      h('td', { class: 'num', 'data-field': 'requests' }, fmtInt(v.requests)),
      h('td', { class: 'num', 'data-field': 'errors' }, fmtInt(v.errors)),
      h('td', { class: 'num', 'data-field': 'error-rate' }, pct(v.errorRate)),
      h('td', { class: 'num', 'data-field': 'p50' }, ms(v.p50Ms)),
      h('td', { class: 'num', 'data-field': 'p95' }, ms(v.p95Ms)),
      h('td', { class: 'num', 'data-field': 'p99' }, ms(v.p99Ms)),
      h('td', { title: fmtTime(v.lastSeen) }, fmtAgo(v.lastSeen), v.servers > 1 ? h('span', { class: 'muted' }, ` · ${v.servers} servers`) : null),
    ))));
  const charts = [];
  const chartCard = (key, title, pick) => {
    const box = h('div', { class: 'chart-box' });
    const card = h('section', { class: 'card chart-card', 'data-key': key }, h('div', { class: 'card-head' }, h('h3', null, title), h('span', { class: 'small muted' }, `per version, ${fmt(stats.binMs / 1000)} s bins`)), box);
    charts.push({ box, key, pick });
    return card;
  };
  mount(root,
    h('div', { class: 'group-title', style: { marginTop: '18px' } }, 'Serving', h('span', { class: 'count' }, `${stats.versions.length} version${stats.versions.length === 1 ? '' : 's'}`)),
    h('section', { class: 'card', id: 'serving-panel' }, h('div', { class: 'table-wrap' }, table)),
    h('div', { class: 'chart-grid', style: { marginTop: '14px' } },
      chartCard('serving/requests_per_second', 'requests/s', (s) => s.requestsPerSecond),
      chartCard('serving/p99_ms', 'p99 latency (ms)', (s) => s.p99Ms)),
  );
  const made = charts.map(({ box, key, pick }) => {
    const chart = new MetricChart(box, key, lines, { smoothing: 0, log: false, x: 'wall' });
    chart.setSeries(stats.series.map((s) => ({ run: `v${s.version}`, x: s.t, y: pick(s), count: s.t.length, downsampled: false })), Infinity);
    return chart;
  });
  return { destroy: () => made.forEach((c) => c.destroy()) };
}
