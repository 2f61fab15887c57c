// The confusion matrix as a heatmap: rows are true classes, columns predicted ones;
// counts or row-normalized rates; accuracy and per-class recall beside it.
import { getJson, runPath } from '../api.js';
import { h, mount, fmt } from '../dom.js';

/** A blue ramp from white (0) to deep blue (1). */
function shade(t) {
  const l = 98 - 62 * t;
  return `hsl(217, ${60 + 30 * t}%, ${l}%)`;
}

export function heatmap(data, normalized) {
  const { labels, matrix } = data;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const value = (i, j) => (normalized ? (rowSums[i] ? matrix[i][j] / rowSums[i] : 0) : matrix[i][j]);
  const peak = Math.max(1e-12, ...matrix.flatMap((row, i) => row.map((_, j) => value(i, j))));
  return h('table', { class: 'cm', 'data-confusion': '' },
    h('tr', null, h('td', { colspan: 2 }), h('th', { class: 'axis', colspan: labels.length }, 'Predicted')),
    h('tr', null, h('td', { colspan: 2 }), labels.map((l) => h('th', null, l))),
    matrix.map((row, i) => h('tr', null,
      i === 0 ? h('th', { class: 'axis', rowspan: labels.length, style: { writingMode: 'vertical-rl', transform: 'rotate(180deg)' } }, 'True') : null,
      h('th', { style: { textAlign: 'right' } }, labels[i]),
      row.map((count, j) => {
        const v = value(i, j);
        const t = v / peak;
        return h('td', {
          class: i === j ? 'diag' : '',
          style: { background: shade(t), color: t > 0.55 ? '#fff' : '#1f2430' },
          title: `true ${labels[i]} → predicted ${labels[j]}: ${count} (${rowSums[i] ? ((100 * count) / rowSums[i]).toFixed(1) : 0}% of ${labels[i]})`,
          'data-cell': `${i},${j}`,
        }, normalized ? (v === 0 ? '' : v.toFixed(2)) : count === 0 ? '' : String(count));
      }),
    )),
  );
}

export async function confusionView(runId) {
  const records = await getJson(`${runPath(runId)}/records`, { kind: 'confusion_matrix' });
  let normalized = false;
  let chosen = records.length - 1;
  const box = h('div', { class: 'card-body', style: { overflow: 'auto' } });
  const stats = h('span', { class: 'small muted' });
  const render = () => {
    const { data, step, key } = records[chosen];
    const total = data.matrix.flat().reduce((a, b) => a + b, 0);
    const correct = data.matrix.reduce((a, row, i) => a + row[i], 0);
    stats.textContent = `${key} · step ${step} · ${fmt(total)} samples · accuracy ${total ? ((100 * correct) / total).toFixed(1) : '–'}%`;
    mount(box, heatmap(data, normalized));
  };
  const head = h('div', { class: 'card-head' },
    h('h2', null, 'Confusion matrix'),
    stats,
    records.length > 1 ? h('select', { class: 'input', onchange: (e) => ((chosen = Number(e.target.value)), render()) }, records.map((r, i) => h('option', { value: i, selected: i === chosen }, `${r.key} @ ${r.step}`))) : null,
    h('label', { class: 'check small' }, h('input', { type: 'checkbox', onchange: (e) => ((normalized = e.target.checked), render()) }), 'normalize rows'),
  );
  render();
  return h('section', { class: 'card' }, head, box);
}
