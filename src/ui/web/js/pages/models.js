// The model registry: registered models with their latest version, aliases and tags; one
// model's versions, each with its aliases and a link back to the run it came from.
import { getJson } from '../api.js';
import { h, mount, fmt, fmtTime, fmtAgo, emptyState } from '../dom.js';
import { state, colorOf } from '../state.js';
import { servingPanel } from '../views/serving.js';

const aliasChips = (aliases) => aliases.map((a) => h('span', { class: 'chip alias' }, `@${a}`));
/** The run's headline metrics: validation ones first, at most three. */
const keyMetrics = (run) => {
  const keys = Object.keys(run.metrics).filter((k) => !k.includes('/') && !/time|per_second|^lr$/.test(k));
  keys.sort((a, b) => Number(b.startsWith('val')) - Number(a.startsWith('val')) || a.localeCompare(b));
  return keys.slice(0, 3).map((k) => [k, run.metrics[k]]);
};
const tagChips = (tags) => Object.entries(tags).map(([k, v]) => h('span', { class: 'chip' }, `${k}: ${v}`));

export async function modelsPage(root) {
  const models = await getJson('api/models');
  if (models.length === 0) {
    mount(root, h('div', { class: 'page-head' }, h('h1', null, 'Models')), h('div', { class: 'card' }, emptyState('No registered models', 'Register a run\u2019s model to version it and give it aliases.', 'npx shendu models register <run-id> mnist\nnpx shendu models alias mnist champion 1')));
    return null;
  }
  mount(
    root,
    h('div', { class: 'page-head' }, h('h1', null, 'Models'), h('span', { class: 'sub' }, `${models.length} registered`)),
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'models-table' },
      h('thead', null, h('tr', null, ['Name', 'Latest version', 'Aliases', 'Tags', 'Updated', 'Description'].map((t, i) => h('th', { class: i === 1 ? 'num' : '' }, t)))),
      h('tbody', null, models.map((m) => h('tr', { 'data-model': m.name },
        h('td', { class: 'name' }, h('a', { href: `#/models/${encodeURIComponent(m.name)}` }, m.name)),
        h('td', { class: 'num' }, m.latestVersion === null ? '–' : `v${m.latestVersion}`),
        h('td', null, Object.entries(m.aliases).map(([alias, v]) => h('span', { class: 'chip alias', title: `version ${v}` }, `@${alias} → v${v}`))),
        h('td', null, tagChips(m.tags)),
        h('td', { title: fmtTime(m.updatedAt) }, fmtAgo(m.updatedAt)),
        h('td', { class: 'muted' }, m.description || ''),
      )))))),
  );
  return null;
}

export async function modelPage(root, name) {
  const { model, versions } = await getJson(`api/models/${encodeURIComponent(name)}`);
  const newestFirst = [...versions].reverse();
  const serving = h('div', { class: 'serving' });
  mount(
    root,
    h('div', { class: 'page-head' },
      h('a', { href: '#/models', class: 'muted' }, 'Models'), h('span', { class: 'muted' }, '/'),
      h('h1', null, model.name),
      aliasChips(Object.keys(model.aliases)),
      tagChips(model.tags),
      h('span', { class: 'spacer' }),
      h('span', { class: 'sub' }, `${versions.length} version${versions.length === 1 ? '' : 's'} · updated ${fmtAgo(model.updatedAt)}`)),
    model.description ? h('p', { class: 'muted' }, model.description) : null,
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'versions-table' },
      h('thead', null, h('tr', null, ['Version', 'Aliases', 'Run', 'Run metrics', 'Registered', 'Tags', 'Description', 'URI'].map((t) => h('th', null, t)))),
      h('tbody', null, newestFirst.map((v) => {
        const run = v.runId ? state.byId.get(v.runId) : undefined;
        return h('tr', { 'data-version': v.version },
          h('td', null, h('b', null, `v${v.version}`)),
          h('td', null, aliasChips(v.aliases)),
          h('td', null, v.runId
            ? h('a', { href: `#/run/${v.runId}`, title: v.source }, h('span', { class: 'swatch', style: { background: colorOf(v.runId), marginRight: '6px' } }), run ? run.name : v.runId.slice(0, 8))
            : h('span', { class: 'mono muted', title: v.source }, v.source.split('/').pop())),
          h('td', { class: 'small' }, run ? keyMetrics(run).map(([k, m]) => h('span', { class: 'nowrap', style: { marginRight: '12px' } }, h('span', { class: 'muted' }, `${k} `), fmt(m.value))) : ''),
          h('td', { title: fmtTime(v.createdAt) }, fmtTime(v.createdAt)),
          h('td', null, tagChips(v.tags)),
          h('td', { class: 'muted' }, v.description || ''),
          h('td', { class: 'mono small' }, `models:/${v.name}/${v.version}`));
      }))))),
    serving,
  );
  return servingPanel(serving, model.name);
}
