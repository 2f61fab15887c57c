// The dashboard's entry point: the hash router (#/runs, #/charts, #/compare, #/run/<id>,
// #/models, #/models/<name>), the live-feed indicator and the error banner.
import { getJson, live } from './api.js';
import { h, mount, emptyState } from './dom.js';
import { loadRuns } from './state.js';
import { runsPage } from './pages/runs.js';
import { chartsPage } from './pages/charts.js';
import { runPage } from './pages/run.js';
import { comparePage } from './pages/compare.js';
import { modelsPage, modelPage } from './pages/models.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let current = null;

// a token given in the address was turned into a cookie by the server: drop it from view
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname + location.hash);

/** Parses "#/run/abc/charts?x=1" into ["run", "abc", "charts"] and its query. */
function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search ?? '') };
}

function showError(message) {
  banner.textContent = message;
  banner.hidden = !message;
}

async function render() {
  const { parts, query } = route();
  const page = parts[0] ?? 'runs';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.nav === (page === 'run' ? 'runs' : page));
  current?.destroy?.();
  current = null;
  window.scrollTo(0, 0);
  const root = h('div', { class: `page page-${page}` });
  mount(main, root);
  try {
    if (page === 'runs') current = runsPage(root, query);
    else if (page === 'charts') current = chartsPage(root, query);
    else if (page === 'compare') current = comparePage(root, query);
    else if (page === 'run' && parts[1]) current = await runPage(root, parts[1], parts[2] ?? 'overview');
    else if (page === 'models' && parts[1]) current = await modelPage(root, parts[1]);
    else if (page === 'models') current = await modelsPage(root);
    else mount(root, emptyState('Page not found', `Nothing at #/${parts.join('/')}.`));
    showError('');
  } catch (err) {
    if (err.status === 404) mount(root, emptyState('Not found', err.message));
    else showError(err.message);
  }
}

async function start() {
  live.on('status', (on) => {
    const el = document.getElementById('live');
    el.className = `live ${on ? 'on' : 'off'}`;
    el.lastElementChild.textContent = on ? 'Live' : 'Reconnecting…';
  });
  live.start();
  try {
    const [status] = await Promise.all([getJson('api/status'), loadRuns()]);
    document.getElementById('store-path').textContent = status.home;
    document.getElementById('store-path').title = `tracking store (read-only): ${status.home}`;
  } catch (err) {
    showError(err.message);
  }
  // charts must see the feed's cursor before they load, so that no point falls between
  await live.ready;
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true';
}

start();
