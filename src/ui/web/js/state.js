// What pages share: the list of runs, each run's color, the selected runs and the chart
// settings (kept in localStorage so that they survive a reload).
import { getJson } from './api.js';

const PALETTE = ['#ea580c', '#2563eb', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d', '#0d9488', '#7c3aed'];

const stored = (key, fallback) => {
  try {
    const value = localStorage.getItem(`shendu.${key}`);
    return value === null ? fallback : JSON.parse(value);
  } catch {
    return fallback;
  }
};
const store = (key, value) => {
  try {
    localStorage.setItem(`shendu.${key}`, JSON.stringify(value));
  } catch {
    // private mode: settings last for this page only
  }
};

export const state = {
  /** Every run, newest first (RunInfo from /api/runs). */
  runs: [],
  byId: new Map(),
  colors: new Map(),
  /** Run ids picked in the runs table (for charts and comparison); empty means "all". */
  selected: new Set(stored('selected', [])),
  /** Runs hidden on the charts page. */
  hidden: new Set(stored('hidden', [])),
  chart: { smoothing: stored('smoothing', 0.6), log: stored('log', false), x: stored('x', 'step') },
};

/** Loads the runs (again) and gives each a stable color, by start order. */
export async function loadRuns() {
  const runs = await getJson('api/runs');
  state.runs = runs;
  state.byId = new Map(runs.map((r) => [r.id, r]));
  const oldestFirst = [...runs].sort((a, b) => a.startTime - b.startTime || a.id.localeCompare(b.id));
  state.colors = new Map(oldestFirst.map((r, i) => [r.id, colorAt(i)]));
  for (const id of [...state.selected]) if (!state.byId.has(id)) state.selected.delete(id);
  return runs;
}

function colorAt(i) {
  if (i < PALETTE.length) return PALETTE[i];
  // beyond the palette: spread hues by the golden angle
  return `hsl(${Math.round((i * 137.508) % 360)}, 62%, 45%)`;
}

export const colorOf = (id) => state.colors.get(id) ?? '#6b7280';

/** The runs the charts and comparison show: the selection, else every run. */
export function chosenRuns() {
  const picked = state.runs.filter((r) => state.selected.has(r.id));
  return picked.length > 0 ? picked : state.runs;
}

export function setSelected(ids) {
  state.selected = new Set(ids);
  store('selected', [...state.selected]);
}

export function setHidden(ids) {
  state.hidden = new Set(ids);
  store('hidden', [...state.hidden]);
}

export function setChartOption(name, value) {
  state.chart[name] = value;
  store(name, value);
}
