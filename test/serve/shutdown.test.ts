/**
 * `shendu serve` in a child process: SIGTERM drains the requests in flight (each gets its
 * answer), then the process exits 0.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('serve: graceful shutdown', () => {
  it('answers every request in flight after SIGTERM, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--model', 'slow=test/serve/models.ts#slowAffine', '--port', '0', '--workers', '2', '--poll-interval', '0', '--label', 'slow:stable=1', '--split', 'slow=stable:1'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start:\n${log}`)), 30_000);
        child.stderr.on('data', (d: Buffer) => {
          log += d.toString();
          const m = /listening on (http:\/\/[^\s]+)/.exec(log);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once('exit', () => reject(new Error(`the server exited:\n${log}`)));
      });
      assert.match(log, /model slow version 1: AVAILABLE/);
      const labeled = await call(base, 'POST', '/v1/models/slow/labels/stable:predict', { instances: [[0, 0, 0, 0]] });
      assert.deepEqual([labeled.status, labeled.headers.get('x-model-version')], [200, '1']);
      assert.deepEqual((await call(base, 'GET', '/v1/admin/models/slow/stats')).body.split, [{ target: 'stable', weight: 1 }]);
      const inFlight = Array.from({ length: 6 }, () => call(base, 'POST', '/v1/models/slow:predict', { instances: [[1, 1, 1, 1]] }));
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      const replies = await Promise.all(inFlight);
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
      for (const r of replies) assert.deepEqual(r.body, { predictions: [[4, 5, 6]] });
      assert.equal(await exited, 0);
      assert.match(log, /SIGTERM: draining requests in flight/);
      await assert.rejects(fetch(`${base}/healthz`));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
