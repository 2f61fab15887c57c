/**
 * Helpers of the browser tests: headless Chromium (Debian's `chromium` package) through
 * playwright-core, a page that records its script errors, and screenshots kept under
 * test-artifacts/ui/ for people to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../track/helpers.js';

export const CHROMIUM = process.env.SHENDU_CHROMIUM ?? '/usr/bin/chromium';

/** false when Chromium is there, else why the browser tests are skipped. */
export const skipBrowser: false | string = fs.existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM}: the dashboard's browser tests need it (Debian: apt-get install -y chromium; or set SHENDU_CHROMIUM)`;

export const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'ui');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A 1440×900 page; `errors` collects uncaught script errors and errors logged to the
 * console (but not failed requests: the tests check the statuses they provoke).
 */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && !msg.text().startsWith('Failed to load resource') && errors.push(msg.text()));
  return { page, errors };
}

/** Opens a dashboard address and waits until the app has rendered its first page. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready]', { timeout: 15_000 });
}

/** Saves a screenshot as test-artifacts/ui/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForTimeout(150); // let the last frame paint
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}
