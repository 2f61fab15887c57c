import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../../src/index.js';
import { adamUpdate, sgdUpdate } from '../../../src/optim/index.js';
import { nativeAddon, nativeAdamUpdate, nativeSgdUpdate, setIsa, setNumThreads } from '../../../src/backend/native/index.js';
import { Generator } from '../../../src/tensor/random.js';

/** The fused C++ optimizer steps against the TypeScript ones of src/optim, over several steps. */

const addon = nativeAddon();
const skip = addon ? false : 'native addon not built';
const paths = addon ? addon.supportedIsas() : [];
const defaultIsa = addon?.isa() ?? '';

const gen = new Generator(3);
const random = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (gen.uniform() * 2 - 1) * scale);

function assertNear(actual: Float32Array, expected: Float32Array, label: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= 1e-6 + 1e-5 * Math.abs(expected[i]))) {
      assert.fail(`${label}: element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

describe('native fused optimizer steps', { skip }, () => {
  afterEach(() => {
    setIsa(defaultIsa);
    sd.setBackend('native');
  });

  for (const path of paths) {
    it(`Adam, AdamW, AMSGrad and maximize match adamUpdate (${path} path)`, () => {
      assert.ok(setIsa(path));
      const configs = [
        { weightDecay: 0, decoupled: false, amsgrad: false, maximize: false },
        { weightDecay: 0.1, decoupled: false, amsgrad: true, maximize: false },
        { weightDecay: 0.05, decoupled: true, amsgrad: false, maximize: true },
        { weightDecay: 0.01, decoupled: true, amsgrad: true, maximize: false },
      ];
      for (const c of configs) {
        const n = 1027;
        const ours = [random(n), new Float32Array(n), new Float32Array(n), c.amsgrad ? new Float32Array(n) : null] as const;
        const ref = ours.map((a) => a && a.slice()) as unknown as typeof ours;
        for (let step = 1; step <= 5; step++) {
          const grad = random(n, 0.5);
          const h = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: c.weightDecay, maximize: c.maximize, step, decoupled: c.decoupled };
          assert.ok(nativeAdamUpdate(ours[0], grad, ours[1], ours[2], ours[3], h));
          adamUpdate(ref[0], grad, ref[1], ref[2], ref[3], h);
        }
        ours.forEach((a, i) => a && assertNear(a, ref[i]!, `${JSON.stringify(c)} array ${i}`));
      }
    });

    it(`SGD with and without momentum, Nesterov, dampening match sgdUpdate (${path} path)`, () => {
      assert.ok(setIsa(path));
      for (const c of [
        { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
        { momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 1e-3, maximize: false },
        { momentum: 0.8, dampening: 0.3, nesterov: false, weightDecay: 0, maximize: true },
      ]) {
        const n = 999;
        const p = random(n);
        const buf = c.momentum ? new Float32Array(n) : null;
        const pRef = p.slice();
        const bufRef = buf && buf.slice();
        for (let step = 0; step < 4; step++) {
          const grad = random(n);
          const h = { lr: 0.05, ...c, firstStep: step === 0 };
          assert.ok(nativeSgdUpdate(p, grad, buf, h));
          sgdUpdate(pRef, grad, bufRef, h);
        }
        assertNear(p, pRef, `${JSON.stringify(c)} param`);
        if (buf) assertNear(buf, bufRef!, `${JSON.stringify(c)} buffer`);
      }
    });
  }

  it('large tensors, stepped in one slice per thread, give the same bits for 1, 2 and 3 threads', () => {
    const n = (1 << 17) + 13; // above the threshold for splitting, not a multiple of 16
    const start = random(n);
    const grads = [random(n, 0.5), random(n, 0.5)];
    const run = (threads: number) => {
      setNumThreads(threads);
      const p = start.slice();
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const vmax = new Float32Array(n);
      const q = start.slice();
      const buf = new Float32Array(n);
      grads.forEach((g, i) => {
        assert.ok(nativeAdamUpdate(p, g, m, v, vmax, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maximize: false, step: i + 1, decoupled: true }));
        assert.ok(nativeSgdUpdate(q, g, buf, { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true, maximize: false, firstStep: i === 0 }));
      });
      return [p, m, v, vmax, q, buf];
    };
    const defaultThreads = addon!.numThreads();
    try {
      const one = run(1);
      const ref = run(1).map((a) => a.slice());
      one.forEach((a, i) => assert.deepEqual(a, ref[i]));
      for (const threads of [2, 3]) run(threads).forEach((a, i) => assert.deepEqual(a, one[i], `array ${i} with ${threads} threads`));
      // and they are the TypeScript step's numbers
      const p = start.slice();
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const vmax = new Float32Array(n);
      grads.forEach((g, i) => adamUpdate(p, g, m, v, vmax, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maximize: false, step: i + 1, decoupled: true }));
      assertNear(one[0], p, 'Adam param');
    } finally {
      setNumThreads(defaultThreads);
    }
  });

  it('declines float64 arrays and other backends, leaving the arrays untouched', () => {
    const h = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maximize: false, step: 1, decoupled: false };
    const p64 = new Float64Array([1, 2]);
    assert.equal(nativeAdamUpdate(p64, new Float64Array(2), new Float64Array(2), new Float64Array(2), null, h), false);
    assert.deepEqual([...p64], [1, 2]);
    sd.setBackend('js');
    const p = new Float32Array([1, 2]);
    assert.equal(nativeSgdUpdate(p, new Float32Array([1, 1]), null, { lr: 1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: true }), false);
    assert.deepEqual([...p], [1, 2]);
  });
});
