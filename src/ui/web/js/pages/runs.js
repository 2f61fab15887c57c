// The runs page: experiments on the left; the runs table with search, a filter expression
// (the store's syntax: metrics.val_loss < 0.5 and params.lr = '0.001'), status filter,
// sortable columns for params and last/best metrics, and a selection for the charts and
// the comparison. Updates live as runs start, log and end.
import { getJson, live } from '../api.js';
import { h, mount, fmt, fmtAgo, fmtTime, fmtDuration, statusBadge, lowerIsBetter, neutralMetric, asNumber, compareValues, throttle, emptyState } from '../dom.js';
import { state, colorOf, loadRuns, setSelected } from '../state.js';

const view = {
  search: '',
  expression: '',
  status: '',
  metricMode: 'last',
  sort: { column: 'start', dir: -1 },
  columns: null, // { params: Set, metrics: Set } chosen by the user; null: defaults
};

/** Params whose value differs between runs (first), then the others. */
function paramKeys(runs) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const varies = (k) => new Set(runs.map((r) => r.params[k])).size > 1;
  return [...keys.filter(varies), ...keys.filter((k) => !varies(k))];
}

function metricKeys(runs) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const rank = (k) => (k.includes('/') ? 2 : /time|per_second|^lr$/.test(k) ? 1 : 0);
  return keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function defaultColumns(runs) {
  const params = paramKeys(runs);
  const varying = params.filter((k) => new Set(runs.map((r) => r.params[k])).size > 1);
  return {
    params: new Set((varying.length ? varying : params).slice(0, 4)),
    metrics: new Set(metricKeys(runs).filter((k) => !k.includes('/') && !/time|per_second|^lr$/.test(k)).slice(0, 5)),
  };
}

function metricValue(run, key) {
  const m = run.metrics[key];
  if (!m) return undefined;
  if (view.metricMode === 'last') return m.value;
  return lowerIsBetter(key) ? m.min : m.max;
}

export function runsPage(root, query) {
  const experiment = query.get('experiment') ?? '';
  let runs = [];
  let error = '';
  const tableBox = h('div', { class: 'table-wrap runs-table' });
  const countText = h('span', { class: 'muted' });
  const actions = h('div', { class: 'row', style: { gap: '8px', alignItems: 'center' } });
  const errorText = h('div', { class: 'error-text' });
  const side = h('aside', { class: 'card side' });

  async function refresh() {
    try {
      if (view.expression) {
        runs = await getJson('api/runs', { filter: view.expression });
        await loadRuns();
      } else {
        runs = await loadRuns();
      }
      error = '';
    } catch (err) {
      error = err.message;
      runs = state.runs;
    }
    render();
  }

  function visibleRuns() {
    const needle = view.search.trim().toLowerCase();
    return runs.filter((r) => {
      if (experiment && r.experiment !== experiment) return false;
      if (view.status && r.status !== view.status) return false;
      if (!needle) return true;
      const text = [r.name, r.id, r.experiment, ...Object.entries(r.tags).flat(), ...Object.entries(r.params).flat()].join(' ').toLowerCase();
      return text.includes(needle);
    });
  }

  function sortValue(run, column) {
    if (column === 'name') return run.name;
    if (column === 'status') return run.status;
    if (column === 'experiment') return run.experiment;
    if (column === 'start') return run.startTime;
    if (column === 'duration') return (run.endTime ?? Date.now()) - run.startTime;
    if (column.startsWith('p:')) {
      const v = run.params[column.slice(2)];
      return Number.isNaN(asNumber(v)) ? v : asNumber(v);
    }
    if (column.startsWith('m:')) return metricValue(run, column.slice(2));
    return undefined;
  }

  function renderSide() {
    const experiments = [...new Map(state.runs.map((r) => [r.experiment, 0])).keys()].sort();
    const count = (e) => state.runs.filter((r) => !e || r.experiment === e).length;
    mount(
      side,
      h('h3', null, 'Experiments'),
      h('ul', { class: 'exp-list' }, [
        h('li', null, h('a', { href: '#/runs', class: experiment ? '' : 'on' }, h('span', null, 'All runs'), h('span', { class: 'count' }, count('')))),
        ...experiments.map((e) => h('li', null, h('a', { href: `#/runs?experiment=${encodeURIComponent(e)}`, class: e === experiment ? 'on' : '' }, h('span', null, e), h('span', { class: 'count' }, count(e))))),
      ]),
    );
  }

  function header(label, column, { num = false, group = '' } = {}) {
    const on = view.sort.column === column;
    return h(
      'th',
      {
        class: `sortable${num ? ' num' : ''}`, 'data-column': column,
        onclick: () => {
          view.sort = on ? { column, dir: -view.sort.dir } : { column, dir: num || column === 'start' ? -1 : 1 };
          renderTable();
        },
      },
      group ? h('span', { class: 'group' }, group) : null,
      label,
      on ? h('span', { class: 'arrow' }, view.sort.dir > 0 ? '▲' : '▼') : null,
    );
  }

  function renderTable() {
    const list = visibleRuns();
    const columns = view.columns ?? defaultColumns(runs);
    const params = paramKeys(runs).filter((k) => columns.params.has(k));
    const metrics = metricKeys(runs).filter((k) => columns.metrics.has(k));
    const { column, dir } = view.sort;
    list.sort((a, b) => {
      const va = sortValue(a, column);
      const vb = sortValue(b, column);
      const missing = (v) => v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
      if (missing(va) || missing(vb)) return compareValues(va, vb); // missing last either way
      return dir * compareValues(va, vb);
    });
    const best = new Map(metrics.map((k) => {
      const values = list.map((r) => metricValue(r, k)).filter((v) => typeof v === 'number' && Number.isFinite(v));
      return [k, values.length > 1 && !neutralMetric(k) ? (lowerIsBetter(k) ? Math.min(...values) : Math.max(...values)) : undefined];
    }));
    countText.textContent = `${list.length} run${list.length === 1 ? '' : 's'}${list.length !== state.runs.length ? ` of ${state.runs.length}` : ''}`;
    const allChecked = list.length > 0 && list.every((r) => state.selected.has(r.id));
    const toggleAll = () => {
      const next = new Set(state.selected);
      for (const r of list) allChecked ? next.delete(r.id) : next.add(r.id);
      setSelected(next);
      renderTable();
    };
    if (state.runs.length === 0) {
      mount(tableBox, emptyState('No runs yet', 'Runs appear here as soon as training starts logging to this store.', "const run = sd.track.startRun({ experiment: 'mnist' });\nrun.logMetric('loss', 0.42, 0);"));
      renderActions();
      return;
    }
    const table = h(
      'table',
      { class: 'data', id: 'runs-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { style: { width: '28px' } }, h('input', { type: 'checkbox', checked: allChecked, 'aria-label': 'select all', onchange: toggleAll })),
          header('Run', 'name'),
          header('Status', 'status'),
          experiment ? null : header('Experiment', 'experiment'),
          header('Started', 'start', { num: true }),
          header('Duration', 'duration', { num: true }),
          metrics.map((k, i) => header(k, `m:${k}`, { num: true, group: i === 0 ? `metrics · ${view.metricMode}` : '' })),
          params.map((k, i) => header(k, `p:${k}`, { num: true, group: i === 0 ? 'params' : '' })),
        ),
      ),
      h(
        'tbody',
        null,
        list.map((r) => {
          const selected = state.selected.has(r.id);
          return h(
            'tr',
            { class: selected ? 'selected' : '', 'data-run': r.id },
            h('td', null, h('input', {
              type: 'checkbox', checked: selected, 'aria-label': `select ${r.name}`,
              onchange: () => {
                const next = new Set(state.selected);
                selected ? next.delete(r.id) : next.add(r.id);
                setSelected(next);
                renderTable();
              },
            })),
            h('td', { class: 'name' }, h('span', { class: 'swatch', style: { background: colorOf(r.id), marginRight: '8px' } }), h('a', { href: `#/run/${r.id}` }, r.name), h('span', { class: 'mono muted', style: { marginLeft: '8px' } }, r.id.slice(0, 8)), Object.entries(r.tags).slice(0, 3).map(([k, v]) => h('span', { class: 'chip', style: { marginLeft: '6px' } }, `${k}: ${v}`))),
            h('td', null, statusBadge(r.status), stale(r)),
            experiment ? null : h('td', null, h('a', { href: `#/runs?experiment=${encodeURIComponent(r.experiment)}` }, r.experiment)),
            h('td', { class: 'num', title: fmtTime(r.startTime) }, fmtAgo(r.startTime)),
            h('td', { class: 'num' }, fmtDuration((r.endTime ?? Date.now()) - r.startTime)),
            metrics.map((k) => {
              const v = metricValue(r, k);
              const isBest = v !== undefined && v === best.get(k);
              return h('td', { class: `num${isBest ? ' best' : ''}`, title: r.metrics[k] ? `last ${fmt(r.metrics[k].value)} at step ${r.metrics[k].step} · min ${fmt(r.metrics[k].min)} · max ${fmt(r.metrics[k].max)} · ${r.metrics[k].count} points` : '' }, fmt(v));
            }),
            params.map((k) => h('td', { class: `mono${Number.isNaN(asNumber(r.params[k])) ? '' : ' num'}`, title: r.params[k] ?? '' }, r.params[k] === undefined ? '–' : shorten(r.params[k]))),
          );
        }),
      ),
    );
    const scroll = tableBox.scrollTop;
    mount(tableBox, table);
    tableBox.scrollTop = scroll;
    renderActions();
  }

  function renderActions() {
    const n = state.selected.size;
    mount(
      actions,
      h('a', { class: `btn${n ? ' primary' : ''}`, href: '#/charts' }, n ? `Chart ${n} selected` : 'Chart all'),
      h('a', { class: 'btn', href: '#/compare' }, n ? `Compare ${n}` : 'Compare all'),
      n ? h('button', { class: 'btn', onclick: () => { setSelected([]); renderTable(); } }, 'Clear selection') : null,
      columnsMenu(),
    );
  }

  function columnsMenu() {
    const columns = view.columns ?? defaultColumns(runs);
    const details = h('details', { style: { position: 'relative' } });
    const toggle = (set, key) => {
      view.columns = { params: new Set(columns.params), metrics: new Set(columns.metrics) };
      const target = view.columns[set];
      target.has(key) ? target.delete(key) : target.add(key);
      renderTable();
    };
    const list = (title, set, keys) => [
      h('div', { class: 'small muted', style: { margin: '6px 0 2px', fontWeight: 600 } }, title),
      keys.map((k) => h('label', { class: 'check', style: { display: 'flex', padding: '2px 0' } }, h('input', { type: 'checkbox', checked: columns[set].has(k), onchange: () => toggle(set, k) }), h('span', { class: 'mono' }, k))),
    ];
    details.append(
      h('summary', { class: 'btn', style: { listStyle: 'none' } }, 'Columns ▾'),
      h('div', { class: 'card', style: { position: 'absolute', right: 0, top: '34px', zIndex: 10, padding: '8px 14px', maxHeight: '420px', overflow: 'auto', minWidth: '240px' } }, list('Params', 'params', paramKeys(runs)), list('Metrics', 'metrics', metricKeys(runs))),
    );
    return details;
  }

  function render() {
    renderSide();
    errorText.textContent = error;
    expressionInput.classList.toggle('error', Boolean(error));
    renderTable();
  }

  const expressionInput = h('input', {
    class: 'input', type: 'text', value: view.expression, placeholder: "metrics.val_accuracy > 0.9 and params.optimizer = 'adam'",
    'aria-label': 'filter expression',
    onkeydown: (e) => {
      if (e.key === 'Enter') {
        view.expression = e.target.value.trim();
        refresh();
      }
    },
  });
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('label', { class: 'field', style: { width: '200px' } }, h('span', null, 'Search'), h('input', { class: 'input', type: 'search', placeholder: 'name, id, tag, param', value: view.search, 'aria-label': 'search runs', oninput: (e) => ((view.search = e.target.value), renderTable()) })),
    h('label', { class: 'field grow' }, h('span', null, 'Filter (press Enter)'), expressionInput),
    h('label', { class: 'field' }, h('span', null, 'Status'), h('select', { class: 'input', onchange: (e) => ((view.status = e.target.value), renderTable()) }, ['', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'].map((s) => h('option', { value: s, selected: view.status === s }, s || 'Any')))),
    h('div', { class: 'field' }, h('span', null, 'Metric value'), h('div', { class: 'seg' }, ['last', 'best'].map((m) => h('button', { class: view.metricMode === m ? 'on' : '', onclick: (e) => { view.metricMode = m; [...e.target.parentNode.children].forEach((b) => b.classList.toggle('on', b === e.target)); renderTable(); } }, m)))),
  );

  mount(
    root,
    h(
      'div',
      { class: 'layout' },
      side,
      h(
        'div',
        null,
        h('div', { class: 'page-head' }, h('h1', null, experiment || 'All runs'), countText, h('span', { class: 'spacer' }), actions),
        h('div', { class: 'card' }, toolbar, errorText.textContent ? errorText : h('div', { style: { padding: '0 14px' } }, errorText), tableBox),
      ),
    ),
  );
  refresh();

  const later = throttle(refresh, 2000);
  const offRuns = live.on('runs', later);
  const offMetrics = live.on('metrics', later);
  const ticker = setInterval(() => state.runs.some((r) => r.status === 'RUNNING') && renderTable(), 10_000);
  return {
    destroy() {
      offRuns();
      offMetrics();
      clearInterval(ticker);
    },
  };
}

/** A RUNNING run silent for a while may have died; the store marks it when next opened read-write. */
function stale(run) {
  if (run.status !== 'RUNNING' || Date.now() - run.heartbeat < 5 * 60_000) return null;
  return h('span', { class: 'small muted', title: `no heartbeat since ${fmtTime(run.heartbeat)}`, style: { marginLeft: '6px' } }, 'silent');
}

function shorten(text) {
  return text.length > 24 ? `${text.slice(0, 22)}…` : text;
}
