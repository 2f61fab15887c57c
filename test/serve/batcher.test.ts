/** Dynamic batching and the bounded queue (src/serve/batcher.ts), on an executor that records its batches. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher } from '../../src/serve/batcher.js';
import type { Executor, RunResult } from '../../src/serve/pool.js';
import { ServeError, type ModelSource, type Signature, type WireTensors } from '../../src/serve/types.js';

/** Doubles its input; each batch takes until `release()` (or at once when `auto`). */
class FakeExecutor implements Executor {
  busy = 0;
  onFree: (() => void) | null = null;
  readonly batches: { key: string; rows: number }[] = [];
  private held: (() => void)[] = [];
  constructor(
    readonly capacity: number,
    private readonly auto = true,
  ) {}
  async load(_key: string, _source: ModelSource): Promise<Signature> {
    throw new Error('not used');
  }
  unload(): void {}
  run(key: string, inputs: WireTensors): Promise<RunResult> {
    this.busy++;
    const x = inputs.x;
    this.batches.push({ key, rows: x.shape[0] });
    const out: RunResult = { outputs: { y: { data: x.data.map((v) => v * 2) as Float32Array, shape: x.shape, dtype: 'float32' } }, micros: 1 };
    return new Promise((resolve) => {
      const finish = () => {
        this.busy--;
        resolve(out);
        queueMicrotask(() => this.onFree?.());
      };
      if (this.auto) setImmediate(finish);
      else this.held.push(finish);
    });
  }
  release(): void {
    const held = this.held;
    this.held = [];
    held.forEach((f) => f());
  }
  async close(): Promise<void> {}
}

function rows(...values: number[]): WireTensors {
  return { x: { data: new Float32Array(values), shape: [values.length, 1], dtype: 'float32' } };
}

describe('serve: dynamic batching', () => {
  it('merges concurrent requests up to maxBatchSize and splits the outputs back', async () => {
    const ex = new FakeExecutor(1, false);
    const b = new Batcher(ex, { enabled: true, maxBatchSize: 4, batchTimeoutMicros: 0 });
    const first = b.submit('m:1', rows(1), 1); // goes at once: the worker is free
    const rest = [b.submit('m:1', rows(2, 3), 2), b.submit('m:1', rows(4), 1), b.submit('m:1', rows(5), 1), b.submit('m:1', rows(6), 1)];
    assert.equal(b.queued, 4);
    ex.release();
    await first;
    await new Promise((r) => setImmediate(r));
    ex.release();
    await new Promise((r) => setImmediate(r));
    ex.release();
    const results = await Promise.all([first, ...rest]);
    assert.deepEqual(ex.batches.map((x) => x.rows), [1, 4, 1]);
    assert.deepEqual(results.map((r) => [...r.outputs.y.data]), [[2], [4, 6], [8], [10], [12]]);
    assert.deepEqual(results.map((r) => r.batchSize), [1, 4, 4, 4, 1]);
    assert.equal(b.queued, 0);
  });

  it('waits batchTimeoutMicros for a batch to fill', async () => {
    const ex = new FakeExecutor(1);
    const b = new Batcher(ex, { enabled: true, maxBatchSize: 100, batchTimeoutMicros: 20_000 });
    const start = performance.now();
    const all = Promise.all([1, 2, 3].map((v) => b.submit('m:1', rows(v), 1)));
    await all;
    assert.ok(performance.now() - start >= 15, 'the batch went before its timeout');
    assert.deepEqual(ex.batches.map((x) => x.rows), [3]);
  });

  it('sends a full batch without waiting for the timeout', async () => {
    const ex = new FakeExecutor(1);
    const b = new Batcher(ex, { enabled: true, maxBatchSize: 2, batchTimeoutMicros: 10_000_000 });
    await Promise.all([b.submit('m:1', rows(1), 1), b.submit('m:1', rows(2), 1)]);
    assert.deepEqual(ex.batches.map((x) => x.rows), [2]);
  });

  it('never merges requests of different servables or of different shapes', async () => {
    const ex = new FakeExecutor(1, false);
    const b = new Batcher(ex, { enabled: true, maxBatchSize: 8, batchTimeoutMicros: 0 });
    const wide: WireTensors = { x: { data: new Float32Array([1, 2]), shape: [1, 2], dtype: 'float32' } };
    const p = [b.submit('m:1', rows(0), 1), b.submit('m:1', rows(1), 1), b.submit('m:2', rows(2), 1), b.submit('m:1', wide, 1), b.submit('m:1', rows(3), 1)];
    for (let i = 0; i < 4; i++) {
      ex.release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(p);
    assert.deepEqual(ex.batches, [
      { key: 'm:1', rows: 1 },
      { key: 'm:1', rows: 2 },
      { key: 'm:2', rows: 1 },
      { key: 'm:1', rows: 1 },
    ]);
  });

  it('runs each request alone without batching', async () => {
    const ex = new FakeExecutor(2);
    const b = new Batcher(ex, {});
    await Promise.all([1, 2, 3].map((v) => b.submit('m:1', rows(v), 1)));
    assert.deepEqual(ex.batches.map((x) => x.rows), [1, 1, 1]);
  });

  it('refuses requests with 503 once maxQueueSize are waiting, and keeps serving', async () => {
    const ex = new FakeExecutor(1, false);
    const b = new Batcher(ex, { maxQueueSize: 2 });
    const running = b.submit('m:1', rows(1), 1);
    const waiting = [b.submit('m:1', rows(2), 1), b.submit('m:1', rows(3), 1)];
    await assert.rejects(b.submit('m:1', rows(4), 1), (err: ServeError) => {
      assert.equal(err.status, 503);
      assert.match(err.message, /the server is overloaded: 2 requests are queued \(maxQueueSize 2\); retry later/);
      return true;
    });
    for (let i = 0; i < 3; i++) {
      ex.release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all([running, ...waiting]);
    assert.equal(b.inflightOf('m:1'), 0);
  });

  it('tells when a servable has no request in flight', async () => {
    const ex = new FakeExecutor(1, false);
    const b = new Batcher(ex, {});
    const p = b.submit('m:1', rows(1), 1);
    let drained = false;
    const d = b.drained('m:1').then(() => (drained = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(drained, false);
    ex.release();
    await p;
    await d;
    assert.equal(drained, true);
  });

  it('checks its options', () => {
    assert.throws(() => new Batcher(new FakeExecutor(1), { maxBatchSize: 0 }), /maxBatchSize must be an integer >= 1, got 0/);
    assert.throws(() => new Batcher(new FakeExecutor(1), { batchTimeoutMicros: -1 }), /batchTimeoutMicros must be an integer >= 0/);
  });
});
