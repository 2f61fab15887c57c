// One run: its header (status, times, source, commit, tags) and tabs — overview (params,
// metrics), charts, histograms, model picture, evaluation (confusion matrix, sample
// images) and artifacts.
import { getJson, live, runPath, artifactUrl } from '../api.js';
import { h, mount, fmt, fmtTime, fmtDuration, fmtBytes, statusBadge, emptyState, throttle } from '../dom.js';
import { state, colorOf, loadRuns } from '../state.js';
import { chartsView } from './charts.js';
import { histogramsView } from '../views/histograms.js';
import { graphView } from '../views/graph.js';
import { confusionView } from '../views/confusion.js';
import { imagesView } from '../views/images.js';

export async function runPage(root, id, tab) {
  let detail = await getJson(runPath(id));
  const run = () => detail.run;
  const head = h('div', { class: 'card run-head' });
  const tabs = h('nav', { class: 'tabs' });
  const body = h('div');
  mount(root, head, tabs, body);
  let view = null;

  const tabList = () => [
    ['overview', 'Overview'],
    ['charts', 'Charts', Object.keys(run().metrics).length],
    detail.histogramKeys.length ? ['histograms', 'Histograms', detail.histogramKeys.length] : null,
    detail.hasModelGraph ? ['model', 'Model'] : null,
    detail.records.length ? ['evaluation', 'Evaluation', detail.records.length] : null,
    ['artifacts', 'Artifacts', detail.artifacts.length],
  ].filter(Boolean);

  function renderHead() {
    const r = run();
    const end = r.endTime ?? Date.now();
    mount(
      head,
      h('div', { class: 'title' }, h('span', { class: 'swatch', style: { background: colorOf(r.id), width: '12px', height: '12px' } }), h('h1', null, r.name), statusBadge(r.status)),
      h(
        'div',
        { class: 'meta' },
        h('span', null, 'ID ', h('b', { class: 'mono' }, r.id)),
        h('span', null, 'Experiment ', h('a', { href: `#/runs?experiment=${encodeURIComponent(r.experiment)}` }, r.experiment)),
        h('span', null, 'Started ', h('b', null, fmtTime(r.startTime))),
        h('span', null, 'Duration ', h('b', null, fmtDuration(end - r.startTime))),
        r.gitCommit ? h('span', null, 'Commit ', h('b', { class: 'mono', title: r.gitCommit }, r.gitCommit.slice(0, 10))) : null,
        h('span', null, 'Host ', h('b', null, `${r.host} · pid ${r.pid}`)),
      ),
      r.source ? h('div', { class: 'meta' }, h('span', { class: 'mono', title: 'command' }, `$ ${r.source}`)) : null,
      Object.keys(r.tags).length ? h('div', null, Object.entries(r.tags).map(([k, v]) => h('span', { class: 'chip' }, `${k}: ${v}`))) : null,
    );
  }

  function renderTabs() {
    mount(tabs, tabList().map(([name, label, n]) => h('a', { href: `#/run/${run().id}/${name}`, class: name === tab ? 'active' : '', 'data-tab': name }, label, n !== undefined ? h('span', { class: 'n' }, n) : null)));
  }

  async function renderBody() {
    view?.destroy?.();
    view = null;
    const r = run();
    if (tab === 'overview') mount(body, overview(detail));
    else if (tab === 'charts') view = chartsView(body, { getRuns: () => [state.byId.get(r.id) ?? r], picker: false });
    else if (tab === 'histograms') view = await histogramsView(body, r.id, detail.histogramKeys);
    else if (tab === 'model') view = await graphView(body, r.id, detail.artifacts);
    else if (tab === 'evaluation') view = await evaluation(body, r.id, detail.records);
    else if (tab === 'artifacts') mount(body, artifacts(r.id, detail.artifacts));
    else mount(body, emptyState('No such tab', `Run pages have ${tabList().map((t) => t[0]).join(', ')}.`));
  }

  renderHead();
  renderTabs();
  await renderBody();

  // live: the header follows the run's status; counts follow what it logs
  const refresh = throttle(async () => {
    detail = await getJson(runPath(run().id));
    await loadRuns();
    renderHead();
    renderTabs();
    if (tab === 'overview') mount(body, overview(detail));
  }, 2000);
  const offRuns = live.on('runs', (runs) => runs.some((r) => r.id === run().id) && refresh());
  const offMetrics = live.on('metrics', (points) => points.some((p) => p[1] === run().id) && refresh());
  const ticker = setInterval(() => run().status === 'RUNNING' && renderHead(), 5000);
  return {
    destroy() {
      offRuns();
      offMetrics();
      clearInterval(ticker);
      view?.destroy?.();
    },
  };
}

function overview(detail) {
  const r = detail.run;
  const params = Object.entries(r.params);
  const metrics = Object.entries(r.metrics);
  return h(
    'div',
    { class: 'overview' },
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Parameters'), h('span', { class: 'muted small' }, params.length)),
      h('div', { class: 'card-body' }, params.length ? h('table', { class: 'kv' }, h('tbody', null, params.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'mono' }, v))))) : h('p', { class: 'muted' }, 'No params logged.')),
    ),
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Metrics'), h('span', { class: 'muted small' }, metrics.length)),
      metrics.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'metrics-table' },
            h('thead', null, h('tr', null, ['Metric', 'Last', 'Step', 'Min', 'Max', 'Points'].map((t, i) => h('th', { class: i ? 'num' : '' }, t)))),
            h('tbody', null, metrics.map(([k, m]) => h('tr', { 'data-metric': k }, h('td', { class: 'mono' }, k), h('td', { class: 'num' }, fmt(m.value)), h('td', { class: 'num' }, fmt(m.step)), h('td', { class: 'num' }, fmt(m.min)), h('td', { class: 'num' }, fmt(m.max)), h('td', { class: 'num' }, fmt(m.count)))))))
        : h('div', { class: 'card-body muted' }, 'No metrics logged.'),
    ),
  );
}

async function evaluation(body, runId, records) {
  const matrices = records.filter((r) => r.kind === 'confusion_matrix');
  const images = records.filter((r) => r.kind === 'images');
  const parts = [];
  if (matrices.length) parts.push(await confusionView(runId));
  if (images.length) parts.push(await imagesView(runId));
  const other = records.filter((r) => r.kind !== 'confusion_matrix' && r.kind !== 'images');
  if (other.length) {
    const data = await getJson(`${runPath(runId)}/records`);
    parts.push(h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Other records')), h('pre', { class: 'text' }, JSON.stringify(data.filter((d) => other.some((o) => o.id === d.id)), null, 2))));
  }
  mount(body, h('div', { class: 'overview', style: { gridTemplateColumns: 'repeat(auto-fit, minmax(520px, 1fr))' } }, parts));
  return null;
}

function artifacts(runId, list) {
  if (list.length === 0) return emptyState('No artifacts', 'Files logged with run.logArtifact, logText or logModel appear here.');
  const preview = h('pre', { class: 'text', hidden: true });
  const previewHead = h('h2', null, '');
  const previewCard = h('section', { class: 'card', hidden: true, style: { marginTop: '16px' } }, h('div', { class: 'card-head' }, previewHead), preview);
  const show = async (a) => {
    const res = await fetch(artifactUrl(runId, a.path));
    previewHead.textContent = a.path;
    preview.textContent = (await res.text()).slice(0, 200_000);
    preview.hidden = false;
    previewCard.hidden = false;
    previewCard.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  };
  const textual = (a) => ['text', 'json'].includes(a.kind) || /\.(txt|json|md|csv|log|ya?ml)$/i.test(a.path);
  return h(
    'div',
    null,
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', null, 'Kind'), h('th', { class: 'num' }, 'Size'), h('th', { class: 'num' }, 'Logged'), h('th', null, ''))),
      h('tbody', null, list.map((a) => h('tr', null,
        h('td', { class: 'mono' }, a.path),
        h('td', null, h('span', { class: 'chip' }, a.kind)),
        h('td', { class: 'num' }, fmtBytes(a.size)),
        h('td', { class: 'num' }, fmtTime(a.createdAt)),
        h('td', { class: 'right' }, textual(a) ? h('button', { class: 'icon-btn', onclick: () => show(a) }, 'view') : null, a.kind === 'image' ? h('a', { class: 'icon-btn', href: artifactUrl(runId, a.path), target: '_blank', rel: 'noopener' }, 'open') : null, ' ', h('a', { class: 'icon-btn', href: artifactUrl(runId, a.path), download: a.path.split('/').pop() }, 'download')),
      )))))),
    previewCard,
  );
}
