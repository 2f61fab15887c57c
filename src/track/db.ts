import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { lazyRequire } from '../lazy-require.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { StoreError } from './errors.js';

export type DB = Database.Database;

/** better-sqlite3, loaded when the first store is opened. */
const sqlite = lazyRequire<typeof Database>('better-sqlite3');

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

/** SQLite result codes that mean the file is not a usable database. */
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB']);

/**
 * Opens the store database at `file` for several processes at once: WAL journal (readers
 * never block the writer), a busy timeout (writers queue instead of failing) and
 * synchronous=NORMAL (durable at each checkpoint, a crash loses no committed row of the
 * WAL). Read-write opens create the file and migrate the schema to SCHEMA_VERSION;
 * read-only opens need an existing store of the current version.
 *
 * A file that is not a SQLite database, or a damaged one, throws a StoreError naming it.
 */
export function openDatabase(file: string, readonly: boolean): DB {
  if (readonly && !fs.existsSync(file)) {
    throw new StoreError(`no tracking store at '${file}': nothing has been tracked there yet`);
  }
  let db: DB | undefined;
  try {
    const Sqlite = sqlite();
    db = new Sqlite(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    // reading the schema is the first real access: a non-database file fails here
    const version = schemaVersion(db);
    if (readonly) checkReadable(file, version);
    else migrate(db, file);
    return db;
  } catch (err) {
    db?.close();
    throw storeError(err, file);
  }
}

/** Turns SQLite's errors at open ("file is not a database", ...) into messages that name the file. */
function storeError(err: unknown, file: string): unknown {
  if (err instanceof StoreError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CORRUPT_CODES.has(code)) {
    const reason = (err as Error).message;
    return new StoreError(
      `tracking store '${file}' is corrupted or not a Shendu store (${reason}); ` +
        `move it away to start a new store, or restore it from a backup`,
    );
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError(`cannot open tracking store '${file}': ${(err as Error).message} (check that its folder exists and is writable)`);
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return new StoreError(`cannot open tracking store '${file}': ${(err as Error).message}`);
  }
  return err;
}

function schemaVersion(db: DB): number {
  const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).get();
  if (!table) return 0;
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

function checkReadable(file: string, version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new StoreError(`tracking store '${file}' has schema version ${version}, newer than this Shendu reads (${SCHEMA_VERSION}); upgrade Shendu`);
  }
  if (version < SCHEMA_VERSION) {
    throw new StoreError(`tracking store '${file}' has schema version ${version}, older than ${SCHEMA_VERSION}; open it once read-write (e.g. 'shendu runs ls') to upgrade it`);
  }
}

/**
 * Applies the missing migrations in one write transaction. BEGIN IMMEDIATE takes the write
 * lock first, so two processes creating the store at once do not both run migration 0.
 */
function migrate(db: DB, file: string): void {
  const run = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) {
      throw new StoreError(`tracking store '${file}' has schema version ${version}, newer than this Shendu writes (${SCHEMA_VERSION}); upgrade Shendu`);
    }
    if (version === SCHEMA_VERSION) return;
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]);
    db.exec('DELETE FROM schema_version');
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
  });
  run.immediate();
}
