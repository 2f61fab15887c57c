/**
 * The Serving panel in a real browser (headless Chromium): over a store the server's
 * recorder wrote (serving-fixture.ts), a registered model's page shows each version's
 * requests, errors, error rate, percentiles, weight and labels, and draws requests/s and
 * p99 for both versions. The screenshot is test-artifacts/ui/serving.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { TrackingStore } from '../../src/track/store.js';
import { startUi, type UiServer } from '../../src/ui/server.js';
import { tempHome } from '../track/helpers.js';
import { launchBrowser, newPage, open, screenshot, skipBrowser } from './browser.js';
import { fillServing, INTERVALS, SERVED_MODEL } from './serving-fixture.js';

describe('ui: the Serving panel in a browser', { skip: skipBrowser }, () => {
  let store: TrackingStore;
  let ui: UiServer;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  before(async () => {
    const home = tempHome('shendu-ui-serving-browser-');
    store = TrackingStore.open({ home });
    fillServing(store);
    ui = await startUi({ home, port: 0 });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
  });

  after(async () => {
    await browser?.close();
    await ui?.close();
    store?.close();
  });

  it('shows the figures of each version of the A/B test and charts them', async () => {
    await open(page, `${ui.origin}/#/models/${SERVED_MODEL}`);
    await page.waitForSelector('#serving-table tbody tr[data-version="2"]');
    const cells = (version: number) =>
      page.$$eval(`#serving-table tr[data-version="${version}"] td[data-field]`, (tds) => Object.fromEntries(tds.map((td) => [(td as HTMLElement).dataset.field, td.textContent])));
    assert.deepEqual(await cells(1), { weight: '90%', requests: '1,800', errors: '0', 'error-rate': '0%', p50: '0.75 ms', p95: '1.88 ms', p99: '2.3 ms' });
    assert.deepEqual(await cells(2), { weight: '10%', requests: '200', errors: '4', 'error-rate': '2%', p50: '9.17 ms', p95: '23.13 ms', p99: '24.63 ms' });
    assert.match((await page.textContent('#serving-table tr[data-version="1"]')) ?? '', /stable/);
    assert.match((await page.textContent('#serving-table tr[data-version="2"]')) ?? '', /canary/);
    for (const key of ['serving/requests_per_second', 'serving/p99_ms']) {
      await page.locator(`[data-key="${key}"]`).scrollIntoViewIfNeeded();
      const points = await page.evaluate((k) => ['v1', 'v2'].map((id) => (window as any).shendu.charts.get(k).pointsOf(id)), key);
      assert.deepEqual(points.map((p: unknown[]) => p.length), [INTERVALS, INTERVALS], key);
      if (key === 'serving/requests_per_second') assert.deepEqual([points[0][0][1], points[1][0][1]], [18, 2]);
    }
    await page.locator('#serving-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'serving', true);
    assert.deepEqual(errors, []);
  });
});
