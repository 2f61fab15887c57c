/**
 * The tracking store: experiments, runs and what runs log, in one SQLite file
 * (`<home>/store.db`) with the artifacts as files beside it (`<home>/artifacts/<runId>/`).
 * Several processes may log to one store at once; a read-only store (the dashboard's)
 * never writes.
 *
 * ```ts
 * const store = sd.track.openStore({ readonly: true });
 * for (const run of store.searchRuns({ experiment: 'mnist', orderBy: ['metrics.val_loss'] })) {
 *   console.log(run.name, run.metrics.val_loss?.value);
 * }
 * ```
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ValueError } from '../errors.js';
import { openDatabase, type DB } from './db.js';
import { isProcessAlive, resolveHome } from './env.js';
import { NotFoundError, StoreError } from './errors.js';
import { compileFilter, compileOrderBy } from './search.js';
import { RunDataStore } from './run-data.js';
import {
  RUN_STATUSES,
  type Experiment,
  type MetricPoint,
  type MetricSummary,
  type RunInfo,
  type RunStatus,
  type SearchQuery,
} from './types.js';

export interface StoreOptions {
  /** The store folder; default $SHENDU_HOME, else ./.shendu. */
  home?: string;
  /** Open without writing anything (no migration, no stale-run sweep). */
  readonly?: boolean;
  /**
   * A RUNNING run of another host whose heartbeat is older than this is marked FAILED
   * when the store opens read-write (default 5 minutes). On this host a RUNNING run is
   * marked FAILED as soon as its process is gone.
   */
  staleAfterMs?: number;
}

export interface NewRun {
  experiment?: string;
  name?: string;
  tags?: Record<string, string>;
  source?: string;
  gitCommit?: string;
}

/** A metric point to store; NaN is kept (as NULL in SQLite). */
export interface MetricInput {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export const DEFAULT_EXPERIMENT = 'default';
const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

type RunRow = {
  id: string;
  name: string;
  experiment_id: number;
  experiment: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  heartbeat: number;
  source: string;
  git_commit: string | null;
  host: string;
  pid: number;
};

const RUN_SELECT = 'SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e ON e.id = r.experiment_id';

export class TrackingStore extends RunDataStore {
  readonly home: string;
  readonly file: string;
  readonly readonly: boolean;

  private constructor(home: string, db: DB, readonly: boolean) {
    super(db, path.join(home, 'artifacts'));
    this.home = home;
    this.file = path.join(home, 'store.db');
    this.readonly = readonly;
  }

  /** Opens (read-write: creates) the store; see StoreOptions. */
  static open(options: StoreOptions = {}): TrackingStore {
    const home = resolveHome(options.home);
    const readonly = options.readonly ?? false;
    if (!readonly) fs.mkdirSync(home, { recursive: true });
    const db = openDatabase(path.join(home, 'store.db'), readonly);
    const store = new TrackingStore(home, db, readonly);
    if (!readonly) store.markStaleRuns(options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
    return store;
  }

  close(): void {
    this.db.close();
  }

  // ---- experiments ------------------------------------------------------------------

  /** The experiment called `name`, created if it does not exist (read-write stores). */
  experiment(name: string = DEFAULT_EXPERIMENT): Experiment {
    if (typeof name !== 'string' || name.trim() === '') throw new ValueError(`experiment: name must be a non-empty string, got ${JSON.stringify(name)}`);
    if (!this.readonly) this.db.prepare('INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)').run(name, Date.now());
    return this.getExperiment(name);
  }

  /** The experiment with this name or id; NotFoundError if none. */
  getExperiment(nameOrId: string | number): Experiment {
    const where = typeof nameOrId === 'number' ? 'e.id = ?' : 'e.name = ?';
    const row = this.db
      .prepare(`SELECT e.id, e.name, e.created_at AS createdAt, (SELECT count(*) FROM runs WHERE experiment_id = e.id) AS runCount FROM experiments e WHERE ${where}`)
      .get(nameOrId) as Experiment | undefined;
    if (!row) throw new NotFoundError(`no experiment '${nameOrId}' in the store at ${this.home}`);
    return row;
  }

  listExperiments(): Experiment[] {
    return this.db
      .prepare(`SELECT e.id, e.name, e.created_at AS createdAt, (SELECT count(*) FROM runs WHERE experiment_id = e.id) AS runCount FROM experiments e ORDER BY e.id`)
      .all() as Experiment[];
  }

  // ---- runs -------------------------------------------------------------------------

  /** Creates a RUNNING run owned by this process and returns its id. */
  createRun(spec: NewRun = {}): string {
    this.checkWritable('createRun');
    const experiment = this.experiment(spec.experiment ?? DEFAULT_EXPERIMENT);
    const id = randomBytes(16).toString('hex');
    const now = Date.now();
    const insert = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO runs (id, experiment_id, name, status, start_time, heartbeat, source, git_commit, host, pid)
           VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, experiment.id, spec.name ?? `run-${id.slice(0, 8)}`, now, now, spec.source ?? '', spec.gitCommit ?? null, os.hostname(), process.pid);
      for (const [key, value] of Object.entries(spec.tags ?? {})) this.setTag(id, key, value);
    });
    insert.immediate();
    return id;
  }

  /** The run with this id (or unique id prefix), with its tags, params and last metrics. */
  getRun(idOrPrefix: string): RunInfo {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(this.resolveRunId(idOrPrefix)) as RunRow;
    return this.runInfo(row);
  }

  /** The full id of a run given its id or a unique prefix of it (at least 4 characters). */
  resolveRunId(idOrPrefix: string): string {
    if (typeof idOrPrefix !== 'string' || idOrPrefix === '') throw new NotFoundError(`no run with id ${JSON.stringify(idOrPrefix)}`);
    if (this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(idOrPrefix)) return idOrPrefix;
    if (idOrPrefix.length >= 4 && /^[0-9a-f]+$/.test(idOrPrefix)) {
      const ids = this.db.prepare(`SELECT id FROM runs WHERE id >= ? AND id < ? LIMIT 2`).pluck().all(idOrPrefix, idOrPrefix + 'g') as string[];
      if (ids.length === 1) return ids[0];
      if (ids.length > 1) throw new NotFoundError(`run id prefix '${idOrPrefix}' matches several runs; give more characters`);
    }
    throw new NotFoundError(`no run with id '${idOrPrefix}' in the store at ${this.home}`);
  }

  /** Runs matching a query, newest first unless `orderBy` says otherwise (see search.ts). */
  searchRuns(query: SearchQuery = {}): RunInfo[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.experiment !== undefined) {
      const names = Array.isArray(query.experiment) ? query.experiment : [query.experiment];
      where.push(`e.name IN (${names.map(() => '?').join(', ')})`);
      params.push(...names);
    }
    if (query.status !== undefined) {
      const statuses = Array.isArray(query.status) ? query.status : [query.status];
      for (const s of statuses) checkStatus('searchRuns', s);
      where.push(`r.status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (query.filter) {
      const filter = compileFilter(query.filter);
      where.push(`(${filter.sql})`);
      params.push(...filter.params);
    }
    const order = compileOrderBy(query.orderBy ?? []);
    params.push(...order.params);
    let sql = `${RUN_SELECT} WHERE ${where.length ? where.join(' AND ') : '1'} ORDER BY ${order.sql ? order.sql + ', ' : ''}r.start_time DESC, r.rowid DESC`;
    if (query.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(query.limit);
    }
    return (this.db.prepare(sql).all(...params) as RunRow[]).map((row) => this.runInfo(row));
  }

  /** Sets a run's status; any status but RUNNING also sets its end time. */
  setStatus(runId: string, status: RunStatus, endTime: number = Date.now()): void {
    this.checkWritable('setStatus');
    checkStatus('setStatus', status);
    const result = this.db
      .prepare('UPDATE runs SET status = ?, end_time = ?, heartbeat = ? WHERE id = ?')
      .run(status, status === 'RUNNING' ? null : endTime, Date.now(), runId);
    if (result.changes === 0) throw new NotFoundError(`no run with id '${runId}' in the store at ${this.home}`);
  }

  /** Records that a RUNNING run is still alive. */
  heartbeat(runId: string, now: number = Date.now()): void {
    this.db.prepare(`UPDATE runs SET heartbeat = ? WHERE id = ? AND status = 'RUNNING'`).run(now, runId);
  }

  /**
   * Marks FAILED the RUNNING runs that died without ending: on this host, those whose
   * process is gone; elsewhere, those silent for more than `staleAfterMs`. Their metrics
   * and artifacts so far stay. Returns the ids marked.
   */
  markStaleRuns(staleAfterMs: number = DEFAULT_STALE_AFTER_MS): string[] {
    this.checkWritable('markStaleRuns');
    const host = os.hostname();
    const now = Date.now();
    const running = this.db.prepare(`SELECT id, host, pid, heartbeat FROM runs WHERE status = 'RUNNING'`).all() as Pick<RunRow, 'id' | 'host' | 'pid' | 'heartbeat'>[];
    const dead = running.filter((r) => (r.host === host ? r.pid !== process.pid && !isProcessAlive(r.pid) : now - r.heartbeat > staleAfterMs));
    const mark = this.db.prepare(`UPDATE runs SET status = 'FAILED', end_time = heartbeat WHERE id = ? AND status = 'RUNNING'`);
    for (const run of dead) mark.run(run.id);
    return dead.map((r) => r.id);
  }

  /** Deletes a run: its rows and its artifact folder. */
  deleteRun(idOrPrefix: string): void {
    this.checkWritable('deleteRun');
    const id = this.resolveRunId(idOrPrefix);
    const remove = this.db.transaction(() => {
      for (const table of ['tags', 'params', 'metrics', 'latest_metrics', 'artifacts', 'histograms', 'records']) {
        this.db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(id);
      }
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    });
    remove.immediate();
    fs.rmSync(this.runArtifactDir(id), { recursive: true, force: true });
  }

  // ---- tags and params --------------------------------------------------------------

  setTag(runId: string, key: string, value: string): void {
    this.checkWritable('setTag');
    checkKey('setTag', key);
    this.db.prepare('INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value').run(runId, key, String(value));
  }

  /**
   * Logs params. A param is immutable: logging a key again with the same value is fine, with
   * another value throws a ValueError (and logs none of `params`).
   */
  logParams(runId: string, params: Record<string, unknown>): void {
    this.checkWritable('logParams');
    const insert = this.db.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO NOTHING');
    const existing = this.db.prepare('SELECT value FROM params WHERE run_id = ? AND key = ?').pluck();
    const log = this.db.transaction(() => {
      for (const [key, raw] of Object.entries(params)) {
        checkKey('logParam', key);
        const value = paramString(raw);
        if (insert.run(runId, key, value).changes === 0) {
          const old = existing.get(runId, key) as string;
          if (old !== value) {
            throw new ValueError(`logParam: param '${key}' of run ${runId} is '${old}' and cannot change to '${value}' (params are immutable; use another key or a new run)`);
          }
        }
      }
    });
    log.immediate();
  }

  // ---- metrics ----------------------------------------------------------------------

  /** Appends metric points, all in one transaction. */
  logMetrics(runId: string, points: readonly MetricInput[]): void {
    this.checkWritable('logMetrics');
    const insert = this.db.prepare('INSERT INTO metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?)');
    const latest = this.db.prepare(
      `INSERT INTO latest_metrics (run_id, key, value, step, timestamp, min_value, max_value, count)
       VALUES (@runId, @key, @value, @step, @timestamp, @value, @value, 1)
       ON CONFLICT (run_id, key) DO UPDATE SET
         value = CASE WHEN excluded.step >= step THEN excluded.value ELSE value END,
         timestamp = CASE WHEN excluded.step >= step THEN excluded.timestamp ELSE timestamp END,
         step = max(step, excluded.step),
         min_value = coalesce(min(min_value, excluded.min_value), min_value, excluded.min_value),
         max_value = coalesce(max(max_value, excluded.max_value), max_value, excluded.max_value),
         count = count + 1`,
    );
    for (const p of points) {
      checkKey('logMetric', p.key);
      if (typeof p.value !== 'number') throw new ValueError(`logMetric: value of '${p.key}' must be a number, got ${typeof p.value}`);
      if (!Number.isInteger(p.step)) throw new ValueError(`logMetric: step of '${p.key}' must be an integer, got ${p.step}`);
    }
    const log = this.db.transaction(() => {
      for (const p of points) {
        const value = Number.isNaN(p.value) ? null : p.value;
        insert.run(runId, p.key, value, p.step, p.timestamp);
        latest.run({ runId, key: p.key, value, step: p.step, timestamp: p.timestamp });
      }
    });
    log.immediate();
  }

  /** Every point of one metric of a run, by step (then time); `afterId` for new points only. */
  getMetricHistory(runId: string, key: string, options: { afterId?: number } = {}): MetricPoint[] {
    const rows = this.db
      .prepare('SELECT id, key, value, step, timestamp FROM metrics WHERE run_id = ? AND key = ? AND id > ? ORDER BY step, timestamp, id')
      .all(this.resolveRunId(runId), key, options.afterId ?? 0) as MetricPoint[];
    return rows.map(nanForNull);
  }

  /** Every point of every metric of a run logged after point `afterId`, in the order stored. */
  metricsSince(runId: string, afterId = 0): MetricPoint[] {
    const rows = this.db
      .prepare('SELECT id, key, value, step, timestamp FROM metrics WHERE run_id = ? AND id > ? ORDER BY id')
      .all(runId, afterId) as MetricPoint[];
    return rows.map(nanForNull);
  }

  /** The id of the newest metric point in the store (0 if none): a cursor for metricsSince. */
  lastMetricId(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) FROM metrics').pluck().get() as number) ?? 0;
  }

  private runInfo(row: RunRow): RunInfo {
    const pairs = (table: string) =>
      Object.fromEntries((this.db.prepare(`SELECT key, value FROM ${table} WHERE run_id = ? ORDER BY key`).raw().all(row.id) as [string, string][]));
    const metrics: Record<string, MetricSummary> = {};
    const latest = this.db
      .prepare('SELECT key, value, step, timestamp, min_value AS min, max_value AS max, count FROM latest_metrics WHERE run_id = ? ORDER BY key')
      .all(row.id) as (MetricSummary & { key: string })[];
    for (const { key, ...summary } of latest) {
      metrics[key] = { ...summary, value: summary.value ?? NaN, min: summary.min ?? NaN, max: summary.max ?? NaN };
    }
    return {
      id: row.id,
      name: row.name,
      experimentId: row.experiment_id,
      experiment: row.experiment,
      status: row.status,
      startTime: row.start_time,
      endTime: row.end_time,
      heartbeat: row.heartbeat,
      source: row.source,
      gitCommit: row.git_commit,
      host: row.host,
      pid: row.pid,
      tags: pairs('tags'),
      params: pairs('params'),
      metrics,
    };
  }

  protected override checkWritable(op: string): void {
    if (this.readonly) throw new StoreError(`${op}: the store at ${this.home} is open read-only`);
  }
}

function nanForNull(p: MetricPoint): MetricPoint {
  return p.value === null ? { ...p, value: NaN } : p;
}

function checkStatus(op: string, status: string): void {
  if (!RUN_STATUSES.includes(status as RunStatus)) throw new ValueError(`${op}: status must be one of ${RUN_STATUSES.join(', ')}, got '${status}'`);
}

function checkKey(op: string, key: string): void {
  if (typeof key !== 'string' || key === '' || key.length > 250) throw new ValueError(`${op}: key must be a non-empty string of at most 250 characters, got ${JSON.stringify(key)}`);
}

/** A param as stored: strings as they are, anything else as JSON (numbers as JS prints them). */
function paramString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
