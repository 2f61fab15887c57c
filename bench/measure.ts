import type { Result, Timing } from './workloads.js';
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
export function measure(call: () => void, timing: Timing): Result {
  try {
    const first = timeOnce(call);
    if (first > timing.longCallMs) return { status: 'ok', bestMs: first, medianMs: first, reps: 1, warmedUp: false };
    const samples: number[] = [];
    let spent = 0;
    while (samples.length < timing.maxReps && spent < timing.budgetMs) {
      const ms = timeOnce(call);
      samples.push(ms);
      spent += ms;
    }
    samples.sort((a, b) => a - b);
    return { status: 'ok', bestMs: samples[0], medianMs: median(samples), reps: samples.length, warmedUp: true };
  } catch (error) {
    return untimed(error);
  }
}

function timeOnce(call: () => void): number {
  const start = process.hrtime.bigint();
  call();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
