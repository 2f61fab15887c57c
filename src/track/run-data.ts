/**
 * What runs log beside metrics: artifacts (files under `<home>/artifacts/<runId>/`, listed
 * in the database), histograms (of weights and gradients, one row per key and step) and
 * records (structured data such as confusion matrices and sample images, as JSON).
 * TrackingStore extends this class; it is split out only to keep each file readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { checkArtifactName } from './env.js';
import { NotFoundError } from './errors.js';
import type { DB } from './db.js';
import type { Histogram } from './histogram.js';
import type { ArtifactInfo, HistogramRecord, RunRecord } from './types.js';

export abstract class RunDataStore {
  protected constructor(
    /** The open database; for queries this class does not offer. */
    readonly db: DB,
    /** `<home>/artifacts`: one folder per run. */
    readonly artifactsDir: string,
  ) {}

  protected abstract checkWritable(op: string): void;

  /** The folder holding the artifacts of run `runId`. */
  runArtifactDir(runId: string): string {
    return path.join(this.artifactsDir, runId);
  }

  // ---- artifacts --------------------------------------------------------------------

  /** Writes `data` as artifact `name` of a run (replacing an artifact of that name). */
  writeArtifact(runId: string, name: string, data: string | Uint8Array, kind = 'file'): ArtifactInfo {
    this.checkWritable('logArtifact');
    const rel = checkArtifactName('logArtifact', name);
    const file = path.join(this.runArtifactDir(runId), rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    writeFileAtomic(file, [bytes]);
    return this.recordArtifact(runId, rel, kind, bytes.length);
  }

  /**
   * Copies a file, or a folder with everything in it, into a run's artifacts, as `name`
   * (default: the source's base name).
   */
  copyArtifact(runId: string, source: string, name: string = path.basename(source), kind = 'file'): ArtifactInfo[] {
    this.checkWritable('logArtifact');
    const rel = checkArtifactName('logArtifact', name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(source);
    } catch {
      throw new NotFoundError(`logArtifact: no file or folder '${source}'`);
    }
    if (stat.isDirectory()) {
      return fs.readdirSync(source).flatMap((entry) => this.copyArtifact(runId, path.join(source, entry), `${rel}/${entry}`, kind));
    }
    const target = path.join(this.runArtifactDir(runId), rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    copyFile(source, target);
    return [this.recordArtifact(runId, rel, kind, stat.size)];
  }

  /** The artifacts of a run, by path. */
  listArtifacts(runId: string): ArtifactInfo[] {
    return this.db
      .prepare('SELECT path, kind, size, created_at AS createdAt FROM artifacts WHERE run_id = ? ORDER BY path')
      .all(runId) as ArtifactInfo[];
  }

  /** The absolute path of artifact `name` of a run; NotFoundError if it was never logged. */
  artifactFile(runId: string, name: string): string {
    const rel = checkArtifactName('artifactFile', name);
    if (!this.db.prepare('SELECT 1 FROM artifacts WHERE run_id = ? AND path = ?').get(runId, rel)) {
      throw new NotFoundError(`run ${runId} has no artifact '${name}'`);
    }
    return path.join(this.runArtifactDir(runId), rel);
  }

  /** The bytes of artifact `name` of a run. */
  readArtifact(runId: string, name: string): Buffer {
    return fs.readFileSync(this.artifactFile(runId, name));
  }

  private recordArtifact(runId: string, rel: string, kind: string, size: number): ArtifactInfo {
    const createdAt = Date.now();
    this.db
      .prepare(
        `INSERT INTO artifacts (run_id, path, kind, size, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, path) DO UPDATE SET kind = excluded.kind, size = excluded.size, created_at = excluded.created_at`,
      )
      .run(runId, rel, kind, size, createdAt);
    return { path: rel, kind, size, createdAt };
  }

  // ---- histograms -------------------------------------------------------------------

  logHistogram(runId: string, key: string, step: number, hist: Histogram, timestamp: number = Date.now()): void {
    this.checkWritable('logHistogram');
    this.db
      .prepare('INSERT INTO histograms (run_id, key, step, timestamp, min, max, count, edges, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(runId, key, step, timestamp, hist.min, hist.max, hist.count, JSON.stringify(hist.edges), JSON.stringify(hist.counts));
  }

  /** The histograms of a run (of one key, or all), by key then step. */
  getHistograms(runId: string, key?: string): HistogramRecord[] {
    const rows = this.db
      .prepare(
        `SELECT key, step, timestamp, min, max, count, edges, counts FROM histograms
         WHERE run_id = @runId AND (@key IS NULL OR key = @key) ORDER BY key, step, id`,
      )
      .all({ runId, key: key ?? null }) as (Omit<HistogramRecord, 'edges' | 'counts'> & { edges: string; counts: string })[];
    return rows.map((r) => ({ ...r, edges: JSON.parse(r.edges) as number[], counts: JSON.parse(r.counts) as number[] }));
  }

  /** The keys a run logged histograms under. */
  histogramKeys(runId: string): string[] {
    return this.db.prepare('SELECT DISTINCT key FROM histograms WHERE run_id = ? ORDER BY key').pluck().all(runId) as string[];
  }

  // ---- records ----------------------------------------------------------------------

  /** Stores structured data of a run as JSON (kinds: 'confusion_matrix', 'images', ...). */
  logRecord(runId: string, kind: string, key: string, step: number, data: unknown, timestamp: number = Date.now()): void {
    this.checkWritable('logRecord');
    this.db
      .prepare('INSERT INTO records (run_id, kind, key, step, timestamp, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(runId, kind, key, step, timestamp, JSON.stringify(data));
  }

  /** The records of a run, of one kind or all, in the order logged. */
  getRecords<T = unknown>(runId: string, kind?: string): RunRecord<T>[] {
    const rows = this.db
      .prepare('SELECT id, kind, key, step, timestamp, data FROM records WHERE run_id = @runId AND (@kind IS NULL OR kind = @kind) ORDER BY id')
      .all({ runId, kind: kind ?? null }) as (Omit<RunRecord, 'data'> & { data: string })[];
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as T }));
  }
}

/**
 * Copies `source` to `target`, as a copy-on-write clone where the file system supports it
 * (no second copy of a large model on disk). Never a hard link: a later in-place write to
 * the source must not change a logged artifact.
 */
export function copyFile(source: string, target: string): void {
  if (path.resolve(source) === path.resolve(target)) return;
  fs.copyFileSync(source, target, fs.constants.COPYFILE_FICLONE);
}
