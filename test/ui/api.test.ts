/**
 * The dashboard's HTTP API without a browser: runs, series, records and the registry as
 * JSON; 404s with messages; 401 without the token; a read-only store; a corrupted store;
 * the live feed; the front end's files; `shendu ui` itself.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { ModelRegistry } from '../../src/track/registry.js';
import { StoreError } from '../../src/track/errors.js';
import { ValueError } from '../../src/errors.js';
import { startUi, type UiServer } from '../../src/ui/server.js';
import { checkBinding, isLoopback } from '../../src/ui/auth.js';
import { ROOT, runNode, tempHome, assertThrowsError } from '../track/helpers.js';

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(url: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { host, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('ui: API', () => {
  let home = '';
  let ui: UiServer;
  let store: TrackingStore;
  const ids: Record<string, string> = {};

  before(async () => {
    home = tempHome('shendu-ui-');
    store = TrackingStore.open({ home });
    const a = startRun({ store, experiment: 'mnist', runName: 'adam', params: { lr: 0.01, optimizer: 'adam' } });
    a.logMetrics({ loss: 0.9, accuracy: 0.5 }, 0);
    a.logMetrics({ loss: 0.5, accuracy: 0.8 }, 1);
    a.logMetric('loss', NaN, 2);
    a.logText('model/summary.txt', 'not a summary');
    a.logHistogram('weights/w', [1, 2, 3, 4], 0);
    a.logConfusionMatrix([[3, 1], [0, 4]], ['cat', 'dog']);
    a.end();
    ids.adam = a.id;
    const long = startRun({ store, experiment: 'mnist', runName: 'long' });
    const points = Array.from({ length: 10_000 }, (_, step) => ({ key: 'loss', value: step === 5000 ? 100 : 1 / (step + 1), step, timestamp: 1_700_000_000_000 + step }));
    store.logMetrics(long.id, points);
    long.end();
    ids.long = long.id;
    const model = startRun({ store, experiment: 'mnist', runName: 'with-model' });
    const file = path.join(home, 'm.safetensors');
    fs.writeFileSync(file, 'weights');
    await model.logModel(file);
    model.end();
    new ModelRegistry(store).register(model.id, 'digits');
    ui = await startUi({ home, port: 0, pollIntervalMs: 50 });
  });

  after(async () => {
    await ui?.close();
    store?.close();
  });

  it('lists runs with params and last metrics, filtered and ordered by the store', async () => {
    const { status, body } = await getJson(`${ui.origin}/api/runs`);
    assert.equal(status, 200);
    assert.deepEqual(body.map((r: any) => r.name).sort(), ['adam', 'long', 'with-model']);
    const adam = body.find((r: any) => r.name === 'adam');
    assert.deepEqual(adam.params, { lr: '0.01', optimizer: 'adam' });
    assert.equal(adam.metrics.accuracy.value, 0.8);
    assert.equal(adam.metrics.loss.value, null, 'NaN travels as null in JSON');
    const filtered = await getJson(`${ui.origin}/api/runs?filter=${encodeURIComponent("params.optimizer = 'adam'")}`);
    assert.deepEqual(filtered.body.map((r: any) => r.name), ['adam']);
    const bad = await getJson(`${ui.origin}/api/runs?filter=${encodeURIComponent('metrics.loss <<< 1')}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /filter|expected|unexpected/i);
    const experiments = await getJson(`${ui.origin}/api/experiments`);
    assert.deepEqual(experiments.body.map((e: any) => [e.name, e.runCount]), [['mnist', 3]]);
  });

  it('shows a run by id or prefix, with artifacts, histogram keys and records', async () => {
    const { status, body } = await getJson(`${ui.origin}/api/runs/${ids.adam.slice(0, 8)}`);
    assert.equal(status, 200);
    assert.equal(body.run.id, ids.adam);
    assert.deepEqual(body.artifacts.map((a: any) => a.path), ['model/summary.txt']);
    assert.deepEqual(body.histogramKeys, ['weights/w']);
    assert.deepEqual(body.records.map((r: any) => r.kind), ['confusion_matrix']);
    const records = await getJson(`${ui.origin}/api/runs/${ids.adam}/records?kind=confusion_matrix`);
    assert.deepEqual(records.body[0].data, { labels: ['cat', 'dog'], matrix: [[3, 1], [0, 4]] });
    const hist = await getJson(`${ui.origin}/api/runs/${ids.adam}/histograms`);
    assert.equal(hist.body[0].count, 4);
    const artifact = await fetch(`${ui.origin}/api/runs/${ids.adam}/artifacts/model/summary.txt`);
    assert.equal(artifact.status, 200);
    assert.match(artifact.headers.get('content-type') ?? '', /text\/plain/);
    assert.equal(await artifact.text(), 'not a summary');
  });

  it('answers 404 with a message for unknown runs, metrics, artifacts, models and routes', async () => {
    const cases: [string, RegExp][] = [
      [`/api/runs/0123456789abcdef`, /no run with id '0123456789abcdef'/],
      [`/api/runs/nope/graph`, /no run with id 'nope'/],
      [`/api/runs/${ids.adam}/metric?key=missing`, /has no metric 'missing'/],
      [`/api/runs/${ids.adam}/artifacts/nothing.txt`, /has no artifact 'nothing.txt'/],
      [`/api/runs/${ids.adam}/graph`, /logged no model architecture/],
      [`/api/models/unknown`, /no registered model 'unknown'/],
      [`/api/series?runs=feedbeef&key=loss`, /no run with id 'feedbeef'/],
      [`/api/events?runs=feedbeef`, /no run with id 'feedbeef'/],
      [`/api/nothing-here`, /no API route GET \/api\/nothing-here/],
      [`/assets/../package.json`, /no (asset|page)/],
    ];
    for (const [url, message] of cases) {
      const { status, body } = await getJson(`${ui.origin}${url}`);
      assert.equal(status, 404, url);
      assert.equal(body.error, 'NotFound', url);
      assert.match(body.message, message, url);
    }
    const bad = await getJson(`${ui.origin}/api/series?runs=${ids.adam}&key=loss&x=epoch`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /x must be 'step' or 'time', got 'epoch'/);
  });

  it('sends short series exactly, and long ones thinned with their extremes', async () => {
    const short = await getJson(`${ui.origin}/api/series?runs=${ids.adam},${ids.long}&key=accuracy`);
    assert.equal(short.status, 200);
    assert.deepEqual(short.body.series, [{ run: ids.adam, key: 'accuracy', count: 2, downsampled: false, x: [0, 1], y: [0.5, 0.8] }]);
    assert.ok(short.body.cursor > 0);
    const long = await getJson(`${ui.origin}/api/series?runs=${ids.long}&key=loss&points=1000`);
    const [series] = long.body.series;
    assert.equal(series.count, 10_000);
    assert.equal(series.downsampled, true);
    assert.ok(series.x.length <= 1002 && series.x.length > 500, `${series.x.length} points`);
    assert.equal(series.y[series.x.indexOf(5000)], 100, 'the spike is kept');
    assert.deepEqual([series.x[0], series.y[0]], [0, 1]);
    const byTime = await getJson(`${ui.origin}/api/series?runs=${ids.long}&key=loss&x=time&points=1000`);
    assert.equal(byTime.body.series[0].x[0], 1_700_000_000_000);
    const exact = await getJson(`${ui.origin}/api/runs/${ids.adam}/metric?key=loss`);
    assert.deepEqual(exact.body.map((p: any) => [p.step, p.value]), [[0, 0.9], [1, 0.5], [2, null]]);
  });

  it('serves the registry with links back to runs', async () => {
    const models = await getJson(`${ui.origin}/api/models`);
    assert.deepEqual(models.body.map((m: any) => [m.name, m.latestVersion]), [['digits', 1]]);
    const digits = await getJson(`${ui.origin}/api/models/digits`);
    assert.equal(digits.body.versions[0].source, `runs:/${digits.body.versions[0].runId}/model/m.safetensors`);
  });

  it('serves the page, its modules and uPlot from the package, with no network', async () => {
    const page = await fetch(`${ui.origin}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<script type="module" src="assets\/js\/app.js">/);
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//, 'no remote resources');
    for (const file of ['assets/js/app.js', 'assets/styles.css', 'vendor/uplot.esm.js', 'vendor/uplot.min.css']) {
      const res = await fetch(`${ui.origin}/${file}`);
      assert.equal(res.status, 200, file);
      const etag = res.headers.get('etag') ?? '';
      assert.equal((await fetch(`${ui.origin}/${file}`, { headers: { 'if-none-match': etag } })).status, 304, file);
    }
  });

  it('pushes new points and status changes as server-sent events', async () => {
    const run = startRun({ store, experiment: 'mnist', runName: 'live' });
    run.logMetric('loss', 3, 0);
    const controller = new AbortController();
    const res = await fetch(`${ui.origin}/api/events?runs=${run.id}`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    let text = '';
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 5000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${text}`);
        const { value } = await reader.read();
        text += new TextDecoder().decode(value);
      }
    };
    await until(/event: hello/);
    run.logMetric('loss', 2.5, 1);
    store.logMetrics(ids.adam, [{ key: 'other', value: 1, step: 9, timestamp: Date.now() }]); // another run: not sent
    await until(/event: metrics/);
    const event = JSON.parse(/event: metrics\ndata: (.*)\n/.exec(text)![1]);
    assert.deepEqual(event.points.map((p: unknown[]) => [p[1], p[2], p[3], p[5]]), [[run.id, 'loss', 1, 2.5]]);
    run.end();
    await until(/event: runs/);
    const runs = JSON.parse(/event: runs\ndata: (.*)\n/.exec(text)![1]);
    assert.deepEqual(runs.runs.map((r: any) => [r.id, r.status]), [[run.id, 'FINISHED']]);
    controller.abort();
  });

  it('never writes to the store: no sweep of dead runs, the file unchanged', async () => {
    // a RUNNING run of a process that is gone: a read-write open would mark it FAILED
    const dead = store.createRun({ experiment: 'mnist', name: 'dead' });
    store.db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(2 ** 22 + 12345, dead);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = sha(path.join(home, 'store.db'));
    for (const url of ['/api/runs', `/api/runs/${dead}`, '/api/models', `/api/series?runs=${ids.long}&key=loss`, '/api/experiments']) {
      assert.equal((await fetch(`${ui.origin}${url}`)).status, 200, url);
    }
    const { body } = await getJson(`${ui.origin}/api/runs/${dead}`);
    assert.equal(body.run.status, 'RUNNING');
    assert.equal(ui.data.open()?.readonly, true);
    assert.equal(sha(path.join(home, 'store.db')), before);
    store.deleteRun(dead);
  });

  it('refuses requests naming another host when it has no token (DNS rebinding)', async () => {
    const { status, body } = await getWithHost(`${ui.origin}/api/runs`, 'attacker.example:6006');
    assert.equal(status, 403);
    assert.match(body.message, /host 'attacker.example:6006' is not allowed/);
    assert.equal((await getWithHost(`${ui.origin}/api/runs`, 'localhost:6006')).status, 200);
    assert.equal((await getWithHost(`${ui.origin}/api/runs`, '[::1]:6006')).status, 200);
  });
});

describe('ui: token', () => {
  const token = 'correct-horse-battery';
  let ui: UiServer;

  before(async () => {
    const home = tempHome('shendu-ui-token-');
    const store = TrackingStore.open({ home });
    startRun({ store, runName: 'secret' }).end();
    store.close();
    ui = await startUi({ home, port: 0, token });
  });

  after(async () => ui?.close());

  it('answers 401 without the token or with a wrong one, on every route', async () => {
    for (const url of ['/api/runs', '/', '/assets/js/app.js', '/vendor/uplot.esm.js', '/api/events']) {
      const missing = await fetch(`${ui.origin}${url}`);
      assert.equal(missing.status, 401, url);
      const wrong = await fetch(`${ui.origin}${url}`, { headers: { authorization: 'Bearer wrong-token-123' } });
      assert.equal(wrong.status, 401, url);
    }
    const { body } = await getJson(`${ui.origin}/api/runs`);
    assert.deepEqual(body.error, 'Unauthorized');
    assert.match(body.message, /needs a token/);
    assert.match((await getJson(`${ui.origin}/api/runs?token=nope`)).body.message, /wrong token/);
    const page = await fetch(`${ui.origin}/`, { headers: { accept: 'text/html' } });
    assert.match(await page.text(), /Token required/);
  });

  it('accepts the token as a bearer header, a ?token= link (setting a cookie) or that cookie', async () => {
    assert.equal((await fetch(`${ui.origin}/api/runs`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const link = await fetch(ui.url);
    assert.equal(link.status, 200);
    const cookie = link.headers.get('set-cookie') ?? '';
    assert.match(cookie, /shendu_ui_token=.*HttpOnly; SameSite=Strict/);
    const withCookie = await getJson(`${ui.origin}/api/runs`, { headers: { cookie: cookie.split(';')[0] } });
    assert.equal(withCookie.status, 200);
    assert.deepEqual(withCookie.body.map((r: any) => r.name), ['secret']);
    // with a token, any host name may be used to reach it
    assert.equal((await getWithHost(`${ui.origin}/api/runs`, 'gpu-box.lan:6006', { authorization: `Bearer ${token}` })).status, 200);
  });

  it('requires a token to bind anything but loopback', () => {
    assert.ok(isLoopback('127.0.0.1') && isLoopback('localhost') && isLoopback('::1') && isLoopback('[::1]') && isLoopback('127.1.2.3'));
    assert.ok(!isLoopback('0.0.0.0') && !isLoopback('192.168.1.5') && !isLoopback('::') && !isLoopback('example.com'));
    assertThrowsError(() => checkBinding('0.0.0.0', undefined), ValueError, /binding 0\.0\.0\.0 .* --token <token> or SHENDU_UI_TOKEN/);
    assertThrowsError(() => checkBinding('0.0.0.0', 'short'), ValueError, /at least 8 characters/);
    checkBinding('0.0.0.0', token);
    checkBinding('127.0.0.1', undefined);
  });
});

describe('ui: store states', () => {
  it('starts on a folder with no store yet, then shows runs once they are tracked', async () => {
    const home = tempHome('shendu-ui-empty-');
    const ui = await startUi({ home, port: 0 });
    try {
      assert.deepEqual((await getJson(`${ui.origin}/api/runs`)).body, []);
      assert.deepEqual((await getJson(`${ui.origin}/api/models`)).body, []);
      assert.equal((await getJson(`${ui.origin}/api/status`)).body.storeExists, false);
      assert.match((await getJson(`${ui.origin}/api/runs/abcd`)).body.message, /nothing has been tracked in/);
      assert.ok(!fs.existsSync(path.join(home, 'store.db')), 'the dashboard does not create the store');
      const store = TrackingStore.open({ home });
      startRun({ store, runName: 'first' }).end();
      store.close();
      assert.deepEqual((await getJson(`${ui.origin}/api/runs`)).body.map((r: any) => r.name), ['first']);
    } finally {
      await ui.close();
    }
  });

  it('reports a corrupted store file clearly: at start, in the CLI, and on requests', async () => {
    const home = tempHome('shendu-ui-corrupt-');
    const file = path.join(home, 'store.db');
    fs.writeFileSync(file, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    await assert.rejects(startUi({ home, port: 0 }), (err: unknown) => err instanceof StoreError && /tracking store '.*store\.db' is corrupted or not a Shendu store/.test((err as Error).message));
    // a dashboard started before the store existed, which then appears broken
    const later = tempHome('shendu-ui-later-');
    const ui = await startUi({ home: later, port: 0 });
    try {
      fs.copyFileSync(file, path.join(later, 'store.db'));
      for (const url of ['/api/runs', '/api/runs/abcd', '/api/models']) {
        const { status, body } = await getJson(`${ui.origin}${url}`);
        assert.equal(status, 500, url);
        assert.equal(body.error, 'StoreError');
        assert.match(body.message, /tracking store '.*store\.db' is corrupted or not a Shendu store/);
      }
    } finally {
      await ui.close();
    }
    const cli = await runNode(['src/cli/main.ts', 'ui', '--port', '0', '--home', home]);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^shendu: tracking store '.*store\.db' is corrupted or not a Shendu store/m);
  });
});

describe('cli: shendu ui', () => {
  it('refuses a non-loopback address without a token, and a bad port', async () => {
    const home = tempHome('shendu-ui-cli-');
    const open = await runNode(['src/cli/main.ts', 'ui', '--host', '0.0.0.0', '--home', home], { SHENDU_UI_TOKEN: '' });
    assert.equal(open.code, 1);
    assert.match(open.stderr, /shendu: ui: binding 0\.0\.0\.0 makes the dashboard reachable from other machines; give a token/);
    const port = await runNode(['src/cli/main.ts', 'ui', '--port', '70000', '--home', home]);
    assert.equal(port.code, 1);
    assert.match(port.stderr, /--port must be an integer from 0 to 65535, got '70000'/);
  });

  it('serves until interrupted, printing the address (with the token from SHENDU_UI_TOKEN)', async () => {
    const home = tempHome('shendu-ui-cli-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ui', '--port', '0', '--home', home], {
      cwd: ROOT,
      env: { ...process.env, SHENDU_UI_TOKEN: 'env-token-12345' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const deadline = Date.now() + 20_000;
    while (!/press Ctrl\+C/.test(out)) {
      assert.ok(Date.now() < deadline, `no address printed: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /Shendu dashboard: (\S+)/.exec(out)![1];
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=env-token-12345$/);
    assert.match(out, /empty: runs appear here as they are tracked/);
    assert.equal((await fetch(url)).status, 200);
    assert.equal((await fetch(url.replace(/\?.*/, 'api/runs'))).status, 401);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
