/**
 * What the dashboard reads from the tracking store, in the shapes its JSON API returns.
 * The store is opened read-only, on first need: a dashboard started before the first run
 * shows an empty store, then the runs as they appear. Nothing here ever writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../track/errors.js';
import { ModelRegistry, type ModelVersion, type RegisteredModel } from '../track/registry.js';
import { readServingStats } from '../track/serving.js';
import { TrackingStore } from '../track/store.js';
import type { ArtifactInfo, Experiment, HistogramRecord, RunInfo, RunRecord, SearchQuery } from '../track/types.js';
import { buildModelGraph, parseArchitecture, parseSummary, type ModelGraph } from './model-graph.js';
import { SeriesReader, type Series, type XAxis } from './series.js';
import { summarizeServing, type ServingSummary } from './serving.js';

/** Where a run's model picture comes from (the TrackingCallback's names). */
export const ARCHITECTURE_ARTIFACT = 'model/architecture.json';
export const SUMMARY_ARTIFACT = 'model/summary.txt';

export interface RunDetail {
  run: RunInfo;
  artifacts: ArtifactInfo[];
  histogramKeys: string[];
  /** The records a run logged, without their data: `{ id, kind, key, step }`. */
  records: Omit<RunRecord, 'data'>[];
  hasModelGraph: boolean;
}

/** One metric point as the live feed sends it: `[id, runId, key, step, timestamp, value]`. */
export type LivePoint = [number, string, string, number, number, number | null];

/** A run's state as the live feed watches it. */
export interface RunState {
  id: string;
  status: string;
  endTime: number | null;
  heartbeat: number;
}

export class DashboardData {
  private store: TrackingStore | undefined;
  private reader: SeriesReader | undefined;

  constructor(readonly home: string) {}

  /** The store file. */
  get file(): string {
    return path.join(this.home, 'store.db');
  }

  /** The read-only store, or undefined while nothing has been tracked in `home`. Throws StoreError if the file is broken. */
  open(): TrackingStore | undefined {
    if (this.store?.db.open) return this.store;
    if (!fs.existsSync(this.file)) return undefined;
    this.store = TrackingStore.open({ home: this.home, readonly: true });
    this.reader = new SeriesReader(this.store.db);
    return this.store;
  }

  close(): void {
    this.store?.close();
    this.store = undefined;
  }

  private require(what: string): TrackingStore {
    const store = this.open();
    if (!store) throw new NotFoundError(`no ${what}: nothing has been tracked in ${this.home} yet`);
    return store;
  }

  experiments(): Experiment[] {
    return this.open()?.listExperiments() ?? [];
  }

  runs(query: SearchQuery): RunInfo[] {
    return this.open()?.searchRuns(query) ?? [];
  }

  runDetail(idOrPrefix: string): RunDetail {
    const store = this.require(`run '${idOrPrefix}'`);
    const run = store.getRun(idOrPrefix);
    const artifacts = store.listArtifacts(run.id);
    const records = store.db
      .prepare('SELECT id, kind, key, step, timestamp FROM records WHERE run_id = ? ORDER BY id')
      .all(run.id) as Omit<RunRecord, 'data'>[];
    return {
      run,
      artifacts,
      histogramKeys: store.histogramKeys(run.id),
      records,
      hasModelGraph: artifacts.some((a) => a.path === ARCHITECTURE_ARTIFACT || a.path === SUMMARY_ARTIFACT),
    };
  }

  /** The full id of a run given its id or a unique prefix; NotFoundError if none. */
  runId(idOrPrefix: string): string {
    return this.require(`run '${idOrPrefix}'`).resolveRunId(idOrPrefix);
  }

  /**
   * The series of metric `key` for each of `runIds` that logged it, thinned to about
   * `maxPoints` points, and the live cursor: the id of the newest metric point they
   * include (read in one snapshot, so the live feed continues exactly after them).
   */
  series(runIds: readonly string[], key: string, xAxis: XAxis, maxPoints: number): { cursor: number; series: Series[] } {
    const store = this.require(`metric '${key}'`);
    const ids = runIds.map((id) => store.resolveRunId(id));
    const read = store.db.transaction(() => {
      const cursor = store.lastMetricId();
      const series = ids.map((id) => this.reader?.read(id, key, xAxis, maxPoints)).filter((s): s is Series => s !== undefined);
      return { cursor, series };
    });
    return read.deferred();
  }

  /**
   * Reads every metric of every run (newest runs first) as the charts first ask for it, a
   * series at a time between requests, so that opening the dashboard is served from
   * memory, as TensorBoard does by loading its logs at start. Stops after `maxPoints`
   * stored points or when the server closes.
   */
  async warm(maxPoints: number, pointsPerSeries: number, stopped: () => boolean): Promise<void> {
    const store = this.open();
    if (!store) return;
    const pairs = store.db
      .prepare('SELECT l.run_id, l.key, l.count FROM latest_metrics l JOIN runs r ON r.id = l.run_id ORDER BY r.start_time DESC, l.key')
      .raw()
      .all() as [string, string, number][];
    let budget = maxPoints;
    for (const [runId, key, count] of pairs) {
      if (stopped() || budget < count) return;
      budget -= count;
      // yield to requests between series
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped() || !store.db.open) return;
      this.reader?.read(runId, key, 'step', pointsPerSeries);
    }
  }

  /** Every point of a metric of a run, exactly as logged. */
  metricHistory(idOrPrefix: string, key: string) {
    return this.require(`run '${idOrPrefix}'`).getMetricHistory(idOrPrefix, key);
  }

  histograms(idOrPrefix: string, key?: string): HistogramRecord[] {
    return this.require(`run '${idOrPrefix}'`).getHistograms(this.runId(idOrPrefix), key);
  }

  records(idOrPrefix: string, kind?: string): RunRecord[] {
    return this.require(`run '${idOrPrefix}'`).getRecords(this.runId(idOrPrefix), kind);
  }

  /** The file of artifact `name` of a run (NotFoundError if the run never logged it, or it is gone). */
  artifactFile(idOrPrefix: string, name: string): string {
    const store = this.require(`run '${idOrPrefix}'`);
    const file = store.artifactFile(this.runId(idOrPrefix), name);
    if (!fs.existsSync(file)) throw new NotFoundError(`artifact '${name}' of run ${idOrPrefix} is listed but its file is missing`);
    return file;
  }

  /** The model picture of a run, from its architecture JSON and summary artifacts. */
  modelGraph(idOrPrefix: string): ModelGraph {
    const store = this.require(`run '${idOrPrefix}'`);
    const id = this.runId(idOrPrefix);
    const read = (name: string): string | undefined => {
      try {
        return store.readArtifact(id, name).toString('utf8');
      } catch (err) {
        if (err instanceof NotFoundError || (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    };
    const architectureText = read(ARCHITECTURE_ARTIFACT);
    const summaryText = read(SUMMARY_ARTIFACT);
    let architecture: unknown;
    try {
      architecture = architectureText === undefined ? undefined : JSON.parse(architectureText);
    } catch {
      architecture = undefined; // a damaged JSON: the summary alone still draws the model
    }
    const graph = buildModelGraph(parseArchitecture(architecture), summaryText === undefined ? undefined : parseSummary(summaryText));
    if (!graph) throw new NotFoundError(`run ${id} logged no model architecture (${ARCHITECTURE_ARTIFACT} or ${SUMMARY_ARTIFACT})`);
    return graph;
  }

  models(): RegisteredModel[] {
    const store = this.open();
    return store ? new ModelRegistry(store).listModels() : [];
  }

  model(name: string): { model: RegisteredModel; versions: ModelVersion[] } {
    const registry = new ModelRegistry(this.require(`registered model '${name}'`));
    return { model: registry.getModel(name), versions: registry.listVersions(name) };
  }

  /** What servers recorded for model `name` after `since` ms (empty if it was never served with tracking on). */
  serving(name: string, since = 0, maxPoints?: number): ServingSummary {
    const store = this.open();
    return summarizeServing(name, store ? readServingStats(store.db, name, since) : [], maxPoints);
  }

  // ---- the live feed's queries --------------------------------------------------------

  /** The id of the newest metric point (0 with no store). */
  lastMetricId(): number {
    return this.open()?.lastMetricId() ?? 0;
  }

  /** Metric points stored after `cursor`, oldest first, at most `limit`. */
  pointsAfter(cursor: number, limit: number): LivePoint[] {
    const store = this.open();
    if (!store) return [];
    return store.db
      .prepare('SELECT id, run_id, key, step, timestamp, value FROM metrics WHERE id > ? ORDER BY id LIMIT ?')
      .raw()
      .all(cursor, limit) as LivePoint[];
  }

  runStates(): RunState[] {
    const store = this.open();
    if (!store) return [];
    return store.db.prepare('SELECT id, status, end_time AS endTime, heartbeat FROM runs').all() as RunState[];
  }
}
