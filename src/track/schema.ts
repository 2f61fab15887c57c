/**
 * The store's schema, as a list of migrations. Migration i takes a store from schema
 * version i to i + 1; `schema_version` holds the version a store is at. A new column or
 * table is a new migration appended here, never an edit of an old one, so stores written
 * by older versions upgrade in place when opened read-write.
 *
 * Times are milliseconds since the Unix epoch. A metric value NaN is stored as NULL
 * (SQLite has no NaN); ±Infinity is stored as is.
 */
export const MIGRATIONS: readonly string[] = [
  // 0 → 1: tracking (experiments, runs and what runs log) and the model registry
  `
  CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER,
    heartbeat INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    git_commit TEXT,
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_by_experiment ON runs(experiment_id, start_time);
  CREATE INDEX runs_by_status ON runs(status);
  CREATE TABLE tags (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  );
  CREATE TABLE params (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  );
  CREATE TABLE metrics (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value REAL,
    step INTEGER NOT NULL,
    timestamp INTEGER NOT NULL
  );
  CREATE INDEX metrics_by_run_key ON metrics(run_id, key, step);
  CREATE TABLE latest_metrics (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value REAL,
    step INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    min_value REAL,
    max_value REAL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run_id, key)
  );
  CREATE TABLE artifacts (
    run_id TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, path)
  );
  CREATE TABLE histograms (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    step INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    count INTEGER NOT NULL,
    edges TEXT NOT NULL,
    counts TEXT NOT NULL
  );
  CREATE INDEX histograms_by_run_key ON histograms(run_id, key, step);
  CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    step INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX records_by_run_kind ON records(run_id, kind, step);

  CREATE TABLE registered_models (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE model_versions (
    name TEXT NOT NULL REFERENCES registered_models(name),
    version INTEGER NOT NULL,
    source TEXT NOT NULL,
    run_id TEXT,
    path TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name, version)
  );
  CREATE TABLE model_aliases (
    name TEXT NOT NULL,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (name, alias)
  );
  -- version 0 holds the tags of the registered model itself
  CREATE TABLE model_tags (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, version, key)
  );
  `,
  // 1 → 2: what model servers answered, per model and version, appended every few seconds
  // (see serving.ts). Counts and the latency histogram cover the interval ending at `timestamp`.
  `
  CREATE TABLE serving_stats (
    id INTEGER PRIMARY KEY,
    server TEXT NOT NULL,
    model TEXT NOT NULL,
    version INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    interval_ms INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    p50_ms REAL,
    p95_ms REAL,
    p99_ms REAL,
    latency_buckets TEXT NOT NULL,
    weight REAL,
    labels TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX serving_stats_by_model ON serving_stats(model, timestamp);
  `,
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;
