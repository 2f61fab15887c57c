/**
 * The dashboard's serving statistics (src/ui/serving.ts and GET /api/models/:name/serving)
 * over a store the server's recorder wrote (serving-fixture.ts): per-version totals,
 * percentiles, weights and labels; requests/s and p99 over time; several servers in one
 * time bin; bad queries.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TrackingStore } from '../../src/track/store.js';
import { appendServingStats, readServingStats } from '../../src/track/serving.js';
import { summarizeServing } from '../../src/ui/serving.js';
import { startUi, type UiServer } from '../../src/ui/server.js';
import { tempHome } from '../track/helpers.js';
import { fillServing, INTERVALS, SERVED_MODEL } from './serving-fixture.js';

const close = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${what}: ${a} ≠ ${b}`);

describe('ui: serving statistics', () => {
  let store: TrackingStore;
  let ui: UiServer;

  before(async () => {
    const home = tempHome('shendu-ui-serving-');
    store = TrackingStore.open({ home });
    fillServing(store);
    ui = await startUi({ home, port: 0 });
  });

  after(async () => {
    await ui?.close();
    store?.close();
  });

  it('GET /api/models/:name/serving: totals, error rate, percentiles, weight and labels per version', async () => {
    const res = await fetch(`${ui.origin}/api/models/${SERVED_MODEL}/serving`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.model, SERVED_MODEL);
    assert.equal(body.binMs, 5000);
    const [v1, v2] = body.versions;
    assert.deepEqual([v1.version, v1.requests, v1.errors, v1.errorRate, v1.weight, v1.labels, v1.servers], [1, 1800, 0, 0, 0.9, ['stable'], 1]);
    assert.deepEqual([v2.version, v2.requests, v2.errors, v2.errorRate, v2.weight, v2.labels], [2, 200, 4, 0.02, 0.1, ['canary']]);
    // from the summed histograms: v1 [1200, 580, 20] under 1, 2, 5 ms; v2 [120, 80] under 10, 25 ms
    close(v1.p50Ms, 0.75, 'v1 p50');
    close(v1.p99Ms, 2.3, 'v1 p99');
    close(v2.p50Ms, 5 + 5 * (100 / 120), 'v2 p50');
    close(v2.p99Ms, 10 + 15 * (78 / 80), 'v2 p99');
  });

  it('gives requests/s and p99 per version over time', async () => {
    const body = await (await fetch(`${ui.origin}/api/models/${SERVED_MODEL}/serving`)).json();
    const [s1, s2] = body.series;
    assert.equal(s1.t.length, INTERVALS, 'one point per interval (the start row has no interval)');
    assert.ok(s1.requestsPerSecond.every((r: number) => Math.abs(r - 18) < 1e-9), `v1 rates ${s1.requestsPerSecond}`);
    assert.ok(s2.requestsPerSecond.every((r: number) => Math.abs(r - 2) < 1e-9), `v2 rates ${s2.requestsPerSecond}`);
    s1.p99Ms.forEach((p: number) => close(p, 2.3, 'v1 p99 of an interval'));
    s2.p99Ms.forEach((p: number) => close(p, 10 + 15 * (3.9 / 4), 'v2 p99 of an interval'));
    assert.deepEqual(s1.t, [...s1.t].sort((a: number, b: number) => a - b));
  });

  it('answers a model never served with no versions, and refuses bad queries', async () => {
    const none = await (await fetch(`${ui.origin}/api/models/nope/serving`)).json();
    assert.deepEqual(none.versions, []);
    const later = await (await fetch(`${ui.origin}/api/models/${SERVED_MODEL}/serving?since=${Date.now() + 60_000}`)).json();
    assert.deepEqual(later.versions, []);
    const bad = await fetch(`${ui.origin}/api/models/${SERVED_MODEL}/serving?since=yesterday`);
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).message, /since must be an integer/);
  });

  it('adds up two servers recording in the same time bin', () => {
    const home = tempHome('shendu-ui-serving-two-');
    const two = TrackingStore.open({ home });
    const row = (server: string, timestamp: number, requests: number) => ({
      server, model: 'm', version: 1, timestamp, intervalMs: 1000, requests, errors: 0, latency: { leMs: [1, 10], counts: [requests, 0, 0] }, weight: 1, labels: [],
    });
    appendServingStats(two.db, [row('a', 10_000, 5), row('b', 10_400, 7), row('a', 11_000, 3), row('b', 11_400, 1)]);
    const summary = summarizeServing('m', readServingStats(two.db, 'm'));
    assert.equal(summary.versions[0].requests, 16);
    assert.equal(summary.versions[0].servers, 2);
    assert.deepEqual(summary.series[0].requestsPerSecond, [12, 4]);
    assert.deepEqual(summary.series[0].t, [10_400, 11_400]);
    two.close();
  });
});
