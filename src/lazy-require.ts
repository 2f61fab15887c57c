import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Dependencies of the platform parts (HTTP server, SQLite store, image and CSV decoders)
 * are loaded at first use rather than when Shendu is imported: a training script that
 * never serves, tracks or decodes images does not pay for them (together ~170 CommonJS
 * modules, ~11 MiB of RSS and ~0.4 s at import). `require` keeps the callers synchronous.
 *
 * ```ts
 * const sqlite = lazyRequire<typeof Database>('better-sqlite3');
 * const db = new (sqlite())(file); // better-sqlite3 is loaded here, once
 * ```
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
