// The charts view: one card per metric, grouped by prefix ("batch/loss" in "batch"), the
// chosen runs overlaid; controls for the x axis, smoothing and log scale; a run picker.
// Cards load their data when scrolled into view, and take live points as they arrive.
import { getJson, live } from '../api.js';
import { MetricChart } from '../chart.js';
import { h, mount, fmt, emptyState, throttle } from '../dom.js';
import { state, colorOf, chosenRuns, loadRuns, setChartOption, setHidden } from '../state.js';

const X_MODES = [
  ['step', 'Step'],
  ['relative', 'Relative'],
  ['wall', 'Wall'],
];

/** The group of a metric key: what comes before its last '/', or "metrics". */
const groupOf = (key) => (key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : 'metrics');

/**
 * Renders the charts of `getRuns()` (a function, re-read when runs change) into `root`.
 * With `picker`, a side panel lets the user hide runs. Returns { destroy }.
 */
export function chartsView(root, { getRuns, picker = true }) {
  let charts = [];
  let observer = null;
  let filter = '';
  const settings = state.chart;

  const plottedRuns = () =>
    getRuns()
      .filter((r) => !picker || !state.hidden.has(r.id))
      .map((r) => ({ id: r.id, name: r.name, startTime: r.startTime, color: colorOf(r.id), metrics: r.metrics }));

  const keysOf = (runs) => [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort(byGroupThenName);

  const side = picker ? h('aside', { class: 'card side' }) : null;
  const body = h('div');
  mount(root, picker ? h('div', { class: 'charts-layout' }, side, body) : h('div', null, controlsBar(), body));

  function controlsBar() {
    return h('div', { class: 'card', style: { marginBottom: '14px' } }, h('div', { class: 'toolbar', style: { borderBottom: 0 } }, ...controls(true)));
  }

  function controls(inline) {
    const smoothingValue = h('b', null, settings.smoothing.toFixed(2));
    const seg = h(
      'div',
      { class: 'seg', role: 'group' },
      X_MODES.map(([mode, label]) =>
        h('button', { class: settings.x === mode ? 'on' : '', 'data-x': mode, onclick: () => setX(mode) }, label),
      ),
    );
    const items = [
      h('label', { class: 'field' }, h('span', null, 'Filter metrics'), h('input', { class: 'input', type: 'search', placeholder: 'e.g. loss', value: filter, oninput: (e) => ((filter = e.target.value), renderCards()) })),
      h('div', { class: 'field' }, h('span', null, 'Horizontal axis'), seg),
      h(
        'label',
        { class: 'field', style: inline ? { width: '200px' } : null },
        h('span', null, 'Smoothing ', smoothingValue),
        h('input', {
          type: 'range', min: 0, max: 0.99, step: 0.01, value: settings.smoothing, 'aria-label': 'smoothing',
          oninput: (e) => {
            setChartOption('smoothing', Number(e.target.value));
            smoothingValue.textContent = settings.smoothing.toFixed(2);
            for (const c of charts) c.chart.setOptions({ smoothing: settings.smoothing });
          },
        }),
      ),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: settings.log, 'aria-label': 'log scale', onchange: (e) => { setChartOption('log', e.target.checked); for (const c of charts) c.chart.setOptions({ log: settings.log }); } }), 'Log scale'),
    ];
    return items;
  }

  function setX(mode) {
    setChartOption('x', mode);
    renderAll();
  }

  function renderSide() {
    if (!side) return;
    const runs = getRuns();
    const list = h(
      'div',
      { class: 'run-picker' },
      runs.map((r) =>
        h(
          'label',
          { class: state.hidden.has(r.id) ? 'off' : '', title: `${r.name} · ${r.id}` },
          h('input', {
            type: 'checkbox', checked: !state.hidden.has(r.id),
            onchange: (e) => {
              const hidden = new Set(state.hidden);
              if (e.target.checked) hidden.delete(r.id);
              else hidden.add(r.id);
              setHidden(hidden);
              renderAll();
            },
          }),
          h('span', { class: 'swatch', style: { background: colorOf(r.id) } }),
          h('span', { class: 'name' }, r.name),
          h('span', { class: `badge ${r.status}`, title: r.status, style: { padding: '1px 4px' } }),
        ),
      ),
    );
    const all = (show) => {
      const hidden = new Set(state.hidden);
      for (const r of runs) show ? hidden.delete(r.id) : hidden.add(r.id);
      setHidden(hidden);
      renderAll();
    };
    mount(
      side,
      h('div', { class: 'controls' }, ...controls(false)),
      h('h3', { style: { display: 'flex', alignItems: 'center' } }, `Runs (${runs.length})`, h('span', { class: 'spacer' }), h('button', { class: 'icon-btn', onclick: () => all(true) }, 'all'), h('button', { class: 'icon-btn', onclick: () => all(false) }, 'none')),
      list,
      state.selected.size === 0 ? null : h('p', { class: 'small muted', style: { padding: '0 14px 10px', margin: 0 } }, `${state.selected.size} selected in `, h('a', { href: '#/runs' }, 'Runs'), '.'),
    );
  }

  function renderCards() {
    for (const c of charts) c.chart.destroy();
    charts = [];
    observer?.disconnect();
    const runs = plottedRuns();
    if (getRuns().length === 0) {
      mount(body, emptyState('No runs yet', 'Track a training run and its metrics appear here, live.', "model.fit(x, y, { epochs: 5, track: true })\nnpx shendu ui"));
      return;
    }
    const keys = keysOf(runs).filter((k) => k.toLowerCase().includes(filter.toLowerCase()));
    if (keys.length === 0) {
      mount(body, emptyState('No metrics', runs.length === 0 ? 'Every run is hidden: tick some runs on the left.' : 'No metric matches the filter.'));
      return;
    }
    observer = new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) load(charts.find((c) => c.card === entry.target));
    }, { rootMargin: '300px' });
    const groups = new Map();
    for (const key of keys) {
      const group = groupOf(key);
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push(key);
    }
    const sections = [];
    for (const [group, groupKeys] of groups) {
      const grid = h('div', { class: 'chart-grid' });
      for (const key of groupKeys) {
        const withKey = runs.filter((r) => key in r.metrics);
        const box = h('div', { class: 'chart-box' });
        const card = h(
          'section',
          { class: 'card chart-card', 'data-key': key },
          h('div', { class: 'card-head' }, h('h3', { title: key }, key), h('span', { class: 'small muted' }, withKey.length === 1 ? `${fmt(withKey[0].metrics[key].count)} point${withKey[0].metrics[key].count === 1 ? '' : 's'}` : `${withKey.length} runs`), h('button', { class: 'icon-btn', title: 'wide', onclick: (e) => { card.style.gridColumn = card.style.gridColumn ? '' : '1 / -1'; e.currentTarget.classList.toggle('on'); } }, '⤢')),
          box,
        );
        grid.append(card);
        const chart = new MetricChart(box, key, withKey, { ...settings });
        charts.push({ key, card, chart, runs: withKey, loaded: false });
      }
      sections.push(h('div', { class: 'group-title' }, group, h('span', { class: 'count' }, groupKeys.length)), grid);
    }
    mount(body, sections);
    for (const c of charts) observer.observe(c.card);
  }

  async function load(c) {
    if (!c || c.loaded) return;
    c.loaded = true;
    try {
      // points in steps of 1000 (the server's default), so that charts share its cache
      const width = c.card.clientWidth || 600;
      const points = 1000 * Math.max(1, Math.ceil((width * 1.5) / 1000));
      const res = await getJson('api/series', { runs: c.runs.map((r) => r.id).join(','), key: c.key, x: settings.x === 'step' ? 'step' : 'time', points });
      c.chart.setSeries(res.series, res.cursor);
    } catch (err) {
      c.chart.note.textContent = err.message;
      c.loaded = false;
    }
  }

  function renderAll() {
    renderSide();
    renderCards();
  }

  // live: points go to their charts; a metric or run not shown yet redraws the cards
  const relayout = throttle(async () => {
    await loadRuns();
    renderAll();
  }, 1500);
  const offMetrics = live.on('metrics', (points) => {
    const byKey = new Map(charts.map((c) => [c.key, c.chart]));
    const plotted = new Set(plottedRuns().map((r) => r.id));
    for (const c of charts) c.chart.append(points);
    const shown = (key) => key.toLowerCase().includes(filter.toLowerCase());
    if (points.some(([, run, key]) => plotted.has(run) && shown(key) && !byKey.get(key)?.runIds.has(run))) relayout();
  });
  const offRuns = live.on('runs', () => relayout());

  renderAll();
  return {
    destroy() {
      offMetrics();
      offRuns();
      observer?.disconnect();
      for (const c of charts) c.chart.destroy();
    },
  };
}

function byGroupThenName(a, b) {
  const ga = groupOf(a);
  const gb = groupOf(b);
  if (ga !== gb) return ga === 'metrics' ? -1 : gb === 'metrics' ? 1 : ga.localeCompare(gb);
  return a.localeCompare(b);
}

/** The Charts page: the chosen runs (the selection in the runs table, else all). */
export function chartsPage(root) {
  return chartsView(root, { getRuns: chosenRuns, picker: true });
}
