/** The server's guards: bearer token (401), body limit (413), models still loading and a full queue (503). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type ModelServer } from '../../src/serve/index.js';
import { source } from './models.js';
import { call } from './helpers.js';

describe('serve: limits', () => {
  let server: ModelServer;
  let base: string;
  const auth = { authorization: 'Bearer s3cret' };

  before(async () => {
    server = await startServer({
      port: 0,
      workers: 1,
      token: 's3cret',
      bodyLimit: 2000,
      pollIntervalMs: 0,
      batching: { maxQueueSize: 2 },
      waitForModels: false,
      models: [
        { name: 'lazy', source: source('affine', { loadDelayMs: 1500 }) },
        { name: 'slow', source: source('affine', { delayMs: 400 }) },
        { name: 'crashy', source: source('crashy') },
      ],
    });
    base = server.url;
  });

  async function available(name: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await call(base, 'GET', '/healthz')).body.models[name].available.length === 0) await new Promise((r) => setTimeout(r, 50));
  }

  after(async () => {
    await server.stop();
  });

  it('503 while a model is still loading, with its state LOADING', async () => {
    const status = await call(base, 'GET', '/v1/models/lazy', undefined, auth);
    assert.deepEqual(status.body.model_version_status[0].state, 'LOADING');
    const r = await call(base, 'POST', '/v1/models/lazy:predict', { instances: [[1, 2, 3, 4]] }, auth);
    assert.deepEqual([r.status, r.body], [503, { error: "model 'lazy' has no available version: version 1 is still loading" }]);
    const v = await call(base, 'POST', '/v1/models/lazy/versions/1:predict', { instances: [[1, 2, 3, 4]] }, auth);
    assert.deepEqual([v.status, v.body], [503, { error: "model 'lazy' version 1 is still loading" }]);
  });

  it('401 without the bearer token, except for /healthz', async () => {
    const none = await call(base, 'POST', '/v1/models/slow:predict', { instances: [[1, 2, 3, 4]] });
    assert.deepEqual([none.status, none.body], [401, { error: 'missing or wrong bearer token (send Authorization: Bearer <token>)' }]);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await call(base, 'GET', '/v1/models/slow', undefined, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await call(base, 'GET', '/metrics')).status, 401);
    assert.equal((await call(base, 'POST', '/v1/admin/models/slow/labels/a', { version: 1 })).status, 401);
    assert.equal((await call(base, 'GET', '/healthz')).status, 200);
    assert.equal((await call(base, 'GET', '/metrics', undefined, auth)).status, 200);
  });

  it('413 for a body over the limit', async () => {
    const big = JSON.stringify({ instances: Array.from({ length: 200 }, () => [0.125, 0.25, 0.5, 1]) });
    assert.ok(big.length > 2000);
    const r = await call(base, 'POST', '/v1/models/slow:predict', big, auth);
    assert.deepEqual([r.status, r.body], [413, { error: 'the request body is larger than the limit of 2000 bytes' }]);
  });

  it('503 when the queue is full, and serves again once it drains', async () => {
    await available('slow');
    const replies = await Promise.all(Array.from({ length: 6 }, () => call(base, 'POST', '/v1/models/slow:predict', { instances: [[1, 1, 1, 1]] }, auth)));
    const codes = replies.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 200, 200, 503, 503, 503]);
    const refused = replies.find((r) => r.status === 503);
    assert.match(refused?.body.error, /the server is overloaded: 2 requests are queued \(maxQueueSize 2\); retry later/);
    assert.equal((await call(base, 'POST', '/v1/models/slow:predict', { instances: [[1, 1, 1, 1]] }, auth)).status, 200);
  });

  it('500 when the worker dies in the middle of a batch; a new worker with every model takes over', async () => {
    await available('crashy');
    const r = await call(base, 'POST', '/v1/models/crashy:predict', { instances: [[666, 0, 0, 0]] }, auth);
    assert.equal(r.status, 500);
    assert.match(r.body.error, /^inference worker failed: exited with code 3/);
    const again = await call(base, 'POST', '/v1/models/crashy:predict', { instances: [[1, 0, 0, 0]] }, auth);
    assert.deepEqual([again.status, again.body], [200, { predictions: [[1, 2, 3]] }]);
    assert.equal((await call(base, 'POST', '/v1/models/slow:predict', { instances: [[1, 1, 1, 1]] }, auth)).status, 200);
  });

  it('serves the slow-loading model once it is available', async () => {
    await available('lazy');
    const r = await call(base, 'POST', '/v1/models/lazy:predict', { instances: [[1, 2, 3, 4]] }, auth);
    assert.deepEqual([r.status, r.body], [200, { predictions: [[10, 11, 12]] }]);
  });
});

describe('serve: start-up checks', () => {
  it('refuses a label or split naming a version that is not there, leaving nothing running', async () => {
    await assert.rejects(
      startServer({ port: 0, workers: 1, pollIntervalMs: 0, models: [{ name: 'm', source: source('affine') }], labels: { m: { stable: 3 } } }),
      /cannot point label 'stable' of model 'm' at version 3: no such version \(versions: 1 AVAILABLE\)/,
    );
    await assert.rejects(
      startServer({ port: 0, workers: 1, pollIntervalMs: 0, models: [{ name: 'm', source: source('affine') }], splits: { m: '1:50,2:50' } }),
      /A\/B split of model 'm': '2' is not a version or label of it/,
    );
    await assert.rejects(startServer({ port: 0, workers: 1 }), /no models to serve: give models, modelBasePath or registry/);
  });
});
