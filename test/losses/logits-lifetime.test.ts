/**
 * The logits a Keras softmax remembers must die with its output in V8's minor collections.
 * Held from a WeakMap, they did not: an output still alive at one scavenge (a training
 * step in progress) left its logits to be promoted at the next, after the output had died,
 * so a training loop promoted part of every step, which grew Node's young generation to
 * its maximum and the process's peak memory with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as sd from '../../src/index.js';
import { rememberLogits } from '../../src/losses/logits.js';

// `gc` without starting Node with --expose-gc: a context created after the flag is set gets it.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options?: { type: 'minor' }) => void;

const LOGITS_BYTES = 64 * 1024;
const STEPS = 40;

/** A softmax output with its logits recorded, as a Keras softmax activation returns it. */
function softmaxOutput(): sd.Tensor {
  const logits = sd.tensor(new Float32Array(LOGITS_BYTES / 4), [LOGITS_BYTES / 4]);
  return rememberLogits(sd.softmax(logits), logits, 'softmax');
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

test('remembered logits die with their output in minor collections', async () => {
  gc();
  let output: sd.Tensor | null = softmaxOutput(); // whatever records logits is old now, as in a long run
  gc();
  await pause();
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < STEPS; i++) {
    output = softmaxOutput();
    gc({ type: 'minor' }); // the step is still running: its output survives this scavenge
    output = null;
    gc({ type: 'minor' }); // the step is over: its output and logits should go now
  }
  await pause();
  const held = process.memoryUsage().arrayBuffers - before;
  // promoted logits would hold STEPS x 64 KiB (2.5 MiB) until the next full collection
  assert.ok(held < (STEPS * LOGITS_BYTES) / 4, `minor collections left ${(held / 1024).toFixed(0)} KiB of array buffers alive`);
});
