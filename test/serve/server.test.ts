/**
 * The REST surface of the server against TF Serving's documentation: every path, row and
 * columnar formats, several named inputs and outputs, versions and labels, classify and
 * regress, A/B splits, metrics, and every error status with its message. Loopback only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as sd from '../../src/index.js';
import { startServer, type ModelServer } from '../../src/serve/index.js';
import { source } from './models.js';
import { call, inParallel, saveSmallModel, tempDir } from './helpers.js';

const SAMPLE = [[[0.5, -1], [2, 0.25]]];

describe('serve: REST API', () => {
  let server: ModelServer;
  let base: string;
  let keras: sd.LayersModel;
  const dir = tempDir();

  before(async () => {
    const file = path.join(dir, 'small.safetensors');
    keras = saveSmallModel(file);
    const corrupt = path.join(dir, 'corrupt.safetensors');
    fs.writeFileSync(corrupt, fs.readFileSync(file).subarray(0, 200));
    server = await startServer({
      port: 0,
      workers: 2,
      batching: { enabled: true, maxBatchSize: 16, batchTimeoutMicros: 2000 },
      pollIntervalMs: 0,
      models: [
        { name: 'affine', source: source('affine'), version: 1 },
        { name: 'affine', source: source('affine', { scale: 2 }), version: 2 },
        { name: 'two', source: source('twoInputs') },
        { name: 'half_plus_three', source: source('halfPlusThree') },
        { name: 'animals', source: source('affine', { classLabels: ['cat', 'dog', 'eel'] }) },
        { name: 'slow', source: source('affine', { delayMs: 400 }) },
        { name: 'broken', source: source('broken') },
        { name: 'small', path: file },
        { name: 'corrupt', path: corrupt },
      ],
    });
    base = server.url;
  });

  after(async () => {
    await server.stop();
  });

  describe('model status: GET /v1/models/{name}[/versions/{v} | /labels/{label}]', () => {
    it('lists every version, newest first, in the model_version_status format', async () => {
      const r = await call(base, 'GET', '/v1/models/affine');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        model_version_status: [
          { version: '2', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
          { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
        ],
      });
    });

    it('gives one version by number or by label', async () => {
      assert.deepEqual((await call(base, 'GET', '/v1/models/affine/versions/1')).body.model_version_status.map((s: { version: string }) => s.version), ['1']);
      await call(base, 'POST', '/v1/admin/models/affine/labels/stable', { version: 1 });
      assert.deepEqual((await call(base, 'GET', '/v1/models/affine/labels/stable')).body.model_version_status.map((s: { version: string }) => s.version), ['1']);
    });

    it('shows a model that failed to load as END with its error, and keeps serving the others', async () => {
      const r = await call(base, 'GET', '/v1/models/corrupt');
      assert.equal(r.status, 200);
      const [status] = r.body.model_version_status;
      assert.equal(status.state, 'END');
      assert.equal(status.status.error_code, 'UNKNOWN');
      assert.match(status.status.error_message, /corrupt\.safetensors/);
      const p = await call(base, 'POST', '/v1/models/corrupt:predict', { instances: SAMPLE });
      assert.equal(p.status, 503);
      assert.match(p.body.error, /model 'corrupt' has no available version: version 1 failed to load: .*corrupt\.safetensors/);
      assert.match((await call(base, 'GET', '/v1/models/broken')).body.model_version_status[0].status.error_message, /this model cannot be built/);
      assert.equal((await call(base, 'POST', '/v1/models/small:predict', { instances: SAMPLE })).status, 200);
    });

    it('answers 404 for an unknown model, version or label', async () => {
      assert.deepEqual(await call(base, 'GET', '/v1/models/nope').then((r) => [r.status, r.body]), [404, { error: 'Servable not found for request: Latest(nope)' }]);
      assert.deepEqual(await call(base, 'GET', '/v1/models/affine/versions/7').then((r) => [r.status, r.body]), [404, { error: 'Servable not found for request: Specific(affine, 7)' }]);
      const label = await call(base, 'GET', '/v1/models/affine/labels/gold');
      assert.equal(label.status, 404);
      assert.match(label.body.error, /Unrecognized servable version label: gold/);
      const bad = await call(base, 'GET', '/v1/models/affine/versions/x');
      assert.equal(bad.status, 404);
      assert.match(bad.body.error, /Malformed request: GET \/v1\/models\/affine\/versions\/x: the version must be an integer, got 'x'/);
      const percent = await call(base, 'GET', '/v1/models/%E0%A4%A');
      assert.equal(percent.status, 400);
      assert.match(percent.body.error, /%E0%A4%A/);
    });
  });

  describe('metadata: GET .../metadata', () => {
    it('gives the signature of the latest version as signature_def', async () => {
      const r = await call(base, 'GET', '/v1/models/affine/metadata');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        model_spec: { name: 'affine', signature_name: '', version: '2' },
        metadata: {
          signature_def: {
            signature_def: {
              serving_default: {
                inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1', name: '' }, { size: '4', name: '' }], unknown_rank: false }, name: 'x:0' } },
                outputs: { y: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1', name: '' }, { size: '3', name: '' }], unknown_rank: false }, name: 'y:0' } },
                method_name: 'tensorflow/serving/predict',
              },
            },
          },
        },
      });
    });

    it('gives a version, a label, named inputs and outputs with their dtypes, and the names of a Keras model', async () => {
      assert.equal((await call(base, 'GET', '/v1/models/affine/versions/1/metadata')).body.model_spec.version, '1');
      assert.equal((await call(base, 'GET', '/v1/models/affine/labels/stable/metadata')).body.model_spec.version, '1');
      const two = (await call(base, 'GET', '/v1/models/two/metadata')).body.metadata.signature_def.signature_def.serving_default;
      assert.deepEqual(Object.keys(two.inputs), ['a', 'b']);
      assert.equal(two.inputs.b.dtype, 'DT_INT32');
      assert.equal(two.outputs.flags.dtype, 'DT_BOOL');
      const small = (await call(base, 'GET', '/v1/models/small/metadata')).body.metadata.signature_def.signature_def.serving_default;
      assert.deepEqual(
        Object.values(small.inputs).map((t) => (t as { tensor_shape: { dim: { size: string }[] } }).tensor_shape.dim.map((d) => d.size)),
        [['-1', '2', '2']],
      );
      assert.equal(Object.keys(small.outputs).length, 1);
      assert.equal((await call(base, 'GET', '/v1/models/nope/metadata')).status, 404);
    });
  });

  describe('predict: POST ...:predict', () => {
    it('answers the row format with predictions and the columnar format with outputs', async () => {
      const row = await call(base, 'POST', '/v1/models/affine/versions/1:predict', { instances: [[1, 2, 3, 4], [0, 0, 0, 0.5]] });
      assert.equal(row.status, 200);
      assert.match(row.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(row.body, { predictions: [[10, 11, 12], [0.5, 1.5, 2.5]] });
      const col = await call(base, 'POST', '/v1/models/affine/versions/1:predict', { inputs: [[1, 2, 3, 4]] });
      assert.deepEqual(col.body, { outputs: [[10, 11, 12]] });
    });

    it('uses the latest version by default, and a version or label when the path names one', async () => {
      const body = { instances: [[1, 1, 1, 1]] };
      const latest = await call(base, 'POST', '/v1/models/affine:predict', body);
      assert.deepEqual(latest.body.predictions, [[8, 10, 12]]);
      assert.equal(latest.headers.get('x-model-version'), '2');
      assert.deepEqual((await call(base, 'POST', '/v1/models/affine/versions/1:predict', body)).body.predictions, [[4, 5, 6]]);
      assert.deepEqual((await call(base, 'POST', '/v1/models/affine/labels/stable:predict', body)).body.predictions, [[4, 5, 6]]);
    });

    it('takes several named inputs and gives several named outputs, in both formats', async () => {
      const row = await call(base, 'POST', '/v1/models/two:predict', { instances: [{ a: [1, -2], b: [1, 2, 3] }, { a: [0.5, 4], b: [0, 0, -1] }] });
      assert.deepEqual(row.body, { predictions: [{ total: 5, flags: [true, false] }, { total: 3.5, flags: [true, true] }] });
      const col = await call(base, 'POST', '/v1/models/two:predict', { inputs: { a: [[1, -2]], b: [[1, 2, 3]] } });
      assert.deepEqual(col.body, { outputs: { total: [5], flags: [[true, false]] } });
    });

    it("serves TF Serving's half_plus_three example: predict and regress", async () => {
      assert.deepEqual((await call(base, 'POST', '/v1/models/half_plus_three:predict', '{"instances": [1.0,2.0,5.0]}')).body, { predictions: [3.5, 4, 5.5] });
      const regress = await call(base, 'POST', '/v1/models/half_plus_three:regress', { signature_name: 'tensorflow/serving/regress', examples: [{ x: 1.0 }, { x: 2.0 }] });
      assert.deepEqual(regress.body, { result: [3.5, 4] });
    });

    it('serves a saved Keras model, with the predictions of model.predict', async () => {
      const r = await call(base, 'POST', '/v1/models/small:predict', { instances: SAMPLE });
      assert.equal(r.status, 200);
      const expected = keras.predict(sd.tensor(SAMPLE)) as sd.Tensor;
      // The JSON carries each float32 exactly: it reads back to the same float32.
      assert.deepEqual(r.body.predictions[0].map(Math.fround), [...expected.values]);
    });

    it('merges concurrent requests into batches and answers each its own rows', async () => {
      const replies = await inParallel(64, 32, (i) => call(base, 'POST', '/v1/models/affine/versions/1:predict', { instances: [[i, 0, 0, 0]] }));
      replies.forEach((r, i) => assert.deepEqual(r.body.predictions, [[i, i + 1, i + 2]]));
      const metrics = (await call(base, 'GET', '/metrics')).text;
      const merged = /shendu_serve_batch_size_bucket\{model="affine",version="1",le="1"\} (\d+)\nshendu_serve_batch_size_bucket\{model="affine",version="1",le="\+Inf"\}|shendu_serve_batch_size_count\{model="affine",version="1"\} (\d+)/.exec(metrics);
      assert.ok(merged, 'no batch size histogram for affine version 1');
      const count = Number(/shendu_serve_batch_size_count\{model="affine",version="1"\} (\d+)/.exec(metrics)?.[1]);
      const requests = Number(/shendu_serve_batch_size_sum\{model="affine",version="1"\} (\d+)/.exec(metrics)?.[1]);
      assert.ok(count < requests, `every batch held one request (${count} batches for ${requests} rows)`);
    });
  });

  describe('classify: POST ...:classify', () => {
    it('gives label/score pairs for each example', async () => {
      const r = await call(base, 'POST', '/v1/models/animals:classify', { examples: [{ x: [1, 0, 0, 0] }, { x: [0, 0, 0, 0] }] });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { result: [[['cat', 1], ['dog', 2], ['eel', 3]], [['cat', 0], ['dog', 1], ['eel', 2]]] });
      const unlabeled = await call(base, 'POST', '/v1/models/affine/versions/1:classify', { instances: [[0, 0, 0, 0]] });
      assert.deepEqual(unlabeled.body, { result: [[['0', 0], ['1', 1], ['2', 2]]] });
    });

    it('refuses models that are not classifiers', async () => {
      const r = await call(base, 'POST', '/v1/models/two:classify', { examples: [{ a: [1, 2], b: [1, 2, 3] }] });
      assert.equal(r.status, 400);
      assert.match(r.body.error, /classify needs a classifier: one output of class scores with shape \[-1,classes\]/);
    });
  });

  describe('errors: {"error": "..."} with the status', () => {
    const predict = '/v1/models/affine/versions/1:predict';

    it('400 for JSON that does not parse: malformed, NaN, Infinity, empty', async () => {
      for (const body of ['{"instances": [[1,2,3,4]', '{"instances": [[1,2,3,NaN]]}', '{"instances": [[1,2,3,Infinity]]}', '']) {
        const r = await call(base, 'POST', predict, body, { 'content-type': 'application/json' });
        assert.equal(r.status, 400, body);
        assert.match(r.body.error, /^JSON Parse Error: /);
      }
    });

    it('400 for a wrong shape, saying the expected shape', async () => {
      const r = await call(base, 'POST', predict, { instances: [[1, 2, 3]] });
      assert.deepEqual([r.status, r.body], [400, { error: "instances: expected shape [-1,4], got [1,3] (input 'x' is float32 [-1,4]: each instance is [4])" }]);
      const nesting = await call(base, 'POST', predict, { instances: [[1, 2, 3, 4], [1, [2], 3, 4]] });
      assert.equal(nesting.status, 400);
      assert.match(nesting.body.error, /instances\[1\]\[1\]: expected a finite number in the float32 range, got a list of 1/);
      const multi = await call(base, 'POST', '/v1/models/two:predict', { instances: [{ a: [1, 2] }] });
      assert.deepEqual([multi.status, multi.body.error], [400, "instances[0]: missing input 'b' (the model's inputs are 'a', 'b')"]);
    });

    it('400 for a wrong dtype: strings where numbers belong, floats for int32', async () => {
      const s = await call(base, 'POST', predict, { instances: [[1, 'two', 3, 4]] });
      assert.deepEqual([s.status, s.body.error], [400, `instances[0][1]: expected a finite number in the float32 range, got the string "two" (input 'x' is float32 [-1,4]: each instance is [4])`]);
      const i = await call(base, 'POST', '/v1/models/two:predict', { inputs: { a: [[1, 2]], b: [[1, 2.5, 3]] } });
      assert.equal(i.status, 400);
      assert.match(i.body.error, /inputs\.b\[0\]\[1\]: expected an integer in the int32 range, got the number 2\.5/);
    });

    it('400 for a request that is neither format', async () => {
      const r = await call(base, 'POST', predict, { examples: [] });
      assert.deepEqual([r.status, r.body.error], [400, 'the request needs "instances" (row format) or "inputs" (columnar format)']);
    });

    it('404 for an unknown model, version, label or method, as TF Serving words it', async () => {
      const body = { instances: [[1, 2, 3, 4]] };
      assert.deepEqual((await call(base, 'POST', '/v1/models/half:predict', body)).body, { error: 'Servable not found for request: Latest(half)' });
      const v = await call(base, 'POST', '/v1/models/affine/versions/9:predict', body);
      assert.deepEqual([v.status, v.body.error], [404, 'Servable not found for request: Specific(affine, 9)']);
      const l = await call(base, 'POST', '/v1/models/affine/labels/gold:predict', body);
      assert.equal(l.status, 404);
      assert.match(l.body.error, /^Unrecognized servable version label: gold \(model 'affine' has labels: .*stable/);
      const m = await call(base, 'POST', '/v1/models/affine:explain', body);
      assert.deepEqual([m.status, m.body.error], [404, 'Malformed request: POST /v1/models/affine:explain']);
      assert.equal((await call(base, 'GET', '/v2/elsewhere')).status, 404);
    });

    it('keeps serving after all of them', async () => {
      assert.equal((await call(base, 'GET', '/healthz')).status, 200);
      assert.equal((await call(base, 'POST', predict, { instances: [[1, 2, 3, 4]] })).status, 200);
    });
  });

  describe('labels and A/B splits: /v1/admin/models/{name}/...', () => {
    it('moves a label without restart, refuses unknown versions, deletes labels', async () => {
      const body = { instances: [[1, 1, 1, 1]] };
      assert.deepEqual((await call(base, 'POST', '/v1/admin/models/affine/labels/canary', { version: 2 })).body, { model: 'affine', label: 'canary', version: 2, state: 'ACTIVE' });
      assert.deepEqual((await call(base, 'POST', '/v1/models/affine/labels/canary:predict', body)).body.predictions, [[8, 10, 12]]);
      await call(base, 'POST', '/v1/admin/models/affine/labels/canary', { version: 1 });
      assert.deepEqual((await call(base, 'POST', '/v1/models/affine/labels/canary:predict', body)).body.predictions, [[4, 5, 6]]);
      const bad = await call(base, 'POST', '/v1/admin/models/affine/labels/canary', { version: 5 });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /cannot point label 'canary' of model 'affine' at version 5: no such version \(versions: 1 AVAILABLE, 2 AVAILABLE\)/);
      assert.match((await call(base, 'POST', '/v1/admin/models/affine/labels/canary', { version: 'x' })).body.error, /expected \{"version": <positive integer>\}, got "x"/);
      assert.equal((await call(base, 'POST', '/v1/admin/models/nope/labels/canary', { version: 1 })).status, 404);
      assert.equal((await call(base, 'DELETE', '/v1/admin/models/affine/labels/canary')).status, 200);
      assert.equal((await call(base, 'POST', '/v1/models/affine/labels/canary:predict', body)).status, 404);
    });

    it('splits default traffic 90/10 over HTTP, sticks keyed clients to one version, and counts each version', async () => {
      const set = await call(base, 'POST', '/v1/admin/models/affine/split', { weights: { '1': 90, '2': 10 } });
      assert.deepEqual(set.body, { model: 'affine', split: [{ target: '1', weight: 90 }, { target: '2', weight: 10 }] });
      const before = (await call(base, 'GET', '/v1/admin/models/affine/stats')).body;
      const n = 600;
      const versions = await inParallel(n, 16, async () => (await call(base, 'POST', '/v1/models/affine:predict', { instances: [[0, 0, 0, 0]] })).headers.get('x-model-version'));
      const share2 = versions.filter((v) => v === '2').length / n;
      assert.ok(share2 > 0.05 && share2 < 0.15, `version 2 got ${share2} of the traffic`);
      for (const client of ['alice', 'bob', 'carol', 'dave']) {
        const seen = await inParallel(10, 5, async () => (await call(base, 'POST', '/v1/models/affine:predict', { instances: [[0, 0, 0, 0]] }, { 'x-client-id': client })).headers.get('x-model-version'));
        assert.equal(new Set(seen).size, 1, `client ${client} saw versions ${[...new Set(seen)]}`);
      }
      const stats = (await call(base, 'GET', '/v1/admin/models/affine/stats')).body;
      const grown = (v: number) => stats.versions[v - 1].requests - before.versions[v - 1].requests;
      assert.equal(grown(1) + grown(2), n + 40);
      assert.deepEqual(stats.versions.map((v: { traffic_share: number }) => v.traffic_share), [0.9, 0.1]);
      assert.ok(stats.versions[0].latency_ms.p50 > 0 && stats.versions[0].latency_ms.p99 >= stats.versions[0].latency_ms.p50);
      assert.match((await call(base, 'GET', '/metrics')).text, /shendu_serve_ab_weight\{model="affine",version="2"\} 0\.1/);
      assert.equal((await call(base, 'GET', '/v1/models/affine/metadata')).body.model_spec.version, '2', 'metadata describes the latest version');
      const bad = await call(base, 'POST', '/v1/admin/models/affine/split', { weights: { '1': 50, '7': 50 } });
      assert.deepEqual([bad.status, /'7' is not a version or label of it/.test(bad.body.error)], [400, true]);
      assert.equal((await call(base, 'DELETE', '/v1/admin/models/affine/split')).status, 200);
      assert.equal((await call(base, 'POST', '/v1/models/affine:predict', { instances: [[0, 0, 0, 0]] })).headers.get('x-model-version'), '2');
    });
  });

  describe('health and metrics', () => {
    it('answers /healthz at once while slow requests run in the workers', async () => {
      let slowDone = false;
      const slow = inParallel(4, 4, () => call(base, 'POST', '/v1/models/slow:predict', { instances: [[1, 1, 1, 1]] })).then((r) => {
        slowDone = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 50));
      const health = await call(base, 'GET', '/healthz');
      assert.equal(slowDone, false, '/healthz waited for the slow requests');
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'ok');
      assert.deepEqual(health.body.models.affine, { available: [1, 2], loading: [], failed: [] });
      for (const r of await slow) assert.equal(r.status, 200);
    });

    it('exposes requests, errors, latency and batch sizes per model and version in the Prometheus format', async () => {
      const r = await call(base, 'GET', '/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(r.text, /# TYPE shendu_serve_requests_total counter/);
      assert.match(r.text, /shendu_serve_requests_total\{model="affine",version="1",method="predict",code="200"\} \d+/);
      assert.match(r.text, /shendu_serve_requests_total\{model="affine",version="1",method="predict",code="400"\} \d+/);
      assert.match(r.text, /shendu_serve_requests_total\{model="half",version="none",method="predict",code="404"\} 1/);
      assert.match(r.text, /shendu_serve_request_duration_seconds_bucket\{model="affine",version="2",method="predict",le="0\.005"\} \d+/);
      assert.match(r.text, /shendu_serve_inference_duration_seconds_count\{model="slow",version="1"\} \d+/);
      assert.match(r.text, /shendu_serve_batch_size_bucket\{model="two",version="1",le="1"\} \d+/);
      assert.match(r.text, /shendu_serve_model_version_available\{model="corrupt",version="1",state="END"\} 0/);
      assert.match(r.text, /shendu_serve_queue_size 0/);
    });
  });
});
