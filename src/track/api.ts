/** The module-level tracking API: the default store, startRun and the queries on it. */
import { gitCommit, resolveHome, sourceCommand } from './env.js';
import { Run } from './run.js';
import { TrackingStore, type StoreOptions } from './store.js';
import type { Experiment, MetricPoint, RunInfo, SearchQuery } from './types.js';

/**
 * Opens a store: a new connection each call, to close when done. Read-only stores (for a
 * dashboard or a report) never write, and need an existing store.
 */
export function openStore(options: StoreOptions = {}): TrackingStore {
  return TrackingStore.open(options);
}

const defaultStores = new Map<string, TrackingStore>();

/** The read-write store of `home` (default $SHENDU_HOME or ./.shendu), opened once per process. */
export function defaultStore(home?: string): TrackingStore {
  const dir = resolveHome(home);
  let store = defaultStores.get(dir);
  if (!store || !store.db.open) {
    store = TrackingStore.open({ home: dir });
    defaultStores.set(dir, store);
  }
  return store;
}

export interface StartRunOptions {
  /** Experiment name; created if new (default 'default'). */
  experiment?: string;
  runName?: string;
  tags?: Record<string, string>;
  /** Params to log right away. */
  params?: Record<string, unknown>;
  /** The store folder (default $SHENDU_HOME or ./.shendu), or an open store. */
  home?: string;
  store?: TrackingStore;
  /** How often the run writes its heartbeat (default 10 s). */
  heartbeatMs?: number;
}

/**
 * Starts a RUNNING run recording the command line and the git commit of the current
 * directory; log to it, then `run.end()`.
 */
export function startRun(options: StartRunOptions = {}): Run {
  const store = options.store ?? defaultStore(options.home);
  const id = store.createRun({
    experiment: options.experiment,
    name: options.runName,
    tags: options.tags,
    source: sourceCommand(),
    gitCommit: gitCommit(),
  });
  const run = new Run(store, id, options.heartbeatMs);
  if (options.params) run.logParams(options.params);
  return run;
}

/** The run with this id (or a unique prefix of it) in the default store. */
export function getRun(id: string): RunInfo {
  return defaultStore().getRun(id);
}

/** Runs of the default store matching a query: `{ experiment, filter, orderBy, status, limit }`. */
export function searchRuns(query: SearchQuery = {}): RunInfo[] {
  return defaultStore().searchRuns(query);
}

export function listExperiments(): Experiment[] {
  return defaultStore().listExperiments();
}

/** Every point logged for metric `key` of a run, by step. */
export function getMetricHistory(runId: string, key: string): MetricPoint[] {
  return defaultStore().getMetricHistory(runId, key);
}
