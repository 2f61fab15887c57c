/**
 * Hot reload under load: while a bounded loop of requests runs, a new version appears (in
 * a TF Serving model folder, or in the registry), is loaded and warmed up, the label moves
 * to it, and the old version goes away. No request may fail.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, type ModelServer } from '../../src/serve/index.js';
import { TrackingStore } from '../../src/track/store.js';
import { ModelRegistry } from '../../src/track/registry.js';
import { call, saveSmallModel, tempDir, type Reply } from './helpers.js';

const BODY = { instances: [[[0.5, -1], [2, 0.25]]] };

/** Sends requests from `clients` loops until `stop()` (or `limit` requests), keeping every reply. */
function loadLoop(base: string, paths: string[], clients = 6, limit = 4000) {
  const replies: { path: string; reply: Reply }[] = [];
  let stopped = false;
  let sent = 0;
  const done = Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (!stopped && sent < limit) {
        const p = paths[c % paths.length];
        sent++;
        replies.push({ path: p, reply: await call(base, 'POST', p, BODY) });
      }
    }),
  );
  return {
    replies,
    stop: async () => {
      stopped = true;
      await done;
      return replies;
    },
  };
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function versionState(base: string, name: string, version: number): Promise<string | undefined> {
  const r = await call(base, 'GET', `/v1/models/${name}`);
  return r.body?.model_version_status?.find((s: { version: string }) => s.version === String(version))?.state;
}

function assertAllOk(replies: { path: string; reply: Reply }[]): void {
  const failed = replies.filter((r) => r.reply.status !== 200);
  assert.equal(failed.length, 0, `${failed.length} of ${replies.length} requests failed, e.g. ${failed[0]?.path} → ${failed[0]?.reply.status} ${failed[0]?.reply.text}`);
}

describe('serve: hot reload under load', () => {
  it('loads a version that appears in the model folder, moves the label, unloads the old one: no request fails', async () => {
    const root = tempDir();
    saveSmallModel(path.join(root, 'clf', '1', 'model.safetensors'), 1);
    let server: ModelServer | undefined;
    try {
      server = await startServer({ port: 0, workers: 1, modelBasePath: root, pollIntervalMs: 30, labels: { clf: { stable: 1 } }, batching: { enabled: true, batchTimeoutMicros: 500 } });
      const base = server.url;
      const loop = loadLoop(base, ['/v1/models/clf:predict', '/v1/models/clf/labels/stable:predict']);
      await until('some traffic', async () => loop.replies.length > 50);

      // A new version arrives the way TF Serving expects: written aside, then moved in.
      const staging = path.join(root, '.staging-2');
      saveSmallModel(path.join(staging, 'model.safetensors'), 2);
      fs.renameSync(staging, path.join(root, 'clf', '2'));
      await until('version 2 available', async () => (await versionState(base, 'clf', 2)) === 'AVAILABLE');
      const moved = await call(base, 'POST', '/v1/admin/models/clf/labels/stable', { version: 2 });
      assert.equal(moved.body.state, 'ACTIVE');
      const afterMove = loop.replies.length;
      await until('traffic on the new label', async () => loop.replies.length > afterMove + 50);

      fs.rmSync(path.join(root, 'clf', '1'), { recursive: true });
      await until('version 1 unloaded', async () => (await versionState(base, 'clf', 1)) === 'END');
      const afterUnload = loop.replies.length;
      await until('traffic after the unload', async () => loop.replies.length > afterUnload + 50);
      const replies = await loop.stop();

      assertAllOk(replies);
      const versions = (from: number, to: number, p: string) => new Set(replies.slice(from, to).filter((r) => r.path.endsWith(p)).map((r) => r.reply.headers.get('x-model-version')));
      assert.ok(versions(0, 50, 'clf:predict').has('1'), 'version 1 served before the reload');
      assert.deepEqual(versions(afterMove + 10, replies.length, 'stable:predict'), new Set(['2']));
      assert.deepEqual(versions(afterUnload + 10, replies.length, 'clf:predict'), new Set(['2']));
      const p1 = replies.find((r) => r.reply.headers.get('x-model-version') === '1')?.reply.body.predictions;
      const p2 = replies.find((r) => r.reply.headers.get('x-model-version') === '2')?.reply.body.predictions;
      assert.notDeepEqual(p1, p2, 'the two versions have different weights');
    } finally {
      await server?.stop();
    }
  });

  it('reloads a model file that is rewritten, swapping copies without a failed request; a corrupt rewrite leaves the old copy serving', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'clf.safetensors');
    saveSmallModel(file, 1);
    let server: ModelServer | undefined;
    try {
      server = await startServer({ port: 0, workers: 1, models: [{ name: 'clf', path: file }], pollIntervalMs: 30 });
      const base = server.url;
      const first = (await call(base, 'POST', '/v1/models/clf:predict', BODY)).body.predictions;
      const loop = loadLoop(base, ['/v1/models/clf:predict', '/v1/models/clf/versions/1:predict']);
      await until('some traffic', async () => loop.replies.length > 50);
      saveSmallModel(file, 2); // written aside and renamed into place
      await until('the new weights', async () => JSON.stringify((await call(base, 'POST', '/v1/models/clf:predict', BODY)).body.predictions) !== JSON.stringify(first));
      const second = (await call(base, 'POST', '/v1/models/clf:predict', BODY)).body.predictions;
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, 'not a model');
      fs.renameSync(tmp, file);
      await new Promise((r) => setTimeout(r, 300));
      const replies = await loop.stop();
      assertAllOk(replies);
      assert.deepEqual((await call(base, 'POST', '/v1/models/clf:predict', BODY)).body.predictions, second);
      assert.equal((await call(base, 'GET', '/v1/models/clf')).body.model_version_status[0].state, 'AVAILABLE');
    } finally {
      await server?.stop();
    }
  });

  it('follows the registry: a new version and its alias, taking traffic only once loaded; no request fails', async () => {
    const home = tempDir('shendu-serve-registry-');
    const files = tempDir();
    const store = TrackingStore.open({ home });
    const registry = new ModelRegistry(store);
    let server: ModelServer | undefined;
    try {
      saveSmallModel(path.join(files, 'a.safetensors'), 1);
      saveSmallModel(path.join(files, 'b.safetensors'), 2);
      registry.register(path.join(files, 'a.safetensors'), 'clf');
      registry.setAlias('clf', 'champion', 1);
      server = await startServer({ port: 0, workers: 1, registry: { home }, pollIntervalMs: 30 });
      const base = server.url;
      assert.equal((await call(base, 'POST', '/v1/models/clf/labels/champion:predict', BODY)).headers.get('x-model-version'), '1');
      const loop = loadLoop(base, ['/v1/models/clf/labels/champion:predict', '/v1/models/clf/versions/1:predict']);
      await until('some traffic', async () => loop.replies.length > 50);

      registry.register(path.join(files, 'b.safetensors'), 'clf');
      registry.setAlias('clf', 'champion', 2);
      await until('the alias followed', async () => (await call(base, 'POST', '/v1/models/clf/labels/champion:predict', BODY)).headers.get('x-model-version') === '2');
      const afterMove = loop.replies.length;
      await until('traffic after the move', async () => loop.replies.length > afterMove + 50);
      const replies = await loop.stop();

      assertAllOk(replies);
      const champion = replies.filter((r) => r.path.includes('champion')).map((r) => r.reply.headers.get('x-model-version'));
      assert.ok(champion.includes('1') && champion.includes('2'));
      // Once the alias moved, it never went back.
      assert.ok(champion.lastIndexOf('1') < champion.indexOf('2') || !champion.slice(champion.indexOf('2')).includes('1'));
      assert.equal((await call(base, 'GET', '/v1/models/clf')).body.model_version_status.length, 2);
    } finally {
      await server?.stop();
      store.close();
    }
  });
});
