/**
 * backward() reuses the buffers of intermediate gradients in the next pass (the native
 * backend's kernels draw from tensor/recycle.ts). What it leaves behind — every .grad, a
 * retained gradient — must never be reused, whatever the caller does with it afterwards.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { recycleStats } from '../../src/tensor/recycle.js';
import { describeEachBackend } from '../helpers.js';

const BATCH = 32;

function model(): sd.nn.Sequential {
  sd.seed(3);
  return new sd.nn.Sequential(new sd.nn.Linear(64, 256), new sd.nn.ReLU(), new sd.nn.Linear(256, 10));
}

function batch(step: number): { x: sd.Tensor; y: sd.Tensor } {
  sd.seed(100 + step);
  return { x: sd.randn([BATCH, 64]), y: sd.tensor(Int32Array.from({ length: BATCH }, (_, i) => (i + step) % 10), [BATCH], 'int32') };
}

/** Trains `steps` PyTorch-style steps; `recorded` computes the gradients with createGraph, which recycles nothing. */
function train(steps: number, recorded: boolean, onStep?: (net: sd.nn.Sequential, step: number) => void): Float32Array[] {
  const net = model();
  const opt = new sd.optim.Adam(net.parameters(), { lr: 0.01 });
  for (let step = 0; step < steps; step++) {
    const { x, y } = batch(step);
    opt.zeroGrad();
    const loss = sd.losses.crossEntropy(net.call(x), y);
    if (recorded) {
      loss.backward(undefined, { createGraph: true });
      for (const p of net.parameters()) p.grad = p.grad!.detach();
    } else {
      loss.backward();
    }
    opt.step();
    onStep?.(net, step);
  }
  return net.parameters().map((p) => Float32Array.from(p.values));
}

describeEachBackend('backward reuses intermediate gradients', (backend) => {
  it('trains to the same weights, bit for bit, as passes that reuse nothing', () => {
    const before = recycleStats().reused;
    const reusing = train(6, false);
    if (backend === 'native') assert.ok(recycleStats().reused > before, 'buffers were reused');
    const plain = train(6, true);
    reusing.forEach((w, i) => assert.deepEqual(w, plain[i], `parameter ${i}`));
  });

  it('never reuses a gradient the caller kept past zeroGrad', () => {
    let kept: sd.Tensor | undefined;
    let copy: Float32Array | undefined;
    train(5, false, (net, step) => {
      if (step !== 0) return;
      kept = net.parameters()[2].grad!; // the second layer's weight gradient, [10,256]
      copy = Float32Array.from(kept.values);
    });
    assert.deepEqual(Float32Array.from(kept!.values), copy);
  });

  it('never reuses a retained gradient of an intermediate result', () => {
    const net = model();
    const { x, y } = batch(0);
    const hidden = net.call(x);
    hidden.retainGrad();
    sd.losses.crossEntropy(hidden, y).backward();
    const copy = Float32Array.from(hidden.grad!.values);
    for (let step = 1; step < 4; step++) {
      const b = batch(step);
      sd.losses.crossEntropy(net.call(b.x), b.y).backward();
    }
    assert.deepEqual(Float32Array.from(hidden.grad!.values), copy);
  });
});
