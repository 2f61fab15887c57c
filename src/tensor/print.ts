import type { TensorData } from '../backend/backend.js';
import { isFloatDType } from './dtype.js';
import { stridesOf } from './shape.js';

/**
 * Formats tensors exactly as PyTorch's `str(tensor)` does with its default print options,
 * except that the dtype suffix reads `dtype=int32` where PyTorch writes
 * `dtype=torch.int32`. int32 plays the role of PyTorch's int64 here but, as PyTorch does
 * for int32, is always named.
 */

/** Beyond this many elements a tensor prints summarised, with `...`. */
const SUMMARY_THRESHOLD = 1000;
/** Elements kept at each edge of a summarised dimension. */
const EDGE_ITEMS = 3;
/** Lines are wrapped to this many characters. */
const LINE_WIDTH = 80;
/** Digits after the decimal point of floats. */
const PRECISION = 4;

/**
 * Formats a tensor like PyTorch: `tensor([[1., 2.],\n        [3., 4.]])`. Floats share one
 * notation and width (integers with a trailing point, 4 decimals, or scientific when the
 * magnitudes span more than 1000× or leave [1e-4, 1e8]); long rows wrap at 80 columns;
 * tensors of more than 1000 elements show 3 items at each edge of every dimension.
 */
export function formatTensor(t: TensorData): string {
  const prefix = 'tensor(';
  const suffixes: string[] = [];
  let body: string;
  if (t.values.length === 0) {
    body = '[]';
    if (t.shape.length !== 1) suffixes.push(`size=(${t.shape.join(', ')})`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=${t.dtype}`);
  } else {
    if (t.dtype !== 'float32' && t.dtype !== 'bool') suffixes.push(`dtype=${t.dtype}`);
    body = formatBody(t, prefix.length);
  }
  return addSuffixes(prefix + body, suffixes, prefix.length);
}

function formatBody(t: TensorData, indent: number): string {
  const { shape, values } = t;
  const rank = shape.length;
  const summarise = values.length > SUMMARY_THRESHOLD;
  const strides = stridesOf(shape);
  // Indices shown along a dimension of size n; -1 marks the ellipsis.
  const shown = (n: number): number[] =>
    summarise && n > 2 * EDGE_ITEMS
      ? [...range(0, EDGE_ITEMS), -1, ...range(n - EDGE_ITEMS, n)]
      : range(0, n);

  // The notation and width are chosen from the elements shown only, as PyTorch does.
  const visible: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === rank) {
      visible.push(values[offset]);
      return;
    }
    for (const i of shown(shape[dim])) if (i >= 0) collect(dim + 1, offset + i * strides[dim]);
  };
  collect(0, 0);
  const { format, width } = elementFormatter(t.dtype, visible);

  const render = (dim: number, offset: number, ind: number): string => {
    if (dim === rank) return format(values[offset]);
    const indices = shown(shape[dim]);
    if (dim === rank - 1) {
      const items = indices.map((i) => (i === -1 ? ' ...' : format(values[offset + i * strides[dim]])));
      return wrapVector(items, width, ind);
    }
    const slices = indices.map((i) => (i === -1 ? '...' : render(dim + 1, offset + i * strides[dim], ind + 1)));
    return `[${slices.join(`,${'\n'.repeat(rank - dim - 1)}${' '.repeat(ind + 1)}`)}]`;
  };
  return render(0, 0, indent);
}

/** Joins a row's items, starting a new line when the next would pass LINE_WIDTH. */
function wrapVector(items: string[], width: number, indent: number): string {
  const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

/** Appends `, suffix` items, moving one to its own line when it would pass LINE_WIDTH. */
function addSuffixes(text: string, suffixes: string[], indent: number): string {
  let out = text;
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLineLength = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLineLength += suffix.length + 2;
    }
  }
  return `${out})`;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/**
 * Picks one notation for all elements and the width they are padded to, as PyTorch's
 * `_Formatter`: the width comes from the non-zero finite values only.
 */
function elementFormatter(dtype: string, values: number[]): { format: (v: number) => string; width: number } {
  if (!isFloatDType(dtype as 'float32')) {
    const one = dtype === 'bool' ? (v: number) => (v ? 'True' : 'False') : (v: number) => String(v);
    const width = Math.max(1, ...values.map((v) => one(v).length));
    return { format: (v) => one(v).padStart(width), width };
  }
  const nonZeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
  let intMode = true;
  let scientific = false;
  let width = 1;
  if (nonZeroFinite.length > 0) {
    const magnitudes = nonZeroFinite.map(Math.abs);
    const max = Math.max(...magnitudes);
    const min = Math.min(...magnitudes);
    intMode = nonZeroFinite.every(Number.isInteger);
    scientific = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
    const measure = scientific
      ? (v: number) => formatExponential(v, PRECISION).length
      : intMode
        ? (v: number) => formatFixed(v, 0).length + 1
        : (v: number) => formatFixed(v, PRECISION).length;
    for (const v of nonZeroFinite) width = Math.max(width, measure(v));
  }
  const one = (v: number): string => {
    if (scientific) return formatExponential(v, PRECISION);
    if (intMode) return Number.isFinite(v) ? `${formatFixed(v, 0)}.` : formatFixed(v, 0);
    return formatFixed(v, PRECISION);
  };
  return { format: (v) => one(v).padStart(width), width };
}

/** Python's `'{:.Nf}'.format(v)`: rounds the exact binary value half to even. */
export function formatFixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const { digits, exp10 } = exactDecimal(Math.abs(v));
  const scaled = roundHalfEven(digits, exp10 + decimals).toString().padStart(decimals + 1, '0');
  const body = decimals === 0 ? scaled : `${scaled.slice(0, -decimals)}.${scaled.slice(-decimals)}`;
  return `${isNegative(v) ? '-' : ''}${body}`;
}

/** Python's `'{:.Ne}'.format(v)`: `d.dddde±XX`, rounded half to even on the exact value. */
export function formatExponential(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const sign = isNegative(v) ? '-' : '';
  if (v === 0) return `${sign}0.${'0'.repeat(decimals)}e+00`;
  const { digits, exp10 } = exactDecimal(Math.abs(v));
  let exponent = digits.length - 1 + exp10;
  let mantissa = roundHalfEven(digits, exp10 - exponent + decimals);
  if (mantissa === 10n ** BigInt(decimals + 1)) {
    // 9.99995 rounds up to 10.0000: renormalise.
    mantissa /= 10n;
    exponent += 1;
  }
  const m = mantissa.toString();
  const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${sign}${m[0]}${decimals > 0 ? `.${m.slice(1)}` : ''}e${e}`;
}

function nonFinite(v: number): string {
  return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
}

function isNegative(v: number): boolean {
  return v < 0 || Object.is(v, -0);
}

/** The exact value of a positive finite double as an integer times a power of ten. */
function exactDecimal(x: number): { digits: string; exp10: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2 = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  if (mantissa === 0n) return { digits: '0', exp10: 0 };
  if (exp2 >= 0) return { digits: (mantissa << BigInt(exp2)).toString(), exp10: 0 };
  // m·2^-k = m·5^k / 10^k
  return { digits: (mantissa * 5n ** BigInt(-exp2)).toString(), exp10: exp2 };
}

/** round(digits · 10^shift) to an integer, ties to even. */
function roundHalfEven(digits: string, shift: number): bigint {
  const n = BigInt(digits);
  if (shift >= 0) return n * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const q = n / divisor;
  const twiceRemainder = 2n * (n % divisor);
  if (twiceRemainder > divisor || (twiceRemainder === divisor && q % 2n === 1n)) return q + 1n;
  return q;
}
