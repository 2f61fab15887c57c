/**
 * The store shared by several processes: concurrent writers lose nothing, and a run whose
 * process dies without ending is marked FAILED with its data so far intact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TrackingStore } from '../../src/track/store.js';
import { ModelRegistry } from '../../src/track/registry.js';
import { runChild, tempHome } from './helpers.js';

describe('track: several processes', () => {
  it('4 processes logging 500 metrics each into a new store lose no row', async () => {
    const home = tempHome();
    const results = await Promise.all([0, 1, 2, 3].map(() => runChild('metrics', home, '500')));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const store = TrackingStore.open({ home });
    try {
      const runs = store.searchRuns({ experiment: 'concurrent' });
      assert.equal(runs.length, 4);
      assert.deepEqual(new Set(runs.map((r) => r.id)), new Set(results.map((r) => r.stdout.trim())));
      for (const run of runs) {
        assert.equal(run.status, 'FINISHED');
        const history = store.getMetricHistory(run.id, 'value');
        assert.equal(history.length, 500);
        assert.deepEqual(history.map((p) => p.value), Array.from({ length: 500 }, (_, i) => i));
        assert.deepEqual(run.metrics.value, { ...run.metrics.value, value: 499, step: 499, min: 0, max: 499, count: 500 });
      }
      const total = store.db.prepare('SELECT count(*) FROM metrics').pluck().get();
      assert.equal(total, 2000);
    } finally {
      store.close();
    }
  });

  it('a process exiting with code 1 without ending its run leaves it FAILED, metrics intact', async () => {
    const home = tempHome();
    const child = await runChild('exit', home);
    assert.equal(child.code, 1, child.stderr);
    const store = TrackingStore.open({ home });
    try {
      const run = store.getRun(child.stdout.trim());
      assert.equal(run.status, 'FAILED');
      assert.ok(run.endTime !== null);
      assert.equal(run.params.lr, '0.1');
      assert.equal(store.getMetricHistory(run.id, 'loss').length, 10);
    } finally {
      store.close();
    }
  });

  it('a killed process leaves its run RUNNING until the next open marks it FAILED', async () => {
    const home = tempHome();
    const child = await runChild('kill', home);
    assert.equal(child.signal, 'SIGKILL');
    const id = child.stdout.trim();
    // a read-only open writes nothing: the dead run still shows RUNNING there
    const reader = TrackingStore.open({ home, readonly: true });
    assert.equal(reader.getRun(id).status, 'RUNNING');
    reader.close();
    const store = TrackingStore.open({ home });
    try {
      const run = store.getRun(id);
      assert.equal(run.status, 'FAILED');
      assert.equal(run.endTime, run.heartbeat);
      assert.deepEqual(
        store.getMetricHistory(id, 'loss').map((p) => p.step),
        Array.from({ length: 10 }, (_, i) => i),
      );
      assert.equal(run.metrics.loss.value, 0.1);
    } finally {
      store.close();
    }
  });

  it('registers from 3 processes at once get versions 1, 2, 3', async () => {
    const home = tempHome();
    const file = path.join(home, 'model.safetensors');
    fs.writeFileSync(file, 'weights');
    TrackingStore.open({ home }).close();
    const results = await Promise.all([0, 1, 2].map(() => runChild('register', home, file, 'shared')));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(results.map((r) => Number(r.stdout)).sort(), [1, 2, 3]);
    const store = TrackingStore.open({ home });
    assert.equal(new ModelRegistry(store).getModel('shared').latestVersion, 3);
    store.close();
  });
});
