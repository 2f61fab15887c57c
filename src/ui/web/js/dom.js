// Small DOM and formatting helpers shared by every page.

/**
 * Creates an element: h('a', { href, class: 'x', onclick }, 'text', child, [more]).
 * Attributes starting with "on" become listeners; `style` may be an object; null and
 * false children are skipped.
 */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Like h, for SVG elements. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A number in at most 5 significant digits: 0.12346, 1.5e-7, 12,346. Missing (undefined)
 * is "–"; null is "NaN", since the API sends a logged NaN as null.
 */
export function fmt(value) {
  if (value === undefined) return '–';
  if (value === null) return 'NaN';
  if (typeof value !== 'number') return String(value);
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(5)));
}

/** An integer with thousands separators. */
export const fmtInt = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));

/** Bytes as KB/MB. */
export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** A duration in ms as "1h 02m", "3m 05s", "4.2s". */
export function fmtDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A time as "2025-03-04 14:05:09" in local time. */
export function fmtTime(ms) {
  if (!ms) return '–';
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "3 minutes ago" style. */
export function fmtAgo(ms) {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A run's status as a colored badge. */
export const statusBadge = (status) => h('span', { class: `badge ${status}` }, status);

/** Whether a smaller value of this metric is better (losses, errors, times). */
export function lowerIsBetter(key) {
  return /loss|err|mse|mae|rmse|perplexity|time|latency/i.test(key);
}

/** Whether a metric has no better direction (a learning rate, a counter), so no "best" is marked. */
export function neutralMetric(key) {
  return /(^|\/)(lr|learning_rate|epoch|step|batch_size)$/i.test(key);
}

/** A param string as a number when it is one. */
export function asNumber(value) {
  if (value === undefined || value === null || value === '') return NaN;
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}

/** Sort comparator: numbers numerically, strings naturally, missing last. */
export function compareValues(a, b) {
  const missingA = a === undefined || a === null || (typeof a === 'number' && Number.isNaN(a));
  const missingB = b === undefined || b === null || (typeof b === 'number' && Number.isNaN(b));
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** Calls fn at most once per `ms`, with the latest arguments. */
export function throttle(fn, ms) {
  let timer = null;
  let pending = null;
  return (...args) => {
    pending = args;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn(...pending);
    }, ms);
  };
}

/** The `<section class=empty>` shown when a page has nothing to show. */
export function emptyState(title, text, code) {
  return h('div', { class: 'empty' }, h('h2', null, title), h('p', null, text), code ? h('pre', null, code) : null);
}
