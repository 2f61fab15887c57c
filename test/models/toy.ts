/** Small problems and helpers shared by the model tests. */
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';

/**
 * Two Gaussian blobs in 2-D, centred at (−2, −2) and (2, 2): linearly separable.
 * Labels are int32 class indices; `n` samples alternate between the classes.
 */
export function blobs(n: number, seed = 1): { x: sd.Tensor; y: sd.Tensor } {
  const g = new sd.Generator(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const c = cls === 0 ? -2 : 2;
    x[2 * i] = c + 0.7 * g.normal();
    x[2 * i + 1] = c + 0.7 * g.normal();
    y[i] = cls;
  }
  return { x: sd.tensor(x, [n, 2]), y: sd.tensor(y, [n], 'int32') };
}

/** A small classifier of blobs: 2 → 8 (relu) → 2 (softmax). */
export function blobModel(lr = 0.05): sd.LayersModel {
  const model = sd.sequential([
    sd.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }),
    sd.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: { className: 'adam', config: { lr } }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Asserts that a promise rejects with `errorClass` and a message matching `message`. */
export async function assertRejects(promise: Promise<unknown>, errorClass: new (...args: never[]) => Error, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof errorClass, `expected ${errorClass.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.match((err as Error).message, message);
    return true;
  });
}

/** A fresh temporary directory. */
export async function tempDir(): Promise<string> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  return mkdtempSync(join(tmpdir(), 'shendu-models-'));
}
