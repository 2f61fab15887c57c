// One metric of several runs as a uPlot line chart: each run's raw points (faint) and
// their smoothed curve, against step, relative time or wall time; linear or log scale;
// live points appended as they arrive; a tooltip listing the runs' values.
import uPlot from '../../vendor/uplot.esm.js';
import { h, mount, fmt, fmtDuration } from './dom.js';

/** Every chart on the page by metric key, for the browser tests and the console. */
const registry = (window.shendu ??= { charts: new Map() }).charts;

/** TensorBoard's smoothing: an exponential moving average, debiased at the start; NaN and gaps pass through. */
export function smooth(ys, weight) {
  if (!(weight > 0)) return ys;
  const out = new Array(ys.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    n++;
    out[i] = last / (1 - weight ** n);
  }
  return out;
}

function withAlpha(color, alpha) {
  if (color.startsWith('#')) {
    const n = parseInt(color.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return color.replace('hsl(', 'hsla(').replace(')', `, ${alpha})`);
}

/** Tick spacings of a step axis: whole steps only. */
const STEP_INCREMENTS = [1, 2, 5].flatMap((m) => Array.from({ length: 12 }, (_, e) => m * 10 ** e)).sort((a, b) => a - b);

const AXIS = { stroke: '#6b7280', font: '11px system-ui, sans-serif', grid: { stroke: '#eef0f3', width: 1 }, ticks: { stroke: '#e5e7eb', width: 1, size: 4 } };

export class MetricChart {
  /**
   * @param box the element to draw in
   * @param key the metric
   * @param runs [{ id, name, startTime, color }] plotted runs, in legend order
   * @param options { smoothing, log, x: 'step' | 'relative' | 'wall' }
   */
  constructor(box, key, runs, options) {
    this.box = box;
    this.key = key;
    this.runs = runs;
    this.runIds = new Set(runs.map((r) => r.id));
    this.options = { ...options };
    this.data = new Map(); // run id -> { x: [], y: [] }, x already in the chart's unit
    this.cursor = Infinity; // live points with a larger id are new
    this.u = null;
    this.signature = '';
    this.tip = h('div', { class: 'chart-tip', hidden: true });
    this.note = h('div', { class: 'note' }, 'Loading…');
    box.append(this.note, this.tip);
    this.resizer = new ResizeObserver(() => this.u && this.u.setSize(this.size()));
    this.resizer.observe(box);
    registry.set(key, this);
  }

  /** The x of a point in the chart's unit. */
  xOf(run, step, timestamp) {
    if (this.options.x === 'step') return step;
    if (this.options.x === 'relative') return (timestamp - run.startTime) / 1000;
    return timestamp / 1000;
  }

  /** Sets the series the server sent (`x` in steps or ms) and the live cursor they are current to. */
  setSeries(series, cursor) {
    this.data.clear();
    for (const s of series) {
      const run = this.runs.find((r) => r.id === s.run);
      if (!run) continue;
      const x = this.options.x === 'step' ? s.x : s.x.map((t) => this.xOf(run, 0, t));
      this.data.set(s.run, { x, y: s.y, count: s.count, downsampled: s.downsampled });
    }
    this.cursor = cursor;
    this.render();
  }

  /** Adds live points `[id, runId, key, step, timestamp, value]`; true if any was this chart's. */
  append(points) {
    let added = false;
    for (const [id, runId, key, step, timestamp, value] of points) {
      if (key !== this.key || id <= this.cursor || !this.runIds.has(runId)) continue;
      const run = this.runs.find((r) => r.id === runId);
      const series = this.data.get(runId) ?? { x: [], y: [], count: 0, downsampled: false };
      this.data.set(runId, series);
      const x = this.xOf(run, step, timestamp);
      // points usually arrive in x order; keep the arrays sorted when they do not
      let at = series.x.length;
      while (at > 0 && series.x[at - 1] > x) at--;
      series.x.splice(at, 0, x);
      series.y.splice(at, 0, value);
      series.count++;
      added = true;
    }
    if (added) this.render();
    return added;
  }

  setOptions(options) {
    Object.assign(this.options, options);
    this.render();
  }

  size() {
    return { width: Math.max(200, this.box.clientWidth - 4), height: Math.max(160, this.box.clientHeight - 8) };
  }

  /** The aligned table uPlot draws: x, then for each run its raw and (if smoothing) smoothed values. */
  table() {
    const plotted = this.runs.filter((r) => this.data.has(r.id));
    // the union of the runs' x values: one typed-array sort, then the distinct values
    const all = new Float64Array(plotted.reduce((n, r) => n + this.data.get(r.id).x.length, 0));
    let at = 0;
    for (const r of plotted) for (const x of this.data.get(r.id).x) all[at++] = x;
    all.sort();
    const xs = [];
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) xs.push(all[i]);
    const columns = [xs];
    const log = this.options.log;
    const smoothing = this.options.smoothing;
    for (const run of plotted) {
      const { x, y } = this.data.get(run.id);
      const values = log ? y.map((v) => (v !== null && v <= 0 ? undefined : v)) : y;
      // undefined: no point of this run at this x (uPlot skips it); null: a NaN (a gap)
      const raw = new Array(xs.length).fill(undefined);
      const slots = new Int32Array(x.length);
      // both sorted: walk them together (a repeated x keeps its last value)
      for (let i = 0, j = 0; i < x.length; i++) {
        while (xs[j] < x[i]) j++;
        slots[i] = j;
        raw[j] = values[i];
      }
      columns.push(raw);
      if (smoothing > 0) {
        const own = values.filter((v) => v !== undefined);
        const smoothed = smooth(own, smoothing);
        const col = new Array(xs.length).fill(undefined);
        for (let i = 0, k = 0; i < x.length; i++) if (values[i] !== undefined) col[slots[i]] = smoothed[k++];
        columns.push(col);
      }
    }
    return { plotted, columns };
  }

  render() {
    if (!this.box.isConnected) return;
    const { plotted, columns } = this.table();
    this.note.textContent = plotted.length === 0 ? 'No data' : '';
    this.note.hidden = plotted.length > 0;
    const smoothing = this.options.smoothing > 0;
    const signature = `${plotted.map((r) => r.id).join(',')}|${smoothing}|${this.options.log}|${this.options.x}`;
    if (this.u && signature === this.signature) {
      this.u.setData(columns);
      this.drawnAt = performance.now();
      return;
    }
    this.u?.destroy();
    this.u = null;
    this.signature = signature;
    if (plotted.length === 0) return;
    const series = [{}];
    for (const run of plotted) {
      // uPlot marks the points of a series where they are sparse enough to be seen
      series.push({ label: run.name, runId: run.id, raw: true, stroke: smoothing ? withAlpha(run.color, 0.28) : run.color, width: smoothing ? 1 : 1.6, points: smoothing ? { show: false } : { size: 5, fill: run.color } });
      if (smoothing) series.push({ label: `${run.name} (smoothed)`, runId: run.id, stroke: run.color, width: 1.8, points: { size: 5, fill: run.color } });
    }
    const xMode = this.options.x;
    this.u = new uPlot(
      {
        ...this.size(),
        padding: [8, 10, 0, 2],
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: true }, points: { size: 7 }, focus: { prox: 24 } },
        focus: { alpha: 0.35 },
        scales: { x: { time: xMode === 'wall' }, y: { distr: this.options.log ? 3 : 1 } },
        axes: [
          { ...AXIS, incrs: xMode === 'step' ? STEP_INCREMENTS : undefined, values: xMode === 'relative' ? (u, vals) => vals.map((v) => fmtDuration(v * 1000)) : xMode === 'step' ? (u, vals) => vals.map((v) => fmt(v)) : undefined },
          { ...AXIS, size: 58, values: (u, vals) => vals.map((v) => fmt(v)) },
        ],
        series,
        hooks: { setCursor: [(u) => this.showTip(u)] },
      },
      columns,
      this.box,
    );
    /** When the chart last drew, in ms since the page started loading. */
    this.drawnAt = performance.now();
  }

  showTip(u) {
    const i = u.cursor.idx;
    if (i === null || i === undefined || u.cursor.left < 0) {
      this.tip.hidden = true;
      return;
    }
    const x = u.data[0][i];
    const rows = [];
    for (let k = 1; k < u.series.length; k++) {
      const series = u.series[k];
      if (series.raw && this.options.smoothing > 0) continue;
      const value = nearest(u.data[k], i);
      if (value === undefined) continue;
      const run = this.runs.find((r) => r.id === series.runId);
      rows.push({ run, value, raw: this.options.smoothing > 0 ? nearest(u.data[k - 1], i) : undefined });
    }
    if (rows.length === 0) {
      this.tip.hidden = true;
      return;
    }
    const lower = /loss|err/i.test(this.key);
    rows.sort((a, b) => (lower ? a.value - b.value : b.value - a.value));
    const xText = this.options.x === 'step' ? `step ${fmt(x)}` : this.options.x === 'relative' ? fmtDuration(x * 1000) : new Date(x * 1000).toLocaleString();
    mount(
      this.tip,
      h('div', { class: 't' }, xText),
      ...rows.slice(0, 12).map((r) =>
        h('div', { class: 'r' }, h('span', { class: 'swatch', style: { background: r.run.color } }), h('span', { class: 'n' }, r.run.name), h('b', null, fmt(r.value)), r.raw !== undefined ? h('span', { class: 'muted' }, `(${fmt(r.raw)})`) : null),
      ),
      rows.length > 12 ? h('div', { class: 'muted' }, `+${rows.length - 12} more`) : null,
    );
    this.tip.hidden = false;
    const left = u.cursor.left + u.over.offsetLeft;
    const width = this.tip.offsetWidth;
    this.tip.style.left = `${left + 14 + width > this.box.clientWidth ? left - width - 14 : left + 14}px`;
    this.tip.style.top = `${Math.max(4, u.cursor.top + u.over.offsetTop - 20)}px`;
  }

  /** The points drawn for a run (raw values, as logged or thinned): [[x, y], ...]. */
  pointsOf(runId) {
    if (!this.u) return [];
    const k = this.u.series.findIndex((s) => s.runId === runId && s.raw);
    if (k < 0) return [];
    const out = [];
    this.u.data[0].forEach((x, i) => this.u.data[k][i] !== undefined && out.push([x, this.u.data[k][i]]));
    return out;
  }

  destroy() {
    this.resizer.disconnect();
    this.u?.destroy();
    if (registry.get(this.key) === this) registry.delete(this.key);
  }
}

/** The defined value at i, else the closest defined one within a few points. */
function nearest(column, i) {
  if (!column) return undefined;
  for (let d = 0; d < 40; d++) {
    if (column[i - d] !== undefined && i - d >= 0) return column[i - d];
    if (column[i + d] !== undefined && i + d < column.length) return column[i + d];
  }
  return undefined;
}
