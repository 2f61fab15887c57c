import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { noteAllocation, recycleStats, recycleStep, recycling, stepInputF32, takeF32 } from '../../src/tensor/recycle.js';

/** A buffer as a kernel inside a step gets it: from the free list, or new and noted. */
function kernelOutput(n: number): Float32Array {
  const reused = takeF32(n);
  if (reused) return reused;
  const out = new Float32Array(n);
  noteAllocation(out);
  return out;
}

const N = 8192; // 32 KiB: large enough to be recycled

describe('recycling the buffers of a training step', () => {
  it('reuses, in the next step, what a step allocated and nothing outlives', () => {
    const owner = {};
    let first: Float32Array | undefined;
    recycleStep(owner, () => {
      assert.equal(recycling(), true);
      first = kernelOutput(N);
    }, () => []);
    assert.equal(recycling(), false);
    // outside a step nothing is handed out
    assert.equal(takeF32(N), undefined);
    let second: Float32Array | undefined;
    recycleStep(owner, () => {
      second = kernelOutput(N);
    }, () => []);
    assert.equal(second!.buffer, first!.buffer);
  });

  it('never reuses a survivor, and reuses a held buffer once nothing holds it', () => {
    const owner = {};
    const state: { grad: Float32Array | null } = { grad: null };
    recycleStep(owner, () => {
      state.grad = kernelOutput(N); // a gradient: outlives the step
    }, () => [state.grad]);
    const grad = state.grad!;
    grad.fill(7);
    recycleStep(owner, () => {
      // still held: a new buffer, the gradient untouched
      const other = kernelOutput(N);
      assert.notEqual(other.buffer, grad.buffer);
      other.fill(1);
    }, () => [state.grad]);
    assert.ok(grad.every((v) => v === 7));
    recycleStep(owner, () => {
      state.grad = null; // zeroGrad lets go of it
    }, () => [state.grad]);
    let reused = false;
    recycleStep(owner, () => {
      const a = kernelOutput(N);
      const b = kernelOutput(N);
      reused = a.buffer === grad.buffer || b.buffer === grad.buffer;
    }, () => []);
    assert.ok(reused, 'the released gradient is reused');
  });

  it('keeps what one training loop holds while another trains', () => {
    const a = {};
    const b = {};
    let stateOfA: Float32Array | undefined;
    recycleStep(a, () => {
      stateOfA = kernelOutput(N);
    }, () => [stateOfA]);
    stateOfA!.fill(3);
    for (let i = 0; i < 3; i++) recycleStep(b, () => kernelOutput(N).fill(9), () => []);
    assert.ok(stateOfA!.every((v) => v === 3));
  });

  it('recycles nothing from a step that throws, and counts what it does', () => {
    const before = recycleStats();
    let made: Float32Array | undefined;
    assert.throws(() => recycleStep({}, () => {
      made = kernelOutput(N);
      throw new Error('boom');
    }, () => []), /boom/);
    assert.equal(recycling(), false);
    let again: Float32Array | undefined;
    recycleStep({}, () => {
      again = kernelOutput(N);
    }, () => []);
    assert.notEqual(again!.buffer, made!.buffer);
    const after = recycleStats();
    assert.ok(after.allocated + after.reused >= before.allocated + before.reused + 2);
  });

  it('a batch made before its step is that step\'s, and is reused after it', () => {
    const owner = {};
    const batch = stepInputF32(N);
    recycleStep(owner, () => undefined, () => []);
    const next = stepInputF32(N);
    assert.equal(next.buffer, batch.buffer);
    recycleStep(owner, () => undefined, () => []);
    // small inputs are left to the allocator
    assert.equal(stepInputF32(4).length, 4);
  });
});

describe('fit with recycled steps', () => {
  it('leaves another model\'s weights and optimizer state alone, and trains the same weights twice', async () => {
    const make = () => {
      sd.seed(5);
      const m = sd.sequential([
        sd.layers.dense({ units: 64, activation: 'relu', inputShape: [100] }),
        sd.layers.dropout({ rate: 0.2 }),
        sd.layers.dense({ units: 3, activation: 'softmax' }),
      ]);
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    sd.seed(1);
    const x = sd.randn([256, 100]);
    const y = sd.tensor(Int32Array.from({ length: 256 }, (_, i) => i % 3));
    // model A trains, then its state is set aside while model B trains
    const a = make();
    await a.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0, shuffle: false });
    const weightsA = a.getWeights().map((w) => Float32Array.from(w.values as Float32Array));
    const stateA = [...(a.optimizer as sd.optim.Optimizer).state.values()].flatMap((s) => Object.values(s).filter((v): v is sd.Tensor => v instanceof sd.Tensor).map((t) => Float32Array.from(t.values as Float32Array)));
    const b = make();
    sd.seed(2);
    await b.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
    a.getWeights().forEach((w, i) => assert.deepEqual(w.values, weightsA[i]));
    const stateAfter = [...(a.optimizer as sd.optim.Optimizer).state.values()].flatMap((s) => Object.values(s).filter((v): v is sd.Tensor => v instanceof sd.Tensor).map((t) => t.values));
    stateAfter.forEach((v, i) => assert.deepEqual(v, stateA[i]));
    // the same training twice gives the same weights: reused buffers change no number
    const c = make();
    sd.seed(3);
    await c.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    const d = make();
    sd.seed(3);
    await d.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    c.getWeights().forEach((w, i) => assert.deepEqual(w.values, d.getWeights()[i].values));
  });
});
