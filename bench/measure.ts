import type { Repetition, Result, Timing } from './workloads.js';
import { untimed } from './workloads.js';

/**
 * Times `call` (one synchronous repetition, results read back) under `timing`:
 *
 * - the first call is a warm-up (JIT, allocation) and is discarded, unless it took longer
 *   than `longCallMs`: then it is the only sample, since a second would cost as much again
 *   and warm-up effects are small against a call that long;
 * - then timed calls until `maxReps` of them or until they add up to `budgetMs`.
 *
 * bench/pytorch.py applies the same rule, so every competitor is timed alike.
 */
export async function measure(repetition: Repetition, timing: Timing): Promise<Result> {
  const { call, count } = repetition;
  const withCount = (r: Result): Result => (r.status === 'ok' && count !== undefined ? { ...r, count } : r);
  try {
    const first = await timeOnce(call);
    // longCallMs 0: the one call is the sample, and the caller warmed up (training rows)
    const warmedUp = timing.longCallMs === 0;
    if (first > timing.longCallMs) return withCount({ status: 'ok', bestMs: first, medianMs: first, reps: 1, warmedUp });
    const samples: number[] = [];
    let spent = 0;
    while (samples.length < timing.maxReps && spent < timing.budgetMs) {
      const ms = await timeOnce(call);
      samples.push(ms);
      spent += ms;
    }
    samples.sort((a, b) => a - b);
    return withCount({ status: 'ok', bestMs: samples[0], medianMs: median(samples), reps: samples.length, warmedUp: true });
  } catch (error) {
    return untimed(error);
  }
}

/** One call's wall time in ms; a promise is awaited inside the timing, a plain call adds no await. */
async function timeOnce(call: Repetition['call']): Promise<number> {
  const start = process.hrtime.bigint();
  const pending = call();
  if (pending instanceof Promise) await pending;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
