/** `shendu runs ls|show|rm`, run as a user runs them, against a store in a temporary folder. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { runNode, tempHome } from '../track/helpers.js';

function shendu(home: string, ...args: string[]) {
  return runNode(['src/cli/main.ts', ...args], { SHENDU_HOME: home });
}

describe('cli: shendu runs', () => {
  let home = '';
  const ids: Record<string, string> = {};

  before(() => {
    home = tempHome();
    const store = TrackingStore.open({ home });
    for (const [experiment, name, status] of [['mnist', 'mlp', 'FINISHED'], ['mnist', 'cnn', 'RUNNING'], ['cifar', 'resnet', 'FAILED']] as const) {
      const run = startRun({ store, experiment, runName: name });
      run.logParams({ lr: 0.01, optimizer: 'adam' });
      run.logMetrics({ loss: 0.25, accuracy: 0.9 }, 3);
      run.logText('notes.txt', 'hello');
      // RUNNING as a live process elsewhere would leave it: end() is not called
      if (status !== 'RUNNING') run.end(status);
      ids[name] = run.id;
    }
    // the parent test process stays alive, so its RUNNING run is not marked dead
    store.close();
  });

  it('ls, show and their errors', async () => {
    const [ls, lsMnist, lsUnknown, lsJson, show, showUnknown, lsEmpty] = await Promise.all([
      shendu(home, 'runs', 'ls'),
      shendu(home, 'runs', 'ls', '--experiment', 'mnist'),
      shendu(home, 'runs', 'ls', '--experiment', 'nope'),
      shendu(home, 'runs', 'ls', '--json', '--filter', "status = 'FAILED'"),
      shendu(home, 'runs', 'show', ids.mlp.slice(0, 8)),
      shendu(home, 'runs', 'show', 'deadbeef'),
      shendu(tempHome(), 'runs', 'ls'),
    ]);
    assert.equal(ls.code, 0, ls.stderr);
    const lines = ls.stdout.trim().split('\n');
    assert.match(lines[0], /^ID\s+EXPERIMENT\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+METRICS$/);
    assert.equal(lines.length, 4);
    assert.match(lines[1], new RegExp(`^${ids.resnet.slice(0, 8)}\\s+cifar\\s+resnet\\s+FAILED\\s`));
    assert.match(lines[2], /cnn\s+RUNNING/);
    assert.match(lines[3], /mlp\s+FINISHED\s.*accuracy=0.9 loss=0.25$/);

    assert.equal(lsMnist.code, 0);
    assert.deepEqual(lsMnist.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[2]), ['cnn', 'mlp']);

    assert.equal(lsUnknown.code, 1);
    assert.match(lsUnknown.stderr, /^shendu: no experiment 'nope' in the store at /);
    assert.equal(lsUnknown.stdout, '');

    assert.equal(lsJson.code, 0);
    assert.deepEqual(JSON.parse(lsJson.stdout).map((r: { id: string }) => r.id), [ids.resnet]);

    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`id\\s+${ids.mlp}`));
    assert.match(show.stdout, /experiment\s+mnist/);
    assert.match(show.stdout, /status\s+FINISHED/);
    assert.match(show.stdout, /PARAM\s+VALUE\nlr\s+0.01\noptimizer\s+adam/);
    assert.match(show.stdout, /METRIC\s+LAST\s+STEP\s+MIN\s+MAX\s+POINTS\naccuracy\s+0.9\s+3\s+0.9\s+0.9\s+1\nloss\s+0.25\s+3/);
    assert.match(show.stdout, /ARTIFACT\s+KIND\s+SIZE\nnotes.txt\s+text\s+5 B/);

    assert.equal(showUnknown.code, 1);
    assert.match(showUnknown.stderr, /^shendu: no run with id 'deadbeef' in the store at /);

    assert.equal(lsEmpty.code, 0);
    assert.match(lsEmpty.stdout, /^no runs \(no tracking store at .*\)/);
  });

  it('rm deletes runs and their artifacts; unknown ids and RUNNING runs without --force are refused', async () => {
    const [rm, rmUnknown, rmRunning] = await Promise.all([
      shendu(home, 'runs', 'rm', ids.resnet.slice(0, 10)),
      shendu(home, 'runs', 'rm', ids.mlp, 'nope'),
      shendu(home, 'runs', 'rm', ids.cnn),
    ]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(rm.stdout.trim(), `deleted run ${ids.resnet} (resnet)`);
    assert.equal(rmUnknown.code, 1);
    assert.match(rmUnknown.stderr, /no run with id 'nope'/);
    assert.equal(rmRunning.code, 1);
    assert.match(rmRunning.stderr, /run [0-9a-f]{8} is still RUNNING; pass --force to delete it anyway/);
    const store = TrackingStore.open({ home, readonly: true });
    assert.deepEqual(store.searchRuns().map((r) => r.name).sort(), ['cnn', 'mlp']); // nothing of a failed rm is deleted
    store.close();
    assert.ok(!fs.existsSync(path.join(home, 'artifacts', ids.resnet)));
    const force = await shendu(home, 'runs', 'rm', '--force', ids.cnn);
    assert.equal(force.code, 0, force.stderr);
  });
});
