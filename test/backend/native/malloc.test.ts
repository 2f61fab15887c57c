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
import { nativeAddon } from './src/backend/native/index.js';
sd.setBackend('native');
const x = sd.randn([32, 784]), dy = sd.randn([32, 128]);
const step = () => sd.matmul(x, dy, { transposeA: true }); // [784,128]: 400 KB
for (let i = 0; i < 500; i++) step();
const before = process.resourceUsage().minorPageFault;
for (let i = 0; i < 1000; i++) step();
console.log(JSON.stringify({ tuned: nativeAddon().mallocTuned, faults: (process.resourceUsage().minorPageFault - before) / 1000 }));
`;

function run(env: Record<string, string>): { tuned: boolean; faults: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
}

describe('native malloc tuning', { skip }, () => {
  it('fixes the thresholds unless SHENDU_MALLOC_TUNING=0, and then a 400 KB output costs few page faults per step', () => {
    const tuned = run({});
    assert.equal(tuned.tuned, true);
    assert.equal(run({ SHENDU_MALLOC_TUNING: '0' }).tuned, false);
    // 400 KB is 100 pages; without reuse (glibc's defaults, on a quiet machine) most of them
    // fault on every step. The count is not compared with the untuned one: how often the
    // collector frees, and so how glibc's adaptive thresholds move, depends on the load.
    assert.ok(tuned.faults < 25, `tuned: ${tuned.faults} page faults per step, expected < 25`);
  });
});
