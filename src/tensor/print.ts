import type { TensorData } from '../backend/backend.js';
import { isFloatDType } from './dtype.js';

/** Beyond this many elements a tensor prints summarised, with `...` (NumPy's threshold). */
const SUMMARY_THRESHOLD = 1000;
/** Elements kept at each edge of a summarised dimension. */
const EDGE_ITEMS = 3;

/**
 * Formats a tensor like PyTorch: `tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])`.
 * Floats share one width and precision; int and bool print plainly.
 */
export function formatTensor(t: TensorData): string {
  const size = t.values.length;
  const summarise = size > SUMMARY_THRESHOLD;
  const fmt = elementFormatter(t);
  const prefix = 'tensor(';
  const indent = ' '.repeat(prefix.length);
  const strides: number[] = [];
  let s = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i];
  }

  const render = (dim: number, offset: number): string => {
    if (dim === t.shape.length) return fmt(t.values[offset]);
    const n = t.shape[dim];
    const indices =
      summarise && n > 2 * EDGE_ITEMS
        ? [...range(0, EDGE_ITEMS), -1, ...range(n - EDGE_ITEMS, n)]
        : range(0, n);
    const parts = indices.map((i) => (i === -1 ? '...' : render(dim + 1, offset + i * strides[dim])));
    if (dim === t.shape.length - 1) return `[${parts.join(', ')}]`;
    const newlines = '\n'.repeat(t.shape.length - dim - 1);
    return `[${parts.join(`,${newlines}${indent}${' '.repeat(dim + 1)}`)}]`;
  };

  const body = size === 0 && t.shape.length <= 1 ? '[]' : render(0, 0);
  const suffix = t.dtype === 'float32' || (t.dtype === 'bool' && size > 0) ? '' : `, dtype=${t.dtype}`;
  const shapeNote = size === 0 && t.shape.length > 1 ? `, size=(${t.shape.join(', ')})` : '';
  return `${prefix}${body}${shapeNote}${suffix})`;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/** Picks one notation for all elements, as PyTorch does: fixed with 4 decimals, or scientific. */
function elementFormatter(t: TensorData): (v: number) => string {
  if (t.dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (!isFloatDType(t.dtype)) {
    let width = 1;
    for (const v of t.values) width = Math.max(width, String(v).length);
    return (v) => String(v).padStart(width);
  }
  let maxAbs = 0;
  let minAbs = Infinity;
  let allIntegers = true;
  for (const v of t.values) {
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    maxAbs = Math.max(maxAbs, a);
    if (a > 0) minAbs = Math.min(minAbs, a);
    if (!Number.isInteger(v)) allIntegers = false;
  }
  const scientific = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || (maxAbs > 0 && maxAbs / minAbs > 1000 && !allIntegers);
  const one = (v: number): string => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (scientific) return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
    if (allIntegers) return `${v.toFixed(0)}.`;
    return v.toFixed(4);
  };
  let width = 1;
  for (const v of t.values) width = Math.max(width, one(v).length);
  return (v) => one(v).padStart(width);
}
