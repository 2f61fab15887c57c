/** The tracking store in one process: runs, params, metrics, search, read-only and broken stores. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ValueError } from '../../src/errors.js';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { NotFoundError, StoreError } from '../../src/track/errors.js';
import { gitCommit, resolveHome, sourceCommand } from '../../src/track/env.js';
import { SCHEMA_VERSION } from '../../src/track/schema.js';
import { assertThrowsError, tempHome } from './helpers.js';

function freshStore(): TrackingStore {
  return TrackingStore.open({ home: tempHome() });
}

describe('track: store', () => {
  it('creates the store, experiments and runs with their attributes', () => {
    const store = freshStore();
    assert.ok(fs.existsSync(path.join(store.home, 'store.db')));
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    const run = startRun({ store, experiment: 'mnist', runName: 'mlp', tags: { team: 'vision' } });
    const info = run.info;
    assert.match(info.id, /^[0-9a-f]{32}$/);
    assert.equal(info.name, 'mlp');
    assert.equal(info.experiment, 'mnist');
    assert.equal(info.status, 'RUNNING');
    assert.equal(info.endTime, null);
    assert.equal(info.pid, process.pid);
    assert.deepEqual(info.tags, { team: 'vision' });
    assert.ok(info.source.includes('node'));
    assert.equal(info.gitCommit, gitCommit());
    run.end();
    const ended = store.getRun(run.id);
    assert.equal(ended.status, 'FINISHED');
    assert.ok(ended.endTime! >= ended.startTime);
    run.end('FAILED'); // a second end changes nothing
    assert.equal(store.getRun(run.id).status, 'FINISHED');
    const unnamed = startRun({ store });
    assert.equal(unnamed.info.experiment, 'default');
    assert.equal(unnamed.info.name, `run-${unnamed.id.slice(0, 8)}`);
    unnamed.end('KILLED');
    assert.deepEqual(
      store.listExperiments().map((e) => [e.name, e.runCount]),
      [['mnist', 1], ['default', 1]],
    );
    assert.equal(store.getRun(run.id.slice(0, 6)).id, run.id);
    assertThrowsError(() => store.getRun('nope'), NotFoundError, /no run with id 'nope'/);
    assertThrowsError(() => store.getExperiment('nope'), NotFoundError, /no experiment 'nope'/);
    assertThrowsError(() => store.setStatus(run.id, 'DONE' as never), ValueError, /status must be one of RUNNING, FINISHED, FAILED, KILLED, got 'DONE'/);
    store.close();
  });

  it('params are immutable: same value again is fine, another value throws and logs nothing', () => {
    const store = freshStore();
    const run = startRun({ store, params: { lr: 0.01 } });
    run.logParams({ lr: 0.01, batchSize: 32, optimizer: 'adam', layers: [128, 10], nesterov: true });
    run.logParam('lr', 0.01);
    assertThrowsError(() => run.logParam('lr', 0.1), ValueError, /param 'lr' of run [0-9a-f]+ is '0.01' and cannot change to '0.1'/);
    assertThrowsError(() => run.logParams({ epochs: 3, batchSize: 64 }), ValueError, /'batchSize'/);
    assert.deepEqual(run.info.params, { batchSize: '32', layers: '[128,10]', lr: '0.01', nesterov: 'true', optimizer: 'adam' });
    assertThrowsError(() => run.logParam('', 1), ValueError, /key must be a non-empty string/);
    run.end();
    store.close();
  });

  it('metrics are appended, never overwritten; steps count up per key; NaN and Infinity kept', () => {
    const store = freshStore();
    const run = startRun({ store });
    run.logMetric('loss', 1.0);
    run.logMetric('loss', 0.5);
    run.logMetric('loss', 0.7, 1); // the same step again: a second point, not a replacement
    run.logMetrics({ loss: 0.25, acc: 0.9 }, 5);
    run.logMetric('loss', 0.2);
    run.logMetric('weird', NaN);
    run.logMetric('weird', Infinity);
    const loss = store.getMetricHistory(run.id, 'loss');
    assert.deepEqual(loss.map((p) => [p.step, p.value]), [[0, 1], [1, 0.5], [1, 0.7], [5, 0.25], [6, 0.2]]);
    assert.deepEqual(store.getMetricHistory(run.id, 'weird').map((p) => p.value), [NaN, Infinity]);
    const { metrics } = run.info;
    assert.deepEqual(metrics.loss, { ...metrics.loss, value: 0.2, step: 6, min: 0.2, max: 1, count: 5 });
    assert.deepEqual(metrics.acc, { ...metrics.acc, value: 0.9, step: 5, count: 1 });
    assert.equal(metrics.weird.value, Infinity);
    // an older step logged late does not become the latest value
    run.logMetric('acc', 0.1, 2);
    assert.equal(run.info.metrics.acc.value, 0.9);
    assert.equal(run.info.metrics.acc.min, 0.1);
    // live updates: points after a cursor
    const cursor = store.lastMetricId();
    run.logMetric('acc', 0.95, 6);
    assert.deepEqual(store.metricsSince(run.id, cursor).map((p) => [p.key, p.value]), [['acc', 0.95]]);
    assertThrowsError(() => run.logMetric('loss', '1' as never), ValueError, /value of 'loss' must be a number/);
    assertThrowsError(() => run.logMetric('loss', 1, 1.5), ValueError, /step of 'loss' must be an integer, got 1.5/);
    run.end();
    store.close();
  });

  it('logs 10,000 points in one batch quickly', () => {
    const store = freshStore();
    const run = startRun({ store });
    const t = performance.now();
    const points = Array.from({ length: 10_000 }, (_, i) => ({ key: 'x', value: i, step: i, timestamp: 0 }));
    store.logMetrics(run.id, points);
    assert.equal(store.getMetricHistory(run.id, 'x').length, 10_000);
    assert.ok(performance.now() - t < 5000);
    run.end();
    store.close();
  });

  it('tags can change; setTag on the run and from the store', () => {
    const store = freshStore();
    const run = startRun({ store, tags: { stage: 'dev' } });
    run.setTag('stage', 'prod');
    run.setTags({ owner: 'ana' });
    assert.deepEqual(run.info.tags, { owner: 'ana', stage: 'prod' });
    run.end();
    store.close();
  });

  it('searchRuns filters by experiment, status, metrics, params, tags and attributes, and orders', () => {
    const store = freshStore();
    const specs = [
      { exp: 'a', name: 'r1', lr: 0.1, opt: 'sgd', loss: 0.9, status: 'FINISHED' },
      { exp: 'a', name: 'r2', lr: 0.01, opt: 'adam', loss: 0.3, status: 'FINISHED' },
      { exp: 'a', name: 'r3', lr: 0.001, opt: 'adam', loss: 0.5, status: 'FAILED' },
      { exp: 'b', name: 'r4', lr: 0.01, opt: 'adam', loss: 0.1, status: 'FINISHED' },
    ] as const;
    for (const s of specs) {
      const run = startRun({ store, experiment: s.exp, runName: s.name, tags: { opt: s.opt } });
      run.logParams({ lr: s.lr, optimizer: s.opt });
      run.logMetric('loss', s.loss);
      run.end(s.status);
    }
    const names = (q: Parameters<TrackingStore['searchRuns']>[0]) => store.searchRuns(q).map((r) => r.name);
    assert.deepEqual(names({}), ['r4', 'r3', 'r2', 'r1']);
    assert.deepEqual(names({ experiment: 'a', orderBy: ['metrics.loss ASC'] }), ['r2', 'r3', 'r1']);
    assert.deepEqual(names({ orderBy: ['metrics.loss DESC'], limit: 2 }), ['r1', 'r3']);
    assert.deepEqual(names({ filter: 'metrics.loss < 0.5', orderBy: ['name'] }), ['r2', 'r4']);
    assert.deepEqual(names({ filter: "params.optimizer = 'adam' and metrics.loss >= 0.3", orderBy: ['name'] }), ['r2', 'r3']);
    assert.deepEqual(names({ filter: 'params.lr = 0.01', orderBy: ['name'] }), ['r2', 'r4']);
    assert.deepEqual(names({ filter: 'params.lr < 0.05', orderBy: ['params.lr DESC', 'name'] }), ['r2', 'r4', 'r3']);
    assert.deepEqual(names({ filter: `tags.opt != "adam"` }), ['r1']);
    assert.deepEqual(names({ filter: "status = 'FAILED'" }), ['r3']);
    assert.deepEqual(names({ filter: "attributes.name LIKE 'r%' AND experiment = 'b'" }), ['r4']);
    assert.deepEqual(names({ filter: "name ILIKE 'R1'" }), ['r1']);
    assert.deepEqual(names({ status: ['FAILED', 'FINISHED'], experiment: ['b'] }), ['r4']);
    assert.deepEqual(names({ filter: 'metrics.`missing key` > 0' }), []);
    assert.deepEqual(names({ filter: 'metrics.batch/loss.x > 0' }), []);
    assertThrowsError(() => store.searchRuns({ filter: 'loss < 1' }), ValueError, /unknown field 'loss'; use metrics.<key>/);
    assertThrowsError(() => store.searchRuns({ filter: 'metrics.loss <' }), ValueError, /expected '<field> <operator> <value>'/);
    assertThrowsError(() => store.searchRuns({ filter: 'metrics.loss < 1 or metrics.loss > 2' }), ValueError, /expected 'and' between clauses, got 'or'/);
    assertThrowsError(() => store.searchRuns({ filter: 'metrics.loss < 1 and' }), ValueError, /ends with 'and'/);
    assertThrowsError(() => store.searchRuns({ filter: 'metrics.loss ~ 1' }), ValueError, /cannot parse filter at '~ 1'/);
    assertThrowsError(() => store.searchRuns({ status: 'DONE' as never }), ValueError, /status must be one of/);
    store.close();
  });

  it('deleteRun removes the rows and the artifact folder', () => {
    const store = freshStore();
    const run = startRun({ store });
    run.logMetric('x', 1);
    run.logParam('p', 1);
    run.logText('notes.txt', 'hello');
    run.end();
    assert.ok(fs.existsSync(run.artifactDir));
    store.deleteRun(run.id);
    assert.ok(!fs.existsSync(run.artifactDir));
    assertThrowsError(() => store.getRun(run.id), NotFoundError, /no run/);
    for (const table of ['metrics', 'latest_metrics', 'params', 'artifacts']) {
      assert.equal(store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), 0, table);
    }
    store.close();
  });

  it('a read-only store reads and refuses writes; a missing store is an error', () => {
    const home = tempHome();
    const writer = TrackingStore.open({ home });
    const run = startRun({ store: writer, experiment: 'e' });
    run.logMetric('loss', 1);
    const reader = TrackingStore.open({ home, readonly: true });
    assert.equal(reader.getRun(run.id).metrics.loss.value, 1);
    assert.equal(reader.experiment('e').name, 'e');
    assertThrowsError(() => reader.experiment('new'), NotFoundError, /no experiment 'new'/);
    assertThrowsError(() => reader.createRun({}), StoreError, /createRun: the store at .* is open read-only/);
    assertThrowsError(() => reader.logMetrics(run.id, []), StoreError, /read-only/);
    // the reader sees new points of a live run
    run.logMetric('loss', 0.5);
    assert.equal(reader.getMetricHistory(run.id, 'loss').length, 2);
    run.end();
    reader.close();
    writer.close();
    const empty = tempHome();
    assertThrowsError(() => TrackingStore.open({ home: empty, readonly: true }), StoreError, /no tracking store at '.*store.db': nothing has been tracked there yet/);
  });

  it('a corrupted store file gives an error naming the file', () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, 'store.db'), 'this is not a database, just some text that is long enough '.repeat(20));
    for (const readonly of [false, true]) {
      assertThrowsError(
        () => TrackingStore.open({ home, readonly }),
        StoreError,
        /tracking store '.*store\.db' is corrupted or not a Shendu store \(file is not a database\); move it away/,
      );
    }
  });

  it('a store path that cannot be opened gives an error naming the file', () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, 'store.db'));
    assertThrowsError(() => TrackingStore.open({ home }), StoreError, /cannot open tracking store '.*store\.db': unable to open database file/);
    assertThrowsError(() => TrackingStore.open({ home, readonly: true }), StoreError, /cannot open tracking store '.*store\.db'/);
  });

  it('a store with a damaged page is reported as corrupted', () => {
    const home = tempHome();
    const store = TrackingStore.open({ home });
    startRun({ store }).end();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const file = path.join(home, 'store.db');
    const bytes = fs.readFileSync(file);
    bytes.fill(0xab, 100, 4096 * 2); // the header's tail and the schema page
    fs.writeFileSync(file, bytes);
    assert.throws(() => TrackingStore.open({ home }), StoreError);
  });

  it('a store of a newer schema version is refused with the versions', () => {
    const home = tempHome();
    const store = TrackingStore.open({ home });
    store.db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION + 1);
    store.close();
    assertThrowsError(() => TrackingStore.open({ home }), StoreError, new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this Shendu writes \\(${SCHEMA_VERSION}\\)`));
    assertThrowsError(() => TrackingStore.open({ home, readonly: true }), StoreError, /newer than this Shendu reads/);
  });

  it('stale runs: this host by pid, other hosts by heartbeat age', () => {
    const store = freshStore();
    const alive = startRun({ store });
    const mine = alive.id;
    const other = store.createRun({});
    const otherFresh = store.createRun({});
    store.db.prepare(`UPDATE runs SET host = 'elsewhere', heartbeat = ? WHERE id = ?`).run(Date.now() - 60_000, other);
    store.db.prepare(`UPDATE runs SET host = 'elsewhere' WHERE id = ?`).run(otherFresh);
    assert.deepEqual(store.markStaleRuns(30_000), [other]);
    assert.equal(store.getRun(mine).status, 'RUNNING');
    assert.equal(store.getRun(other).status, 'FAILED');
    assert.equal(store.getRun(otherFresh).status, 'RUNNING');
    alive.end();
    store.close();
  });

  it('a RUNNING run writes its heartbeat on a timer and when it logs', async () => {
    const store = freshStore();
    const run = startRun({ store, heartbeatMs: 20 });
    const first = run.info.heartbeat;
    await new Promise((resolve) => setTimeout(resolve, 80));
    const second = run.info.heartbeat;
    assert.ok(second > first, `heartbeat ${second} after ${first}`);
    // a synchronous loop starves the timer: logging beats too, at most once an interval
    const until = Date.now() + 30;
    while (Date.now() < until) {
      // busy
    }
    run.logMetric('x', 1);
    assert.ok(run.info.heartbeat >= until);
    run.end();
    store.close();
  });

  it('the home folder: option, then SHENDU_HOME, then ./.shendu', () => {
    const saved = process.env.SHENDU_HOME;
    try {
      process.env.SHENDU_HOME = '/tmp/somewhere';
      assert.equal(resolveHome(), '/tmp/somewhere');
      assert.equal(resolveHome('/tmp/x'), '/tmp/x');
      delete process.env.SHENDU_HOME;
      assert.equal(resolveHome(), path.resolve('.shendu'));
    } finally {
      if (saved === undefined) delete process.env.SHENDU_HOME;
      else process.env.SHENDU_HOME = saved;
    }
  });

  it('git commit from .git/HEAD: branch refs, packed refs, detached heads, worktrees; none outside a repo', () => {
    const dir = tempHome();
    const sha = 'a'.repeat(40);
    const sha2 = 'b'.repeat(40);
    fs.mkdirSync(path.join(dir, 'repo/.git/refs/heads'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'repo/src/deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'repo/.git/HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(dir, 'repo/.git/refs/heads/main'), `${sha}\n`);
    assert.equal(gitCommit(path.join(dir, 'repo/src/deep')), sha);
    fs.writeFileSync(path.join(dir, 'repo/.git/HEAD'), 'ref: refs/heads/packed\n');
    fs.writeFileSync(path.join(dir, 'repo/.git/packed-refs'), `# pack-refs with: peeled\n${sha2} refs/heads/packed\n`);
    assert.equal(gitCommit(path.join(dir, 'repo')), sha2);
    fs.writeFileSync(path.join(dir, 'repo/.git/HEAD'), `${sha2}\n`);
    assert.equal(gitCommit(path.join(dir, 'repo')), sha2);
    // a worktree: .git is a file pointing at its git dir, which points at the common dir
    fs.mkdirSync(path.join(dir, 'repo/.git/worktrees/wt'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'repo/.git/worktrees/wt/HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(dir, 'repo/.git/worktrees/wt/commondir'), '../..\n');
    fs.mkdirSync(path.join(dir, 'wt'));
    fs.writeFileSync(path.join(dir, 'wt/.git'), `gitdir: ${path.join(dir, 'repo/.git/worktrees/wt')}\n`);
    assert.equal(gitCommit(path.join(dir, 'wt')), sha);
    assert.equal(gitCommit('/'), undefined);
  });

  it('the source command is quoted as a shell would need', () => {
    assert.equal(sourceCommand(['node', 'train.ts', '--lr', '0.1', 'two words', "it's"]), `node train.ts --lr 0.1 'two words' 'it'\\''s'`);
  });
});
