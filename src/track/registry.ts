/**
 * The model registry (`sd.registry`): named models with numbered versions, aliases and
 * tags, in the tracking store. A version is an immutable copy of a model file, taken from
 * a run's model artifact or from a path, kept under `<home>/registry/<name>/<version>/`.
 * An alias (`champion`, `canary`, any name) points at one version; moving it is one update.
 *
 * ```ts
 * const v = sd.registry.register(run.id, 'mnist');        // version 1, 2, ...
 * sd.registry.setAlias('mnist', 'champion', v.version);
 * const file = sd.registry.resolveModelUri('models:/mnist@champion');
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { ValueError } from '../errors.js';
import { defaultStore } from './api.js';
import { NotFoundError } from './errors.js';
import { copyFile } from './run-data.js';
import { registerUriResolver } from '../io/uri.js';
import type { TrackingStore } from './store.js';

export interface ModelVersion {
  name: string;
  version: number;
  /** Where it came from: `runs:/<runId>/<artifact>` or the original file path. */
  source: string;
  runId: string | null;
  /** The registry's copy of the model file (absolute path). */
  file: string;
  description: string;
  createdAt: number;
  aliases: string[];
  tags: Record<string, string>;
}

export interface RegisteredModel {
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  latestVersion: number | null;
  /** alias → version */
  aliases: Record<string, number>;
  tags: Record<string, string>;
}

export interface RegisterOptions {
  description?: string;
  tags?: Record<string, string>;
}

type VersionRow = { name: string; version: number; source: string; run_id: string | null; path: string; description: string; created_at: number };

const NAME = /^[A-Za-z0-9_][\w.-]{0,127}$/;
const ALIAS = /^[A-Za-z_][\w-]{0,63}$/;

export class ModelRegistry {
  constructor(readonly store: TrackingStore) {}

  private get db() {
    return this.store.db;
  }

  /** The folder holding the registry's model files. */
  get dir(): string {
    return path.join(this.store.home, 'registry');
  }

  /**
   * Registers a new version of model `name` (created if new) from a run's model artifact
   * (`source` a run id, id prefix or `runs:/<id>/<artifact>`) or from a model file path.
   */
  register(source: string, name: string, options: RegisterOptions = {}): ModelVersion {
    checkName('register', name);
    const origin = this.findSource(source);
    const now = Date.now();
    const add = this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO registered_models (name, created_at, updated_at) VALUES (?, ?, ?)').run(name, now, now);
      const version = (this.db.prepare('SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE name = ?').pluck().get(name) as number);
      const rel = path.posix.join(name, String(version), path.basename(origin.file));
      this.db
        .prepare('INSERT INTO model_versions (name, version, source, run_id, path, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(name, version, origin.source, origin.runId, rel, options.description ?? '', now);
      this.db.prepare('UPDATE registered_models SET updated_at = ? WHERE name = ?').run(now, name);
      for (const [key, value] of Object.entries(options.tags ?? {})) this.setTag(name, key, value, version);
      return { version, rel };
    });
    const { version, rel } = add.immediate();
    const target = path.join(this.dir, rel);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      copyFile(origin.file, target);
    } catch (err) {
      this.db.prepare('DELETE FROM model_versions WHERE name = ? AND version = ?').run(name, version);
      throw err;
    }
    return this.getVersion(name, version);
  }

  /** A version by number, by alias, or 'latest'. */
  getVersion(name: string, versionOrAlias: number | string = 'latest'): ModelVersion {
    const version = this.versionNumber(name, versionOrAlias);
    const row = this.db.prepare('SELECT * FROM model_versions WHERE name = ? AND version = ?').get(name, version) as VersionRow | undefined;
    if (!row) throw new NotFoundError(`model '${name}' has no version ${version}`);
    return this.versionInfo(row);
  }

  /** Every version of a model, oldest first. */
  listVersions(name: string): ModelVersion[] {
    this.getModel(name);
    return (this.db.prepare('SELECT * FROM model_versions WHERE name = ? ORDER BY version').all(name) as VersionRow[]).map((r) => this.versionInfo(r));
  }

  /** Points `alias` of model `name` at `version` (moving it if it pointed elsewhere). */
  setAlias(name: string, alias: string, version: number | string): void {
    if (!ALIAS.test(alias) || alias === 'latest') {
      throw new ValueError(`setAlias: alias must start with a letter or '_' and hold only letters, digits, '_' and '-' (and not be 'latest'), got '${alias}'`);
    }
    const number = typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : version;
    const target = this.getVersion(name, number).version;
    this.db
      .prepare('INSERT INTO model_aliases (name, alias, version) VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version')
      .run(name, alias, target);
    this.db.prepare('UPDATE registered_models SET updated_at = ? WHERE name = ?').run(Date.now(), name);
  }

  deleteAlias(name: string, alias: string): void {
    if (this.db.prepare('DELETE FROM model_aliases WHERE name = ? AND alias = ?').run(name, alias).changes === 0) {
      throw new NotFoundError(`model '${name}' has no alias '${alias}'`);
    }
  }

  /** Sets a tag of a model, or of one of its versions. */
  setTag(name: string, key: string, value: string, version?: number): void {
    this.getModel(name);
    if (version !== undefined) this.getVersion(name, version);
    this.db
      .prepare('INSERT INTO model_tags (name, version, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value')
      .run(name, version ?? 0, key, String(value));
  }

  listModels(): RegisteredModel[] {
    const names = this.db.prepare('SELECT name FROM registered_models ORDER BY name').pluck().all() as string[];
    return names.map((n) => this.getModel(n));
  }

  getModel(name: string): RegisteredModel {
    const row = this.db.prepare('SELECT name, description, created_at, updated_at FROM registered_models WHERE name = ?').get(name) as
      | { name: string; description: string; created_at: number; updated_at: number }
      | undefined;
    if (!row) throw new NotFoundError(`no registered model '${name}' in the store at ${this.store.home}`);
    const aliases = this.db.prepare('SELECT alias, version FROM model_aliases WHERE name = ? ORDER BY alias').raw().all(name) as [string, number][];
    return {
      name: row.name,
      description: row.description,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      latestVersion: this.db.prepare('SELECT max(version) FROM model_versions WHERE name = ?').pluck().get(name) as number | null,
      aliases: Object.fromEntries(aliases),
      tags: this.tags(name, 0),
    };
  }

  /**
   * The model file a URI names: `models:/<name>/<version>`, `models:/<name>@<alias>`,
   * `models:/<name>` or `models:/<name>/latest` (the newest version), or
   * `runs:/<runId>/<artifact path>`.
   */
  resolveModelUri(uri: string): string {
    const model = /^models:\/([^/@]+)(?:\/(\d+|latest)|@([^/]+))?\/?$/.exec(uri);
    if (model) {
      const [, name, version, alias] = model;
      return this.getVersion(name, alias ?? (version === undefined || version === 'latest' ? 'latest' : Number(version))).file;
    }
    const run = /^runs:\/([^/]+)\/(.+)$/.exec(uri);
    if (run) {
      const id = this.store.resolveRunId(run[1]);
      return this.store.artifactFile(id, run[2]);
    }
    throw new ValueError(`resolveModelUri: '${uri}' is not a model URI; use models:/<name>/<version>, models:/<name>@<alias> or runs:/<runId>/<path>`);
  }

  private versionNumber(name: string, versionOrAlias: number | string): number {
    this.getModel(name);
    if (typeof versionOrAlias === 'number') {
      if (!Number.isInteger(versionOrAlias) || versionOrAlias < 1) throw new ValueError(`getVersion: version must be a positive integer, got ${versionOrAlias}`);
      return versionOrAlias;
    }
    if (versionOrAlias === 'latest') {
      const latest = this.db.prepare('SELECT max(version) FROM model_versions WHERE name = ?').pluck().get(name) as number | null;
      if (latest === null) throw new NotFoundError(`model '${name}' has no versions`);
      return latest;
    }
    if (/^\d+$/.test(versionOrAlias)) return Number(versionOrAlias);
    const version = this.db.prepare('SELECT version FROM model_aliases WHERE name = ? AND alias = ?').pluck().get(name, versionOrAlias) as number | undefined;
    if (version === undefined) throw new NotFoundError(`model '${name}' has no alias '${versionOrAlias}'`);
    return version;
  }

  private findSource(source: string): { file: string; source: string; runId: string | null } {
    const uri = /^runs:\/([^/]+)\/(.+)$/.exec(source);
    if (uri) {
      const runId = this.store.resolveRunId(uri[1]);
      return { file: this.store.artifactFile(runId, uri[2]), source: `runs:/${runId}/${uri[2]}`, runId };
    }
    if (fs.existsSync(source) && fs.statSync(source).isFile()) return { file: path.resolve(source), source: path.resolve(source), runId: null };
    let runId: string;
    try {
      runId = this.store.resolveRunId(source);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`register: '${source}' is neither a model file nor a run id in the store at ${this.store.home}`);
      throw err;
    }
    const artifact = this.db
      .prepare(`SELECT path FROM artifacts WHERE run_id = ? AND kind = 'model' ORDER BY created_at DESC, path LIMIT 1`)
      .pluck()
      .get(runId) as string | undefined;
    if (!artifact) throw new NotFoundError(`register: run ${runId} has no model artifact; log one with run.logModel(model or path)`);
    return { file: this.store.artifactFile(runId, artifact), source: `runs:/${runId}/${artifact}`, runId };
  }

  private versionInfo(row: VersionRow): ModelVersion {
    const aliases = this.db.prepare('SELECT alias FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias').pluck().all(row.name, row.version) as string[];
    return {
      name: row.name,
      version: row.version,
      source: row.source,
      runId: row.run_id,
      file: path.join(this.dir, row.path),
      description: row.description,
      createdAt: row.created_at,
      aliases,
      tags: this.tags(row.name, row.version),
    };
  }

  private tags(name: string, version: number): Record<string, string> {
    return Object.fromEntries(this.db.prepare('SELECT key, value FROM model_tags WHERE name = ? AND version = ? ORDER BY key').raw().all(name, version) as [string, string][]);
  }
}

function checkName(op: string, name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValueError(`${op}: model name must start with a letter, digit or '_' and hold only letters, digits, '_', '-' and '.', got ${JSON.stringify(name)}`);
  }
}

// ---- the module-level API on the default store ------------------------------------------

function registry(): ModelRegistry {
  return new ModelRegistry(defaultStore());
}

/** Registers a new version of `name` from a run id or a model file path (default store). */
export function register(source: string, name: string, options?: RegisterOptions): ModelVersion {
  return registry().register(source, name, options);
}

/** A version of a registered model by number, alias, or 'latest'. */
export function getVersion(name: string, versionOrAlias?: number | string): ModelVersion {
  return registry().getVersion(name, versionOrAlias);
}

export function setAlias(name: string, alias: string, version: number | string): void {
  registry().setAlias(name, alias, version);
}

export function listModels(): RegisteredModel[] {
  return registry().listModels();
}

export function getModel(name: string): RegisteredModel {
  return registry().getModel(name);
}

/** The model file of `models:/name@alias`, `models:/name/3` or `runs:/<id>/<path>`. */
export function resolveModelUri(uri: string): string {
  return registry().resolveModelUri(uri);
}

// sd.loadModel('models:/name@alias') and ('runs:/<id>/<path>') resolve through the registry.
registerUriResolver('models', resolveModelUri);
registerUriResolver('runs', resolveModelUri);
