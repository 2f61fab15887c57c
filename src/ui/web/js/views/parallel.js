// Parallel coordinates: one vertical axis per hyperparameter (numbers on a linear or log
// scale, text as evenly spaced categories) and the chosen metric last; one line per run,
// colored by the metric.
import { s, fmt } from '../dom.js';

const H = 340;
const M = { top: 52, bottom: 24, left: 80, right: 60 };

/** Viridis, sampled: 0 → dark purple, 1 → yellow. */
const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
export function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const c = STOPS[i].map((v, k) => Math.round(v + (STOPS[i + 1][k] - v) * f));
  return `rgb(${c.join(',')})`;
}

/** The scale of an axis from its values: { y(value), ticks: [[value, label]] }. */
function scaleOf(values) {
  const present = values.filter((v) => v !== undefined && v !== null && v !== '');
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v));
  // values keep off the axis ends, so that lines at the extremes do not look like a frame
  const top = M.top + 10;
  const bottom = H - M.bottom - 10;
  if (numeric) {
    const lo = Math.min(...present);
    const hi = Math.max(...present);
    const log = lo > 0 && hi / lo >= 100;
    const f = (v) => (log ? Math.log10(v) : v);
    const span = f(hi) - f(lo);
    const y = (v) => (span === 0 ? (top + bottom) / 2 : bottom - ((f(v) - f(lo)) / span) * (bottom - top));
    const ticks = span === 0 ? [lo] : Array.from({ length: 5 }, (_, i) => (log ? 10 ** (f(lo) + (i * span) / 4) : lo + (i * (hi - lo)) / 4));
    return { y, ticks: ticks.map((v) => [v, fmt(Number(v.toPrecision(3)))]), log };
  }
  const cats = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const y = (v) => (cats.length === 1 ? (top + bottom) / 2 : bottom - (cats.indexOf(String(v)) / (cats.length - 1)) * (bottom - top));
  return { y, ticks: cats.map((c) => [c, c.length > 12 ? `${c.slice(0, 11)}…` : c]), log: false };
}

/**
 * @param runs [{ id, name }]
 * @param axes [{ label, value(run) }] the last one is the metric the lines are colored by
 * @param higherIsBetter whether a larger metric is better (for the color direction)
 * @param onHover (runId | null) when the pointer enters or leaves a line
 * @param W the width to draw at, in pixels (text stays at its CSS size)
 */
export function parallelCoordinates(runs, axes, higherIsBetter, onHover, W = 1000) {
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': 'parallel coordinates', id: 'parallel' });
  // axis names alternate between two rows when they would run into each other
  const spacing = axes.length > 1 ? (W - M.left - M.right) / (axes.length - 1) : W;
  const xs = axes.map((_, i) => (axes.length === 1 ? W / 2 : M.left + (i * (W - M.left - M.right)) / (axes.length - 1)));
  const scales = axes.map((axis) => scaleOf(runs.map((r) => axis.value(r))));
  const metric = axes[axes.length - 1];
  const metricValues = runs.map((r) => metric.value(r)).filter((v) => typeof v === 'number' && Number.isFinite(v));
  const lo = Math.min(...metricValues);
  const hi = Math.max(...metricValues);
  const colorFor = (r) => {
    const v = metric.value(r);
    if (typeof v !== 'number' || !Number.isFinite(v)) return '#9ca3af';
    const t = hi === lo ? 1 : (v - lo) / (hi - lo);
    return viridis(higherIsBetter ? t : 1 - t);
  };
  const lines = s('g');
  const byRun = new Map();
  for (const r of runs) {
    let d = '';
    let pen = false;
    axes.forEach((axis, i) => {
      const v = axis.value(r);
      if (v === undefined || v === null || v === '' || (typeof v === 'number' && !Number.isFinite(v))) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${xs[i].toFixed(1)},${scales[i].y(v).toFixed(1)} `;
      pen = true;
    });
    const path = s('path', { class: 'line', d, stroke: colorFor(r), 'data-run': r.id }, s('title', null, `${r.name}: ${metric.label} = ${fmt(metric.value(r))}`));
    path.addEventListener('mouseenter', () => onHover?.(r.id));
    path.addEventListener('mouseleave', () => onHover?.(null));
    byRun.set(r.id, path);
    lines.append(path);
  }
  svg.append(lines);
  axes.forEach((axis, i) => {
    const g = s('g', { class: 'axis' });
    g.append(s('line', { x1: xs[i], x2: xs[i], y1: M.top, y2: H - M.bottom, 'stroke-width': 1.2 }));
    for (const [value, label] of scales[i].ticks) {
      const y = scales[i].y(value);
      g.append(s('line', { x1: xs[i] - 4, x2: xs[i], y1: y, y2: y }));
      g.append(s('text', { x: xs[i] - 7, y: y + 3.5, 'text-anchor': 'end', fill: '#6b7280', 'font-size': 10 }, label));
    }
    const last = i === axes.length - 1;
    const stagger = spacing < 150 && i % 2 === 1 ? 14 : 0;
    const room = Math.floor((spacing < 150 ? 2 * spacing : spacing) / 7);
    const label = axis.label.length > room ? `${axis.label.slice(0, room - 1)}…` : axis.label;
    g.append(s('text', { x: xs[i], y: M.top - 30 + stagger, 'text-anchor': 'middle', 'font-weight': 600, fill: last ? '#c2410c' : '#1f2430' }, s('title', null, axis.label), label));
    if (scales[i].log) g.append(s('text', { x: xs[i] + 4, y: M.top + 10, fill: '#9ca3af', 'font-size': 10 }, 'log'));
    svg.append(g);
  });
  /** Highlights one run's line (null: none). */
  svg.highlight = (runId) => {
    for (const [id, path] of byRun) {
      path.classList.toggle('hot', id === runId);
      path.classList.toggle('dim', runId !== null && id !== runId);
    }
  };
  return svg;
}
