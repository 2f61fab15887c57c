// Hyperparameter comparison of the chosen runs: parallel coordinates over the params that
// differ between them and one metric, and a table of every param and metric.
import { live } from '../api.js';
import { h, mount, fmt, lowerIsBetter, neutralMetric, asNumber, compareValues, emptyState, throttle } from '../dom.js';
import { state, colorOf, chosenRuns, loadRuns } from '../state.js';
import { parallelCoordinates, viridis } from '../views/parallel.js';

const view = { metric: null, mode: 'last', allParams: false, sort: null };

const paramValue = (run, key) => {
  const v = run.params[key];
  const n = asNumber(v);
  return Number.isNaN(n) ? v : n;
};

export function comparePage(root) {
  function metricOf(run, key) {
    const m = run.metrics[key];
    if (!m) return undefined;
    return view.mode === 'last' ? m.value : lowerIsBetter(key) ? m.min : m.max;
  }

  function render() {
    const runs = chosenRuns();
    if (runs.length === 0) {
      mount(root, emptyState('No runs to compare', 'Runs appear here as soon as training logs to this store.'));
      return;
    }
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
    const varying = paramKeys.filter((k) => new Set(runs.map((r) => r.params[k])).size > 1);
    const shownParams = view.allParams || varying.length === 0 ? paramKeys : varying;
    const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].filter((k) => !k.includes('/')).sort();
    if (!view.metric || !metricKeys.includes(view.metric)) {
      view.metric = ['val_accuracy', 'val_acc', 'accuracy', 'acc', 'val_loss', 'loss'].find((k) => metricKeys.includes(k)) ?? metricKeys[0] ?? null;
    }
    const higher = view.metric ? !lowerIsBetter(view.metric) : true;
    const axes = [
      ...(varying.length ? varying : paramKeys.slice(0, 6)).map((k) => ({ label: k, value: (r) => paramValue(r, k) })),
      ...(view.metric ? [{ label: view.metric, value: (r) => metricOf(r, view.metric) }] : []),
    ];
    let pc = null;
    const highlight = (id) => {
      pc?.highlight(id);
      for (const tr of root.querySelectorAll('tr[data-run]')) tr.classList.toggle('selected', tr.dataset.run === id);
    };
    if (axes.length >= 2) pc = parallelCoordinates(runs, axes, higher, highlight, Math.max(640, root.clientWidth - 32));

    const sorted = [...runs];
    if (view.sort) {
      const { column, dir } = view.sort;
      const get = (r) => (column.startsWith('p:') ? paramValue(r, column.slice(2)) : column.startsWith('m:') ? metricOf(r, column.slice(2)) : r.name);
      sorted.sort((a, b) => {
        const va = get(a);
        const vb = get(b);
        return va === undefined || vb === undefined ? compareValues(va, vb) : dir * compareValues(va, vb);
      });
    }
    const best = new Map(metricKeys.map((k) => {
      const values = runs.map((r) => metricOf(r, k)).filter((v) => typeof v === 'number' && Number.isFinite(v));
      return [k, values.length > 1 && !neutralMetric(k) ? (lowerIsBetter(k) ? Math.min(...values) : Math.max(...values)) : undefined];
    }));
    const th = (label, column, group) => {
      const on = view.sort?.column === column;
      return h('th', { class: 'sortable num', onclick: () => { view.sort = { column, dir: on ? -view.sort.dir : column.startsWith('m:') && !lowerIsBetter(column.slice(2)) ? -1 : 1 }; render(); } },
        group ? h('span', { class: 'group' }, group) : null, label, on ? h('span', { class: 'arrow' }, view.sort.dir > 0 ? '▲' : '▼') : null);
    };
    const values = runs.map((r) => metricOf(r, view.metric)).filter((v) => typeof v === 'number' && Number.isFinite(v));
    mount(
      root,
      h('div', { class: 'page-head' },
        h('h1', null, 'Compare runs'),
        h('span', { class: 'sub' }, state.selected.size ? `${runs.length} selected runs` : `all ${runs.length} runs (select some in `, state.selected.size ? null : h('a', { href: '#/runs' }, 'Runs'), state.selected.size ? null : ')'),
        h('span', { class: 'spacer' }),
        h('label', { class: 'field' }, h('span', null, 'Metric'), h('select', { class: 'input', 'aria-label': 'metric', onchange: (e) => ((view.metric = e.target.value), render()) }, metricKeys.map((k) => h('option', { value: k, selected: k === view.metric }, k)))),
        h('div', { class: 'field' }, h('span', null, 'Value'), h('div', { class: 'seg' }, ['last', 'best'].map((m) => h('button', { class: view.mode === m ? 'on' : '', onclick: () => ((view.mode = m), render()) }, m)))),
        h('label', { class: 'check', style: { alignSelf: 'flex-end', height: '30px' } }, h('input', { type: 'checkbox', checked: view.allParams, onchange: (e) => ((view.allParams = e.target.checked), render()) }), 'show constant params'),
      ),
      h('section', { class: 'card', style: { marginBottom: '16px' } },
        h('div', { class: 'card-head' }, h('h2', null, 'Parallel coordinates'),
          values.length ? h('span', { class: 'small muted row', style: { gap: '8px', alignItems: 'center' } }, fmt(higher ? Math.min(...values) : Math.max(...values)), h('span', { class: 'legend-bar', style: { background: `linear-gradient(90deg, ${[0, 0.25, 0.5, 0.75, 1].map(viridis).join(',')})` } }), fmt(higher ? Math.max(...values) : Math.min(...values)), h('span', null, `(${view.metric}, better →)`)) : null),
        h('div', { class: 'card-body pc' }, pc ?? h('p', { class: 'muted' }, 'Needs at least one param and one metric.'))),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' }, h('h2', null, 'Hyperparameters and metrics'), h('span', { class: 'small muted' }, `${shownParams.length} params${varying.length && !view.allParams ? ' that differ' : ''} · ${metricKeys.length} metrics (${view.mode})`)),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'hparams-table' },
          h('thead', null, h('tr', null, h('th', { class: 'sortable', onclick: () => ((view.sort = { column: 'name', dir: view.sort?.column === 'name' ? -view.sort.dir : 1 }), render()) }, 'Run'),
            shownParams.map((k, i) => th(k, `p:${k}`, i === 0 ? 'params' : '')),
            metricKeys.map((k, i) => th(k, `m:${k}`, i === 0 ? 'metrics' : '')))),
          h('tbody', null, sorted.map((r) => h('tr', { 'data-run': r.id, onmouseenter: () => pc?.highlight(r.id), onmouseleave: () => pc?.highlight(null) },
            h('td', { class: 'name' }, h('span', { class: 'swatch', style: { background: colorOf(r.id), marginRight: '8px' } }), h('a', { href: `#/run/${r.id}` }, r.name)),
            shownParams.map((k) => h('td', { class: `mono${typeof paramValue(r, k) === 'number' ? ' num' : ''}` }, r.params[k] ?? '–')),
            metricKeys.map((k) => {
              const v = metricOf(r, k);
              return h('td', { class: `num${v !== undefined && v === best.get(k) ? ' best' : ''}` }, fmt(v));
            }))))))),
    );
  }

  render();
  const later = throttle(async () => {
    await loadRuns();
    render();
  }, 3000);
  const offRuns = live.on('runs', later);
  const offMetrics = live.on('metrics', later);
  return { destroy: () => (offRuns(), offMetrics()) };
}
