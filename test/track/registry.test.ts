/** The model registry: versions, aliases, tags and model URIs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ValueError } from '../../src/errors.js';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { NotFoundError } from '../../src/track/errors.js';
import { ModelRegistry } from '../../src/track/registry.js';
import * as sd from '../../src/index.js';
import { assertThrowsError, tempHome } from './helpers.js';

function setup(): { store: TrackingStore; registry: ModelRegistry; home: string } {
  const home = tempHome();
  const store = TrackingStore.open({ home });
  return { store, registry: new ModelRegistry(store), home };
}

describe('track: model registry', () => {
  it('registers versions 1, 2, 3 from a run model artifact and from files, copied into the registry', async () => {
    const { store, registry, home } = setup();
    const run = startRun({ store });
    const weights = path.join(home, 'mlp.safetensors');
    fs.writeFileSync(weights, 'v1');
    await run.logModel(weights);
    run.end();
    const v1 = registry.register(run.id, 'mnist', { description: 'first', tags: { data: 'v1' } });
    assert.equal(v1.version, 1);
    assert.equal(v1.runId, run.id);
    assert.equal(v1.source, `runs:/${run.id}/model/mlp.safetensors`);
    assert.equal(v1.description, 'first');
    assert.deepEqual(v1.tags, { data: 'v1' });
    assert.equal(v1.file, path.join(home, 'registry/mnist/1/mlp.safetensors'));
    fs.writeFileSync(weights, 'v2'); // the source changes later: version 1 keeps its copy
    const v2 = registry.register(weights, 'mnist');
    assert.equal(v2.version, 2);
    assert.equal(v2.runId, null);
    assert.equal(v2.source, weights);
    const v3 = registry.register(`runs:/${run.id.slice(0, 8)}/model/mlp.safetensors`, 'mnist');
    assert.equal(v3.version, 3);
    assert.equal(fs.readFileSync(v1.file, 'utf8'), 'v1');
    assert.equal(fs.readFileSync(v2.file, 'utf8'), 'v2');
    assert.equal(fs.readFileSync(v3.file, 'utf8'), 'v1');
    assert.deepEqual(registry.listVersions('mnist').map((v) => v.version), [1, 2, 3]);
    assert.equal(registry.register(weights, 'other').version, 1);
    assert.deepEqual(registry.listModels().map((m) => [m.name, m.latestVersion]), [['mnist', 3], ['other', 1]]);
    store.close();
  });

  it('aliases point at one version; moving one is a single update; latest is the newest', () => {
    const { store, registry, home } = setup();
    const file = path.join(home, 'm.bin');
    fs.writeFileSync(file, 'x');
    for (let i = 0; i < 3; i++) registry.register(file, 'net');
    registry.setAlias('net', 'champion', 1);
    registry.setAlias('net', 'canary', '3');
    assert.equal(registry.getVersion('net', 'champion').version, 1);
    assert.deepEqual(registry.getVersion('net', 1).aliases, ['champion']);
    registry.setAlias('net', 'champion', 2);
    assert.equal(registry.getVersion('net', 'champion').version, 2);
    assert.deepEqual(registry.getVersion('net', 1).aliases, []);
    assert.deepEqual(registry.getModel('net').aliases, { canary: 3, champion: 2 });
    assert.equal(registry.getVersion('net').version, 3);
    assert.equal(registry.getVersion('net', 'latest').version, 3);
    registry.setAlias('net', 'prod', 'champion'); // an alias of an alias's version
    assert.equal(registry.getVersion('net', 'prod').version, 2);
    registry.deleteAlias('net', 'prod');
    assertThrowsError(() => registry.getVersion('net', 'prod'), NotFoundError, /model 'net' has no alias 'prod'/);
    assertThrowsError(() => registry.deleteAlias('net', 'prod'), NotFoundError, /has no alias 'prod'/);
    assertThrowsError(() => registry.setAlias('net', 'champion', 9), NotFoundError, /model 'net' has no version 9/);
    assertThrowsError(() => registry.setAlias('net', '7', 1), ValueError, /alias must start with a letter/);
    assertThrowsError(() => registry.setAlias('net', 'latest', 1), ValueError, /not be 'latest'/);
    store.close();
  });

  it('tags on models and versions', () => {
    const { store, registry, home } = setup();
    const file = path.join(home, 'm.bin');
    fs.writeFileSync(file, 'x');
    registry.register(file, 'net');
    registry.setTag('net', 'owner', 'ana');
    registry.setTag('net', 'validated', 'yes', 1);
    registry.setTag('net', 'owner', 'bo');
    assert.deepEqual(registry.getModel('net').tags, { owner: 'bo' });
    assert.deepEqual(registry.getVersion('net', 1).tags, { validated: 'yes' });
    assertThrowsError(() => registry.setTag('net', 'k', 'v', 2), NotFoundError, /no version 2/);
    store.close();
  });

  it('resolves models:/ and runs:/ URIs to files', async () => {
    const { store, registry, home } = setup();
    const run = startRun({ store });
    const file = path.join(home, 'm.bin');
    fs.writeFileSync(file, 'x');
    await run.logModel(file);
    run.end();
    registry.register(run.id, 'net');
    registry.register(file, 'net');
    registry.setAlias('net', 'champion', 1);
    assert.equal(registry.resolveModelUri('models:/net@champion'), path.join(home, 'registry/net/1/m.bin'));
    assert.equal(registry.resolveModelUri('models:/net/2'), path.join(home, 'registry/net/2/m.bin'));
    assert.equal(registry.resolveModelUri('models:/net/latest'), path.join(home, 'registry/net/2/m.bin'));
    assert.equal(registry.resolveModelUri('models:/net'), path.join(home, 'registry/net/2/m.bin'));
    assert.equal(registry.resolveModelUri(`runs:/${run.id}/model/m.bin`), path.join(run.artifactDir, 'model/m.bin'));
    assertThrowsError(() => registry.resolveModelUri('models:/nope@champion'), NotFoundError, /no registered model 'nope'/);
    assertThrowsError(() => registry.resolveModelUri('models:/net@canary'), NotFoundError, /no alias 'canary'/);
    assertThrowsError(() => registry.resolveModelUri('models:/net/5'), NotFoundError, /no version 5/);
    assertThrowsError(() => registry.resolveModelUri(`runs:/${run.id}/other.bin`), NotFoundError, /has no artifact 'other.bin'/);
    assertThrowsError(() => registry.resolveModelUri('s3://bucket/model'), ValueError, /is not a model URI/);
    store.close();
  });

  it('the sd.registry functions use the default store of SHENDU_HOME', () => {
    const home = tempHome();
    const saved = process.env.SHENDU_HOME;
    process.env.SHENDU_HOME = home;
    try {
      const file = path.join(home, 'm.bin');
      fs.writeFileSync(file, 'x');
      const v = sd.registry.register(file, 'net');
      sd.registry.setAlias('net', 'champion', v.version);
      assert.equal(sd.registry.getVersion('net', 'champion').version, 1);
      assert.deepEqual(sd.registry.listModels().map((m) => m.name), ['net']);
      assert.equal(sd.registry.resolveModelUri('models:/net@champion'), path.join(home, 'registry/net/1/m.bin'));
      const run = sd.track.startRun({ experiment: 'e' });
      run.end();
      assert.equal(sd.track.getRun(run.id).experiment, 'e');
      assert.equal(sd.track.searchRuns({ experiment: 'e' }).length, 1);
      assert.deepEqual(sd.track.listExperiments().map((e) => e.name), ['e']);
    } finally {
      if (saved === undefined) delete process.env.SHENDU_HOME;
      else process.env.SHENDU_HOME = saved;
    }
  });

  it('errors: unknown sources, runs without a model, bad names', () => {
    const { store, registry } = setup();
    const run = startRun({ store });
    run.end();
    assertThrowsError(() => registry.register('/no/such/file', 'net'), NotFoundError, /'\/no\/such\/file' is neither a model file nor a run id/);
    assertThrowsError(() => registry.register(run.id, 'net'), NotFoundError, /run [0-9a-f]+ has no model artifact; log one with run.logModel/);
    assertThrowsError(() => registry.register(run.id, '../evil'), ValueError, /model name must start with/);
    assertThrowsError(() => registry.getModel('net'), NotFoundError, /no registered model 'net'/);
    assertThrowsError(() => registry.getVersion('net', 1), NotFoundError, /no registered model 'net'/);
    store.close();
  });
});
