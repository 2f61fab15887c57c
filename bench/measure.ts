import type { Repetition, Result, Timing } from './workloads.js';
import { untimed } from './workloads.js';

/**
 * Times `call` (one synchronous repetition, results read back) under `timing`:
 *
 * - the first call is a warm-up (JIT, allocation) and is discarded, unless it took longer
 *   than `longCallMs`: then it is the only sample, since a second would cost as much again
 *   and warm-up effects are small against a call that long; more warm-up calls follow until
 *   the warm-up adds up to `warmupMs`;
 * - then timed calls until `maxReps` of them or until they add up to `budgetMs`;
 * - `longCallMs` 0 marks a caller that warmed up itself (the training rows, after their
 *   warm-up batches): every call is timed, up to `maxReps` of them while they add up to
 *   less than `budgetMs`, and the best is kept, so that one epoch disturbed by another
 *   process on the machine does not decide the row.
 *
 * bench/pytorch.py applies the same rule, so every competitor is timed alike.
 */
export async function measure(repetition: Repetition, timing: Timing): Promise<Result> {
  const { call, count } = repetition;
  const withCount = (r: Result): Result => (r.status === 'ok' && count !== undefined ? { ...r, count } : r);
  try {
    const samples: number[] = [];
    let spent = 0;
    const first = await timeOnce(call);
    if (timing.longCallMs === 0) {
      // warmed up by the caller: the first call is a sample
      samples.push(first);
      spent = first;
    } else if (first > timing.longCallMs) {
      return withCount({ status: 'ok', bestMs: first, medianMs: first, reps: 1, warmedUp: false });
    } else {
      for (let warm = first; warm < timing.warmupMs; ) warm += await timeOnce(call);
    }
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
