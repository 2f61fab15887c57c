/** `shendu models ls|register|alias|show`, run as a user runs them, against a temporary store. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { ModelRegistry } from '../../src/track/registry.js';
import { runNode, tempHome } from '../track/helpers.js';

function shendu(home: string, ...args: string[]) {
  return runNode(['src/cli/main.ts', ...args], { SHENDU_HOME: home });
}

describe('cli: shendu models', () => {
  it('register, alias, ls and show, with errors for unknown models, runs and versions', async () => {
    const home = tempHome();
    const store = TrackingStore.open({ home });
    const run = startRun({ store, experiment: 'mnist' });
    const file = path.join(home, 'mlp.safetensors');
    fs.writeFileSync(file, 'weights');
    await run.logModel(file);
    run.end();
    const bare = startRun({ store });
    bare.end();
    store.close();

    const [empty, fromRun, fromFile] = await Promise.all([
      shendu(tempHome(), 'models', 'ls'),
      shendu(home, 'models', 'register', run.id.slice(0, 8), 'mnist'),
      shendu(home, 'models', 'register', file, 'other', '--description', 'from a file'),
    ]);
    assert.match(empty.stdout, /^no registered models/);
    assert.equal(fromRun.code, 0, fromRun.stderr);
    assert.equal(fromRun.stdout.trim(), `registered 'mnist' version 1 from runs:/${run.id}/model/mlp.safetensors`);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(fromFile.stdout.trim(), `registered 'other' version 1 from ${file}`);
    const second = await shendu(home, 'models', 'register', file, 'mnist');
    assert.match(second.stdout, /registered 'mnist' version 2/);

    const [alias, badVersion, badModel, badRun, noModel] = await Promise.all([
      shendu(home, 'models', 'alias', 'mnist', 'champion', '1'),
      shendu(home, 'models', 'alias', 'mnist', 'canary', '7'),
      shendu(home, 'models', 'alias', 'nope', 'champion', '1'),
      shendu(home, 'models', 'register', 'deadbeef', 'mnist'),
      shendu(home, 'models', 'register', bare.id, 'mnist'),
    ]);
    assert.equal(alias.code, 0, alias.stderr);
    assert.equal(alias.stdout.trim(), 'mnist@champion → version 1');
    assert.equal(badVersion.code, 1);
    assert.match(badVersion.stderr, /^shendu: model 'mnist' has no version 7/);
    assert.equal(badModel.code, 1);
    assert.match(badModel.stderr, /^shendu: no registered model 'nope'/);
    assert.equal(badRun.code, 1);
    assert.match(badRun.stderr, /'deadbeef' is neither a model file nor a run id/);
    assert.equal(noModel.code, 1);
    assert.match(noModel.stderr, /has no model artifact/);

    const [ls, show, showUnknown, json] = await Promise.all([
      shendu(home, 'models', 'ls'),
      shendu(home, 'models', 'show', 'mnist'),
      shendu(home, 'models', 'show', 'nope'),
      shendu(home, 'models', 'show', 'mnist', '--json'),
    ]);
    assert.equal(ls.code, 0, ls.stderr);
    const rows = ls.stdout.trim().split('\n');
    assert.match(rows[0], /^NAME\s+LATEST\s+ALIASES\s+UPDATED$/);
    assert.match(rows[1], /^mnist\s+2\s+@champion→1\s/);
    assert.match(rows[2], /^other\s+1\s+\d/);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^model mnist\n/);
    assert.match(show.stdout, new RegExp(`\\n\\s+1\\s+@champion\\s+.*runs:/${run.id}/model/mlp.safetensors\\s+.*registry/mnist/1/mlp.safetensors`));
    assert.match(show.stdout, /\n\s+2\s+\d{4}-.*registry\/mnist\/2\/mlp.safetensors/);
    assert.equal(showUnknown.code, 1);
    assert.match(showUnknown.stderr, /^shendu: no registered model 'nope'/);
    const data = JSON.parse(json.stdout);
    assert.deepEqual(data.aliases, { champion: 1 });
    assert.deepEqual(data.versions.map((v: { version: number }) => v.version), [1, 2]);

    const check = TrackingStore.open({ home, readonly: true });
    assert.equal(fs.readFileSync(new ModelRegistry(check).resolveModelUri('models:/mnist@champion'), 'utf8'), 'weights');
    check.close();
  });
});
