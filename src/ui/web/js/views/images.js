// Sample images with their true and predicted labels (green when they agree, red when
// not), one set per logged step.
import { getJson, runPath, artifactUrl } from '../api.js';
import { h, mount } from '../dom.js';

export async function imagesView(runId) {
  const records = await getJson(`${runPath(runId)}/records`, { kind: 'images' });
  let chosen = records.length - 1;
  let onlyWrong = false;
  const grid = h('div', { class: 'images' });
  const stats = h('span', { class: 'small muted' });
  const render = () => {
    const { data, key, step } = records[chosen];
    const labelled = data.images.filter((im) => im.label !== undefined && im.prediction !== undefined);
    const right = labelled.filter((im) => im.label === im.prediction).length;
    stats.textContent = `${key} · step ${step}${labelled.length ? ` · ${right}/${labelled.length} correct` : ''}`;
    const shown = onlyWrong ? data.images.filter((im) => im.label !== im.prediction) : data.images;
    mount(grid, shown.map((im) => {
      const known = im.label !== undefined && im.prediction !== undefined;
      const ok = known && im.label === im.prediction;
      return h('figure', { 'data-label': im.label ?? '', 'data-prediction': im.prediction ?? '' },
        h('img', { src: artifactUrl(runId, im.path), alt: im.caption ?? `label ${im.label ?? '?'}`, loading: 'lazy', width: im.width, height: im.height }),
        h('figcaption', { class: known ? (ok ? 'ok' : 'bad') : '' },
          im.label !== undefined ? h('span', null, 'true ', h('b', null, im.label)) : null,
          im.prediction !== undefined ? h('span', null, 'pred ', h('b', null, im.prediction)) : null,
          im.caption && !known ? h('span', null, im.caption) : null),
      );
    }));
  };
  render();
  return h('section', { class: 'card' },
    h('div', { class: 'card-head' },
      h('h2', null, 'Sample predictions'),
      stats,
      records.length > 1 ? h('select', { class: 'input', onchange: (e) => ((chosen = Number(e.target.value)), render()) }, records.map((r, i) => h('option', { value: i, selected: i === chosen }, `${r.key} @ ${r.step}`))) : null,
      h('label', { class: 'check small' }, h('input', { type: 'checkbox', onchange: (e) => ((onlyWrong = e.target.checked), render()) }), 'only mistakes'),
    ),
    h('div', { class: 'card-body' }, grid));
}
