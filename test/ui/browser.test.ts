/**
 * The dashboard in a real browser (headless Chromium), against a store filled by a real
 * short training run: what a person sees — the runs in the table, charts whose points are
 * the logged values, a point appearing while a run trains, the model picture, histograms,
 * the confusion matrix, sample images, the comparison and the registry. Screenshots of the
 * main pages are kept in test-artifacts/ui/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { startUi, type UiServer } from '../../src/ui/server.js';
import { tempHome } from '../track/helpers.js';
import { fillStore, type FilledStore } from './fixture.js';
import { launchBrowser, newPage, open, screenshot, skipBrowser } from './browser.js';

/** The points the chart of `key` draws for run `runId`, as [x, y] pairs (empty until drawn). */
function chartPoints(page: Page, key: string, runId: string): Promise<[number, number | null][]> {
  return page.evaluate(([k, id]) => (window as any).shendu?.charts.get(k)?.pointsOf(id) ?? [], [key, runId] as const);
}

async function waitForPoints(page: Page, key: string, runId: string, count: number): Promise<[number, number | null][]> {
  await page.locator(`[data-key="${key}"]`).scrollIntoViewIfNeeded();
  await page.waitForFunction(([k, id, n]) => ((window as any).shendu?.charts.get(k)?.pointsOf(id) ?? []).length >= n, [key, runId, count] as const, { timeout: 15_000 });
  return chartPoints(page, key, runId);
}

describe('ui: in a browser', { skip: skipBrowser }, () => {
  let home = '';
  let store: TrackingStore;
  let filled: FilledStore;
  let ui: UiServer;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  before(async () => {
    home = tempHome('shendu-ui-browser-');
    store = TrackingStore.open({ home });
    filled = await fillStore(store);
    ui = await startUi({ home, port: 0, pollIntervalMs: 150 });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
  });

  after(async () => {
    await browser?.close();
    await ui?.close();
    store?.close();
  });

  it('lists the runs in the table, with their status, params and metrics', async () => {
    await open(page, `${ui.origin}/#/runs`);
    await page.waitForSelector('#runs-table tbody tr');
    const rows = await page.$$eval('#runs-table tbody tr', (trs) => trs.map((tr) => ({ id: (tr as HTMLElement).dataset.run, text: tr.textContent ?? '' })));
    assert.deepEqual(rows.map((r) => r.id), [filled.diverged, filled.functional, filled.slow, filled.mlp], 'newest first');
    const mlp = rows[3].text;
    assert.match(mlp, /mlp-adam/);
    assert.match(mlp, /FINISHED/);
    assert.match(rows[0].text, /FAILED/);
    assert.match(rows[0].text, /NaN/, 'the last loss of the diverged run');
    const lastAccuracy = filled.logged.accuracy[filled.logged.accuracy.length - 1].value;
    assert.ok(mlp.includes(String(Number(lastAccuracy.toPrecision(5)))), `last accuracy ${lastAccuracy} in "${mlp}"`);
    await screenshot(page, 'runs');
    // the search box filters as one types
    await page.fill('input[aria-label="search runs"]', 'slow');
    assert.equal(await page.locator('#runs-table tbody tr').count(), 1);
    await page.fill('input[aria-label="search runs"]', '');
    // a filter expression goes to the store
    await page.fill('input[aria-label="filter expression"]', 'params.hidden > 40');
    await page.press('input[aria-label="filter expression"]', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 2);
    assert.deepEqual(await page.$$eval('#runs-table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.run)), [filled.diverged, filled.mlp]);
    await page.fill('input[aria-label="filter expression"]', 'metrics.loss <<< 1');
    await page.press('input[aria-label="filter expression"]', 'Enter');
    await page.waitForSelector('input[aria-label="filter expression"].error');
    await page.fill('input[aria-label="filter expression"]', '');
    await page.press('input[aria-label="filter expression"]', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 4);
  });

  it('charts every metric with points equal to the logged values, runs overlaid', async () => {
    await open(page, `${ui.origin}/#/charts`);
    for (const [key, points] of Object.entries(filled.logged)) {
      const drawn = await waitForPoints(page, key, filled.mlp, points.length);
      assert.deepEqual(drawn, points.map((p) => [p.step, p.value]), key);
    }
    const slow = await waitForPoints(page, 'loss', filled.slow, 3);
    assert.equal(slow.length, 3, 'the second run is overlaid on the same chart');
    assert.deepEqual(await waitForPoints(page, 'loss', filled.diverged, 3), [[0, 2.3], [1, 41.7], [2, null]], 'NaN is a gap');
    const fitted = await waitForPoints(page, 'val_accuracy', filled.functional, 2);
    const logged = store.getMetricHistory(filled.functional, 'val_accuracy').map((p) => [p.step, p.value]);
    assert.deepEqual(fitted, logged, 'metrics logged by fit through the TrackingCallback');
    const batch = await waitForPoints(page, 'batch/loss', filled.mlp, 10);
    assert.deepEqual(batch.map(([x]) => x), [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    await page.locator('[data-key="accuracy"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'charts');
    // log scale and wall-clock time redraw the same points
    await page.check('input[aria-label="log scale"]');
    await page.click('button[data-x="wall"]');
    const byTime = await waitForPoints(page, 'loss', filled.mlp, 3);
    assert.deepEqual(byTime.map(([, y]) => y), filled.logged.loss.map((p) => p.value));
    assert.ok(byTime.every(([x]) => x > 1.6e9), 'x is wall-clock time in seconds');
    await page.uncheck('input[aria-label="log scale"]');
    await page.click('button[data-x="step"]');
  });

  it('adds a point to the chart while a run trains, without reloading the page', async () => {
    const run = startRun({ store, experiment: 'mnist', runName: 'training-now' });
    run.logParams({ hidden: 16, 'optimizer.config.lr': 0.01 });
    run.logMetric('loss', 2.5, 0);
    await open(page, `${ui.origin}/#/run/${run.id}/charts`);
    assert.deepEqual(await waitForPoints(page, 'loss', run.id, 1), [[0, 2.5]]);
    await page.evaluate(() => ((window as any).sameDocument = true));
    run.logMetric('loss', 1.25, 1);
    assert.deepEqual(await waitForPoints(page, 'loss', run.id, 2), [[0, 2.5], [1, 1.25]]);
    // a metric the run had not logged before gets its own chart
    run.logMetric('accuracy', 0.5, 1);
    assert.deepEqual(await waitForPoints(page, 'accuracy', run.id, 1), [[1, 0.5]]);
    await page.waitForSelector('.run-head .badge.RUNNING');
    await screenshot(page, 'live');
    run.end();
    await page.waitForSelector('.run-head .badge.FINISHED', { timeout: 15_000 });
    assert.equal(await page.evaluate(() => (window as any).sameDocument), true, 'no reload');
    // the runs table shows the new run too
    await page.click('nav a[data-nav="runs"]');
    await page.waitForSelector(`#runs-table tr[data-run="${run.id}"]`);
    store.deleteRun(run.id);
  });

  it('draws the model: layers with output shapes and parameter counts, branches side by side', async () => {
    await open(page, `${ui.origin}/#/run/${filled.mlp}/model`);
    await page.waitForSelector('#model-graph');
    const layers = await page.$$eval('#model-graph .graph-node', (gs) => gs.map((g) => ({ name: (g as SVGElement).dataset.layer, text: g.textContent ?? '' })));
    assert.deepEqual(layers.map((l) => l.name), ['input', ...filled.layers.map((l) => l.name)]);
    for (const layer of filled.layers) {
      const text = layers.find((l) => l.name === layer.name)!.text;
      assert.ok(text.includes(layer.className) && text.includes(layer.outputShape), text);
      if (layer.params) assert.ok(text.includes(`${layer.params.toLocaleString('en-US')} params`), text);
    }
    assert.equal(await page.locator('#model-graph .graph-edge').count(), 3);
    await page.click('#model-graph [data-layer="dense"]');
    await page.waitForSelector('text=units');
    await screenshot(page, 'model');

    await open(page, `${ui.origin}/#/run/${filled.functional}/model`);
    await page.waitForSelector('#model-graph');
    assert.equal(await page.locator('#model-graph .graph-node').count(), 8);
    assert.equal(await page.locator('#model-graph .graph-edge').count(), 8);
    const at = (name: string) => page.$eval(`#model-graph [data-layer="${name}"]`, (g) => (g as SVGGElement).getBBox && (g as SVGGElement).getAttribute('transform'));
    const xy = async (name: string) => (/translate\(([\d.]+),([\d.]+)\)/.exec((await at(name)) ?? '') ?? []).slice(1).map(Number);
    const [ax, ay] = await xy('pool_a');
    const [bx, by] = await xy('pool_b');
    const [cx, cy] = await xy('concat');
    assert.equal(ay, by, 'the two branches sit on one row');
    assert.notEqual(ax, bx);
    assert.ok(cy > ay && cx > Math.min(ax, bx) && cx < Math.max(ax, bx), 'the merge is below, between them');
    await screenshot(page, 'model-functional');
  });

  it('shows weight and gradient histograms, the confusion matrix and sample predictions', async () => {
    await open(page, `${ui.origin}/#/run/${filled.mlp}/histograms`);
    await page.waitForSelector('[data-histogram]');
    const keys = await page.$$eval('[data-histogram]', (els) => els.map((e) => (e as HTMLElement).dataset.histogram));
    assert.deepEqual(keys.sort(), ['gradients/1.bias', 'gradients/1.weight', 'gradients/3.bias', 'gradients/3.weight', 'weights/1.bias', 'weights/1.weight', 'weights/3.bias', 'weights/3.weight']);
    assert.equal(await page.locator('[data-histogram="weights/1.weight"] path[data-step]').count(), 3, 'one curve per epoch');
    await screenshot(page, 'histograms');

    await open(page, `${ui.origin}/#/run/${filled.mlp}/evaluation`);
    await page.waitForSelector('[data-confusion]');
    const matrix = store.getRecords<{ matrix: number[][] }>(filled.mlp, 'confusion_matrix')[0].data.matrix;
    const cells = await page.$$eval('[data-cell]', (tds) => tds.map((td) => [(td as HTMLElement).dataset.cell, td.textContent]));
    assert.equal(cells.length, 100);
    for (const [at, text] of cells) {
      const [i, j] = at!.split(',').map(Number);
      assert.equal(text, matrix[i][j] === 0 ? '' : String(matrix[i][j]), `cell ${at}`);
    }
    const images = await page.$$eval('figure[data-label]', (figs) => figs.map((f) => [(f as HTMLElement).dataset.label, (f as HTMLElement).dataset.prediction, (f.querySelector('img') as HTMLImageElement).naturalWidth]));
    assert.equal(images.length, 12);
    await page.waitForFunction(() => [...document.querySelectorAll('figure img')].every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 28));
    const record = store.getRecords<{ images: { label: string; prediction: string }[] }>(filled.mlp, 'images')[0].data.images;
    assert.deepEqual(images.map(([label, prediction]) => [label, prediction]), record.map((im) => [im.label, im.prediction]));
    await screenshot(page, 'evaluation');
  });

  it('compares the selected runs: parallel coordinates and a hyperparameter table', async () => {
    await open(page, `${ui.origin}/#/runs`);
    await page.check(`#runs-table tr[data-run="${filled.mlp}"] input[type=checkbox]`);
    await page.check(`#runs-table tr[data-run="${filled.slow}"] input[type=checkbox]`);
    await page.click('a.btn:has-text("Compare 2")');
    await page.waitForSelector('#parallel');
    assert.equal(await page.locator('#parallel path.line').count(), 2);
    const rows = await page.$$eval('#hparams-table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.run));
    assert.deepEqual(rows.sort(), [filled.mlp, filled.slow].sort());
    const headers = await page.$$eval('#hparams-table th', (ths) => ths.map((th) => th.textContent));
    assert.ok(headers.some((t) => t?.includes('hidden')) && headers.some((t) => t?.includes('optimizer.config.lr')), headers.join('|'));
    assert.ok(!headers.some((t) => t?.includes('batchSize')), 'params equal in both runs are left out');
    await screenshot(page, 'compare');
  });

  it('shows the registry: models, versions, aliases and links back to their runs', async () => {
    await open(page, `${ui.origin}/#/models`);
    await page.waitForSelector('#models-table tr[data-model="mnist-mlp"]');
    const row = await page.textContent('#models-table tr[data-model="mnist-mlp"]');
    assert.match(row ?? '', /v2/);
    assert.match(row ?? '', /@champion → v2/);
    await page.click('#models-table a:has-text("mnist-mlp")');
    await page.waitForSelector('#versions-table tr[data-version="2"]');
    assert.match((await page.textContent('#versions-table tr[data-version="2"]')) ?? '', /@champion.*mlp-adam/s);
    await screenshot(page, 'models');
    await page.click('#versions-table tr[data-version="1"] a');
    await page.waitForSelector('.run-head h1');
    assert.equal(await page.textContent('.run-head h1'), 'mlp-adam-slow');
    assert.deepEqual(errors, [], 'no script errors on any page');
  });

  it('says what is missing for an unknown run or model', async () => {
    await open(page, `${ui.origin}/#/run/0123456789abcdef`);
    await page.waitForSelector('.empty h2');
    assert.match((await page.textContent('.empty')) ?? '', /Not found.*no run with id '0123456789abcdef'/s);
    await open(page, `${ui.origin}/#/models/nope`);
    await page.waitForSelector('.empty h2');
    assert.match((await page.textContent('.empty')) ?? '', /no registered model 'nope'/);
  });

  it('asks for the token, then works from the printed link', async () => {
    const token = 'browser-token-42';
    const guarded = await startUi({ home, port: 0, token });
    const { page: other } = await newPage(browser);
    try {
      await other.goto(`${guarded.origin}/`);
      assert.match((await other.textContent('body')) ?? '', /Token required/);
      await open(other, guarded.url);
      await other.waitForSelector(`#runs-table tr[data-run="${filled.mlp}"]`);
      assert.doesNotMatch(other.url(), /token=/, 'the token leaves the address bar');
      await other.click('nav a[data-nav="charts"]');
      await waitForPoints(other, 'loss', filled.mlp, 3);
      await other.waitForSelector('#live.on');
    } finally {
      await other.close();
      await guarded.close();
    }
  });
});

describe('ui: a large store in a browser', { skip: skipBrowser }, () => {
  it('charts 100 runs of 10,000 points each, thinned on the server', async (t) => {
    const home = tempHome('shendu-ui-big-');
    const store = TrackingStore.open({ home });
    const start = Date.now() - 3_600_000;
    for (let r = 0; r < 100; r++) {
      const id = store.createRun({ experiment: 'sweep', name: `trial-${String(r).padStart(3, '0')}` });
      store.logParams(id, { lr: 10 ** (-4 + (r % 10) / 3), layers: 1 + (r % 4) });
      const decay = 1 + (r % 10) / 10;
      store.logMetrics(id, Array.from({ length: 10_000 }, (_, step) => ({ key: 'loss', value: 2 / (1 + (decay * step) / 500) + 0.01 * Math.sin(step + r), step, timestamp: start + step * 100 })));
      store.setStatus(id, 'FINISHED');
    }
    store.close();
    const ui = await startUi({ home, port: 0 });
    const browser = await launchBrowser();
    try {
      const { page, errors } = await newPage(browser);
      const drawn = async () => {
        await page.waitForSelector('body[data-ready]');
        await page.waitForFunction(() => (window as any).shendu?.charts.get('loss')?.u?.series.length > 100, null, { timeout: 60_000 });
        // ms from the start of navigation to the chart drawn, as the page measures it
        return Math.round(await page.evaluate(() => (window as any).shendu.charts.get('loss').drawnAt));
      };
      // opened at once, while the server is still reading the store
      await page.goto(`${ui.origin}/#/charts`);
      const cold = await drawn();
      const sizes = await page.evaluate(() => {
        const chart = (window as any).shendu.charts.get('loss');
        return [...chart.data.values()].map((s: { x: number[]; count: number; downsampled: boolean }) => [s.x.length, s.count, s.downsampled] as const);
      });
      assert.equal(sizes.length, 100);
      for (const [points, count, downsampled] of sizes) {
        assert.equal(count, 10_000);
        assert.ok(downsampled && points <= 3000, `${points} points sent for ${count}`);
      }
      // what a person sees on opening the dashboard once the server has read the store
      await ui.warmed;
      await page.reload();
      const warm = await drawn();
      t.diagnostic(`100 runs x 10,000 points: the chart is drawn ${warm} ms after navigation starts (${cold} ms when opened while the server was still reading the store)`);
      await screenshot(page, 'charts-100-runs');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await ui.close();
    }
  });
});
