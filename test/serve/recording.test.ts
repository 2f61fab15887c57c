/**
 * Serving statistics in the tracking store (src/serve/recorder.ts, src/track/serving.ts):
 * a server with an A/B split records, per version, exactly the requests and errors it
 * answered, with the weights and labels; the recorder's rules (idle versions, a failed
 * write retried) on a clock of the test's own.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/serve/index.js';
import { ServingRecorder, type VersionCounters } from '../../src/serve/recorder.js';
import { TrackingStore } from '../../src/track/store.js';
import { bucketQuantile, readServingStats } from '../../src/track/serving.js';
import { source } from './models.js';
import { call, inParallel, tempDir } from './helpers.js';

describe('serve: recording serving statistics', () => {
  it('records the requests, errors, weights and labels of each A/B version into the store', async () => {
    const home = tempDir('shendu-serve-track-');
    const server = await startServer({
      port: 0,
      workers: 1,
      pollIntervalMs: 0,
      models: [
        { name: 'affine', source: source('affine'), version: 1 },
        { name: 'affine', source: source('affine', { scale: 2 }), version: 2 },
      ],
      labels: { affine: { stable: 1, canary: 2 } },
      splits: { affine: 'stable:75,canary:25' },
      // the timer never fires during the test: rows come from the start and the stop
      track: { home, intervalMs: 60_000 },
    });
    const answered = { '1': 0, '2': 0 };
    const failed = { '1': 0, '2': 0 };
    try {
      assert.ok(server.recorder, 'tracking is on');
      const versions = await inParallel(60, 4, async (i) => {
        const r = await call(server.url, 'POST', '/v1/models/affine:predict', { instances: [[i, 0, 0, 1]] }, { 'x-client-id': `client-${i}` });
        assert.equal(r.status, 200);
        return r.headers.get('x-model-version') as '1' | '2';
      });
      for (const v of versions) answered[v]++;
      // a wrong shape is an error of the version the client was sent to
      for (let i = 0; i < 3; i++) {
        const r = await call(server.url, 'POST', '/v1/models/affine:predict', { instances: [[1, 2]] }, { 'x-client-id': `client-${i}` });
        assert.equal(r.status, 400);
        failed[versions[i]]++;
      }
      assert.ok(answered['1'] > 0 && answered['2'] > 0, `both versions took traffic: ${JSON.stringify(answered)}`);
    } finally {
      await server.stop();
    }

    const store = TrackingStore.open({ home, readonly: true });
    try {
      const rows = readServingStats(store.db, 'affine');
      for (const v of [1, 2] as const) {
        const own = rows.filter((r) => r.version === v);
        assert.equal(own.length, 2, `version ${v}: a row at start and one at stop`);
        assert.equal(own[0].requests, 0);
        const requests = own.reduce((a, r) => a + r.requests, 0);
        const errors = own.reduce((a, r) => a + r.errors, 0);
        assert.equal(requests, answered[v] + failed[v], `requests of version ${v}`);
        assert.equal(errors, failed[v], `errors of version ${v}`);
        assert.equal(own[1].latency.counts.reduce((a, c) => a + c, 0), requests, 'every request is in the latency histogram');
        assert.ok(own[1].p50Ms !== null && own[1].p99Ms !== null && own[1].p50Ms > 0 && own[1].p99Ms >= own[1].p50Ms, `p50 ${own[1].p50Ms}, p99 ${own[1].p99Ms}`);
        assert.equal(own[1].weight, v === 1 ? 0.75 : 0.25);
        assert.deepEqual(own[1].labels, [v === 1 ? 'stable' : 'canary']);
        assert.match(own[1].server, new RegExp(`:${process.pid}:${server.port}$`));
      }
    } finally {
      store.close();
    }
  });

  it('without a registry or track, records nothing', async () => {
    const server = await startServer({ port: 0, workers: 1, pollIntervalMs: 0, models: [{ name: 'affine', source: source('affine') }] });
    assert.equal(server.recorder, null);
    await server.stop();
  });

  it('writes rows for new, busy and changed versions, one idle row after traffic stops, and retries a failed write', () => {
    const home = tempDir('shendu-serve-recorder-');
    const store = TrackingStore.open({ home });
    let t = 1_000_000;
    const counters: VersionCounters = { model: 'm', version: 1, requests: 0, errors: 0, latencyCounts: [0, 0, 0], weight: 1, labels: [] };
    let failNext = false;
    const errors: string[] = [];
    const recorder = new ServingRecorder({
      db: store.db,
      server: 'test:1:1',
      leMs: [1, 10],
      now: () => t,
      collect: () => {
        if (failNext) {
          failNext = false;
          store.db.exec('CREATE TEMP TRIGGER fail BEFORE INSERT ON serving_stats BEGIN SELECT RAISE(ABORT, \'busy\'); END');
        }
        return [{ ...counters, latencyCounts: [...counters.latencyCounts] }];
      },
      onError: (err) => errors.push(err.message),
    });
    const tick = (ms: number) => recorder.record((t += ms));
    assert.equal(tick(0), 1, 'a new version is written once');
    assert.equal(tick(5000), 0, 'idle: nothing');
    Object.assign(counters, { requests: 4, errors: 1, latencyCounts: [3, 1, 0] });
    assert.equal(tick(5000), 1);
    assert.equal(tick(5000), 1, 'the drop to idle is written');
    assert.equal(tick(5000), 0);
    Object.assign(counters, { requests: 10, latencyCounts: [3, 6, 1] });
    failNext = true;
    assert.equal(tick(5000), 0, 'the write failed');
    store.db.exec('DROP TRIGGER fail');
    counters.labels = ['stable'];
    assert.equal(tick(5000), 1, 'the retry covers both intervals');
    const rows = readServingStats(store.db, 'm');
    assert.deepEqual(rows.map((r) => [r.requests, r.errors, r.intervalMs]), [[0, 0, 0], [4, 1, 5000], [0, 0, 5000], [6, 0, 10000]]);
    assert.deepEqual(rows[3].latency, { leMs: [1, 10], counts: [0, 5, 1] });
    assert.deepEqual(rows[3].labels, ['stable']);
    assert.equal(rows[3].p99Ms, 10, 'a rank in the overflow bucket reads as the largest bound');
    assert.equal(errors.length, 1);
    store.close();
  });

  it('reads quantiles from a histogram as Prometheus does', () => {
    assert.equal(bucketQuantile({ leMs: [1, 2, 4], counts: [0, 10, 10, 0] }, 0.5), 2);
    assert.equal(bucketQuantile({ leMs: [1, 2, 4], counts: [0, 10, 10, 0] }, 0.75), 3);
    assert.ok(Number.isNaN(bucketQuantile({ leMs: [1], counts: [0, 0] }, 0.5)));
  });
});
