import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { nativeAddon } from '../../../src/backend/native/index.js';

/**
 * The native backend fixes glibc's malloc thresholds so that the buffers of one training
 * step reuse the memory freed by the previous one instead of faulting fresh pages in
 * (native/src/memory.cc). Measured in child processes, with and without the tuning: a
 * 400 KB matmul output allocated again and again.
 */

const glibc = Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })?.header?.glibcVersionRuntime);
const skip = !nativeAddon() ? 'native addon not built' : !glibc ? 'not glibc' : false;

const CHILD = `
import * as sd from './src/index.js';
sd.setBackend('native');
const x = sd.randn([32, 784]), dy = sd.randn([32, 128]);
const step = () => sd.matmul(x, dy, { transposeA: true }); // [784,128]: 400 KB
for (let i = 0; i < 500; i++) step();
const before = process.resourceUsage().minorPageFault;
for (let i = 0; i < 1000; i++) step();
console.log((process.resourceUsage().minorPageFault - before) / 1000);
`;

function faultsPerStep(env: Record<string, string>): number {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  assert.equal(child.status, 0, child.stderr);
  return Number(child.stdout.trim().split('\n').at(-1));
}

describe('native malloc tuning', { skip }, () => {
  it('keeps freed tensor memory for reuse: few page faults per step, many without the tuning', () => {
    const tuned = faultsPerStep({});
    const untuned = faultsPerStep({ SHENDU_MALLOC_TUNING: '0' });
    // 400 KB is 100 pages: without reuse most of them fault on every step
    assert.ok(tuned < 12, `tuned: ${tuned} page faults per step, expected < 12`);
    assert.ok(untuned > 2 * tuned + 5, `untuned: ${untuned} page faults per step, expected well above the tuned ${tuned}`);
  });
});
