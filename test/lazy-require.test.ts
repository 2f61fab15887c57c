import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lazyRequire } from '../src/lazy-require.js';

const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** The packages of the platform parts, which a training script should not load. */
const PLATFORM_PACKAGES = ['fastify', 'better-sqlite3', 'pngjs', 'jpeg-js', 'csv-parse'];

describe('lazyRequire', () => {
  it('loads the module at the first call, once', () => {
    const load = lazyRequire<typeof import('node:path')>('node:path');
    assert.equal(load(), load());
    assert.equal(typeof load().join, 'function');
  });

  it('importing Shendu loads none of the platform packages', () => {
    // a resolve hook lists every ESM import and require.cache the CommonJS modules
    const dir = mkdtempSync(join(tmpdir(), 'shendu-lazy-'));
    const log = join(dir, 'resolved.txt');
    const hook = `
      import { appendFileSync } from 'node:fs';
      export async function resolve(specifier, context, next) {
        const resolved = await next(specifier, context);
        appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
        return resolved;
      }`;
    const script = `
      const { createRequire, register } = await import('node:module');
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      await import(${JSON.stringify(pathToFileURL(INDEX).href)});
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    try {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      const required = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
      const imported = readFileSync(log, 'utf8').split('\n').map((url) => decodeURIComponent(url));
      assert.ok(imported.some((url) => url.endsWith('/src/ops/index.ts')), 'the hook saw the imports');
      for (const name of PLATFORM_PACKAGES) {
        const loaded = [...required, ...imported].filter((p) => p.includes(`/node_modules/${name}/`));
        assert.deepEqual(loaded, [], `${name} is loaded by import`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
