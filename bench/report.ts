/**
 * The printed report: a table of figures (GFLOP/s for GEMM, ms for convolution), one table
 * of ratios per Shendu backend against each competitor, and notes (what each competitor
 * is, what could not run and why).
 */
import type { CompetitorResults, Result, Timed, Workload } from './workloads.js';
import { EPOCH_SAMPLES, figure } from './workloads.js';

export function formatReport(workloads: Workload[], competitors: CompetitorResults[]): string {
  const lines: string[] = [];
  lines.push(figuresTable(workloads, competitors), '');
  lines.push('[n]: best of n timed repetitions after one warm-up call (training rows: after the warm-up batches, the faster of two runs; one if it took over 15 s);');
  lines.push('[1*]: one call, no warm-up (the first call was too slow to repeat).', '');
  const training = workloads.filter((w) => w.unit === 'µs/sample');
  if (training.length > 0) {
    lines.push(`Seconds per ${EPOCH_SAMPLES.toLocaleString('en-US')}-sample epoch (measured, or per-sample time x ${EPOCH_SAMPLES}):`);
    lines.push(epochTable(training, competitors), '');
  }
  const others = competitors.filter((c) => !c.shendu);
  for (const mine of competitors.filter((c) => c.shendu)) {
    if (others.length === 0) break;
    lines.push(`Shendu ${mine.name} against each competitor (same workloads, same run):`);
    lines.push(ratiosTable(workloads, mine, others), '');
  }
  lines.push(...notes(workloads, competitors));
  return lines.join('\n');
}

function figuresTable(workloads: Workload[], competitors: CompetitorResults[]): string {
  const header = ['workload', 'unit', ...competitors.map((c) => c.name)];
  const rows = workloads.map((w) => [w.label, w.unit, ...competitors.map((c) => figureCell(w, c.results.get(w.id)))]);
  return table(header, rows, 2);
}

function epochTable(workloads: Workload[], competitors: CompetitorResults[]): string {
  const header = ['workload', ...competitors.map((c) => c.name)];
  const rows = workloads.map((w) => [
    w.label,
    ...competitors.map((c) => {
      const result = c.results.get(w.id);
      return result?.status === 'ok' ? fmt((figure(w, result) * EPOCH_SAMPLES) / 1e6) : '-';
    }),
  ]);
  return table(header, rows);
}

function figureCell(workload: Workload, result: Result | undefined): string {
  if (!result) return '-';
  if (result.status !== 'ok') return result.status;
  return `${fmt(figure(workload, result))} [${result.reps}${result.warmedUp ? '' : '*'}]`;
}

function ratiosTable(workloads: Workload[], mine: CompetitorResults, others: CompetitorResults[]): string {
  const header = ['workload', ...others.map((other) => `${mine.name}/${other.name}`)];
  const rows = workloads.map((w) => [
    w.label,
    ...others.map((other) => ratioCell(w, mine.results.get(w.id), other.results.get(w.id))),
  ]);
  return table(header, rows);
}

/** "3.1x faster" when Shendu's figure is better, "2.5x slower" when worse. */
function ratioCell(workload: Workload, mine: Result | undefined, other: Result | undefined): string {
  if (mine?.status !== 'ok' || other?.status !== 'ok') return '-';
  const speedup = speed(workload, mine) / speed(workload, other);
  return speedup >= 1 ? `${fmt(speedup)}x faster` : `${fmt(1 / speedup)}x slower`;
}

/** Higher is better: GFLOP/s as is, the inverse of a time (ms, µs per sample or op). */
function speed(workload: Workload, result: Timed): number {
  const value = figure(workload, result);
  return workload.unit === 'GFLOP/s' ? value : 1 / value;
}

function notes(workloads: Workload[], competitors: CompetitorResults[]): string[] {
  const lines = competitors.map((c) => `${c.name}: ${c.about}`);
  for (const c of competitors) {
    for (const w of workloads) {
      const result = c.results.get(w.id);
      if (result && result.status !== 'ok') lines.push(`${c.name}, ${w.label}: ${result.status}: ${result.message}`);
    }
  }
  return lines;
}

/** Three significant digits, no exponent: 1234, 123, 12.3, 1.23, 0.123. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}

/** Columns padded to their widest cell; the first `leftColumns` are text, left-aligned. */
function table(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
