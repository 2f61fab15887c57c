/**
 * Experiment tracking (`sd.track`), as MLflow does it, in an embedded store: experiments,
 * runs, params, metrics, artifacts, histograms, confusion matrices and sample images, in
 * SQLite under `./.shendu/` ($SHENDU_HOME or `{ home }` to choose another folder).
 *
 * ```ts
 * const run = sd.track.startRun({ experiment: 'mnist', runName: 'mlp', tags: { team: 'vision' } });
 * run.logParams({ lr: 0.001, epochs: 5 });
 * run.logMetric('loss', 0.42, 0);
 * run.end();
 * sd.track.searchRuns({ experiment: 'mnist', filter: 'metrics.loss < 0.5', orderBy: ['metrics.loss'] });
 * ```
 */
export { TrackingStore, DEFAULT_EXPERIMENT, type StoreOptions, type MetricInput, type NewRun } from './store.js';
export { Run, HEARTBEAT_INTERVAL_MS, type LabeledImage, type SavableModel } from './run.js';
export { TrackingCallback, type TrackingCallbackOptions, type TrackedModel, type FitParams } from './callback.js';
export { histogram, type Histogram } from './histogram.js';
export { encodePng, type RawImage } from './png.js';
export { NotFoundError, StoreError } from './errors.js';
export { resolveHome } from './env.js';
export * from './types.js';
export {
  openStore,
  defaultStore,
  startRun,
  getRun,
  searchRuns,
  listExperiments,
  getMetricHistory,
  type StartRunOptions,
} from './api.js';
