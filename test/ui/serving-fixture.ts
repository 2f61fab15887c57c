/**
 * A store with an A/B test's serving statistics, written by the server's own recorder
 * (src/serve/recorder.ts) on a clock of its own: model 'mnist-ab' registered with two
 * versions; version 1 (`stable`, 90% of the traffic) answers 90 requests per 5 s interval
 * quickly; version 2 (`canary`, 10%) answers 10, more slowly, with an error every fifth
 * interval. Twenty intervals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ServingRecorder, type VersionCounters } from '../../src/serve/recorder.js';
import { ModelRegistry } from '../../src/track/registry.js';
import type { TrackingStore } from '../../src/track/store.js';

export const SERVED_MODEL = 'mnist-ab';
export const LE_MS = [1, 2, 5, 10, 25, 50];
export const INTERVALS = 20;
export const INTERVAL_MS = 5000;

export interface ServedVersion {
  requests: number;
  errors: number;
  /** Requests per latency bucket over all intervals. */
  counts: number[];
  weight: number;
  labels: string[];
}

/** Registers the model's two versions and records the intervals; returns what was fed in, per version. */
export function fillServing(store: TrackingStore, start = Date.now() - INTERVALS * INTERVAL_MS): Record<1 | 2, ServedVersion> {
  const registry = new ModelRegistry(store);
  const file = path.join(store.home, 'mnist-ab.safetensors');
  fs.writeFileSync(file, 'model file');
  registry.register(file, SERVED_MODEL, { description: 'two versions under an A/B test' });
  registry.register(file, SERVED_MODEL);
  registry.setAlias(SERVED_MODEL, 'stable', 1);
  registry.setAlias(SERVED_MODEL, 'canary', 2);

  const fed: Record<1 | 2, ServedVersion> = {
    1: { requests: 0, errors: 0, counts: new Array(LE_MS.length + 1).fill(0), weight: 0.9, labels: ['stable'] },
    2: { requests: 0, errors: 0, counts: new Array(LE_MS.length + 1).fill(0), weight: 0.1, labels: ['canary'] },
  };
  let now = start;
  const recorder = new ServingRecorder({
    db: store.db,
    server: 'test-host:1:8501',
    leMs: LE_MS,
    now: () => now,
    collect: () =>
      ([1, 2] as const).map((v): VersionCounters => ({ model: SERVED_MODEL, version: v, ...fed[v], latencyCounts: [...fed[v].counts], labels: [...fed[v].labels] })),
  });
  recorder.record(now);
  for (let i = 1; i <= INTERVALS; i++) {
    // version 1: 90 requests, most under 2 ms; version 2: 10 requests, 5-25 ms
    fed[1].requests += 90;
    fed[1].counts[0] += 60;
    fed[1].counts[1] += 29;
    fed[1].counts[2] += 1;
    fed[2].requests += 10;
    fed[2].counts[3] += 6;
    fed[2].counts[4] += 4;
    if (i % 5 === 0) fed[2].errors += 1;
    recorder.record((now += INTERVAL_MS));
  }
  return fed;
}
