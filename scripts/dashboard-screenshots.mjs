#!/usr/bin/env node
// Screenshots of the dashboard for the README, from a store filled by real runs:
//   npm run demo -- --track && npm run demo -- --track --seed 1
//   node scripts/dashboard-screenshots.mjs [storeHome] [outDir]
// Needs the built package (npm install) and Debian's chromium.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const home = resolve(process.argv[2] ?? '.shendu');
const outDir = resolve(process.argv[3] ?? join(root, 'docs'));
const port = 6123;

const ui = spawn(process.execPath, [join(root, 'dist/src/cli/main.js'), 'ui', '--port', String(port)], {
  env: { ...process.env, SHENDU_HOME: home },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((ok) => ui.stdout.once('data', ok));

const browser = await chromium.launch({
  executablePath: process.env.SHENDU_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  mkdirSync(outDir, { recursive: true });
  for (const [name, hash] of [['dashboard-runs', '#/runs'], ['dashboard-charts', '#/charts']]) {
    await page.goto(`http://127.0.0.1:${port}/${hash}`);
    await page.waitForSelector('body[data-ready]', { timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(outDir, `${name}.png`) });
    console.log(`wrote ${join(outDir, `${name}.png`)}`);
  }
} finally {
  await browser.close();
  ui.kill();
}
