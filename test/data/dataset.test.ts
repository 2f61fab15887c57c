import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('data.Dataset', () => {
  it('maps, filters, takes and skips lazily, synchronously over arrays', () => {
    const ds = sd.data.fromArray(range(10)).map((v) => v * 2).filter((v) => v % 3 !== 0).skip(1).take(3);
    assert.deepEqual([...ds], [4, 8, 10]);
    assert.deepEqual(ds.toArraySync(), [4, 8, 10]); // each iteration re-opens the source
  });

  it('knows its size and keeps random access through map, take, skip, concatenate, repeat and batch', () => {
    const base = sd.data.fromArray(range(10));
    assert.equal(base.size, 10);
    const m = base.map((v) => v + 100).skip(2).take(5);
    assert.equal(m.size, 5);
    assert.equal(m.indexable, true);
    assert.equal(m.getItem(0), 102);
    const c = base.take(3).concatenate(base.skip(8));
    assert.deepEqual([...c], [0, 1, 2, 8, 9]);
    assert.equal(c.getItem(3), 8);
    const r = base.take(2).repeat(3);
    assert.equal(r.size, 6);
    assert.deepEqual([...r], [0, 1, 0, 1, 0, 1]);
    assert.equal(r.getItem(5), 1);
    const b = base.batch(4);
    assert.equal(b.size, 3);
    assert.deepEqual(Array.from(b.getItem(2).values), [8, 9]);
    assert.equal(base.filter(() => true).size, undefined);
    assert.equal(base.repeat().size, Infinity);
  });

  it('batches numbers and tensors along a new axis 0, with dropLast', () => {
    const batches = [...sd.data.fromArray(range(7)).batch(3)];
    assert.deepEqual(batches.map((b) => [...b.shape]), [[3], [3], [1]]);
    assert.equal(batches[0].dtype, 'int32');
    assert.equal(sd.data.fromArray(range(7)).batch(3, { dropLast: true }).toArraySync().length, 2);
    const pairs = sd.data.fromArray(range(5)).map((i) => [sd.full([2, 2], i), i * 0.5] as [sd.Tensor, number]);
    const [x, y] = pairs.batch(2).toArraySync()[0];
    assert.deepEqual([...x.shape], [2, 2, 2]);
    assert.deepEqual(Array.from(x.values), [0, 0, 0, 0, 1, 1, 1, 1]);
    assert.equal(y.dtype, 'float32');
  });

  it('shuffles with a seed reproducibly, each epoch differently, as a permutation', () => {
    const ds = sd.data.fromArray(range(20)).shuffle(20, 7);
    const e1 = [...ds];
    const e2 = [...ds];
    assert.deepEqual([...e1].sort((a, b) => a - b), range(20));
    assert.notDeepEqual(e1, range(20));
    assert.notDeepEqual(e1, e2);
    const again = sd.data.fromArray(range(20)).shuffle(20, 7);
    assert.deepEqual([...again], e1);
    assert.deepEqual([...again], e2);
    const fixed = sd.data.fromArray(range(20)).shuffle(20, 7, { reshuffleEachIteration: false });
    assert.deepEqual([...fixed], [...fixed]);
  });

  it('keeps a small shuffle buffer local: no element moves back more than the buffer allows', () => {
    const out = [...sd.data.fromArray(range(100)).shuffle(4, 1)];
    assert.deepEqual([...out].sort((a, b) => a - b), range(100));
    out.forEach((v, i) => assert.ok(v <= i + 4, `element ${v} came out at ${i}`));
  });

  it('uses the global generator when no seed is given', () => {
    sd.seed(3);
    const a = [...sd.data.fromArray(range(10)).shuffle(10)];
    sd.seed(3);
    const b = [...sd.data.fromArray(range(10)).shuffle(10)];
    assert.deepEqual(a, b);
  });

  it('does not pull past take from an endless generator', () => {
    let pulled = 0;
    const ds = sd.data.fromGenerator(function* () {
      for (let i = 0; ; i++) {
        pulled++;
        yield i;
      }
    });
    assert.deepEqual([...ds.take(3)], [0, 1, 2]);
    assert.equal(pulled, 3);
  });

  it('runs the same pipeline over an async source with for await', async () => {
    const ds = sd.data.fromGenerator(async function* () {
      for (let i = 0; i < 6; i++) yield i;
    });
    const batches: number[][] = [];
    for await (const b of ds.map((v) => v + 1).shuffle(6, 1).batch(4)) batches.push(Array.from(b.values));
    assert.deepEqual(batches.map((b) => b.length), [4, 2]);
    assert.deepEqual(batches.flat().sort(), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(await ds.concatenate(sd.data.fromArray([9])).toArray(), [0, 1, 2, 3, 4, 5, 9]);
    assertThrows(() => [...ds], sd.ValueError, /yields asynchronously.*for await/);
    // a sync dataset followed by an async one, repeated: fine with for await, an error in for...of
    const mixed = sd.data.fromArray([7]).concatenate(ds.take(1)).repeat(2);
    assert.deepEqual(await mixed.toArray(), [7, 0, 7, 0]);
    assertThrows(() => [...mixed], sd.ValueError, /a concatenated dataset yields asynchronously; iterate with for await/);
    // a sync dataset also iterates with for await
    assert.deepEqual(await sd.data.fromArray([1, 2]).toArray(), [1, 2]);
  });

  it('rejects bad arguments with the op and the value', () => {
    const ds = sd.data.fromArray(range(3));
    assertThrows(() => ds.batch(0), sd.ValueError, /Dataset.batch: batchSize must be a positive integer, got 0/);
    assertThrows(() => ds.shuffle(0), sd.ValueError, /Dataset.shuffle: bufferSize must be a positive integer, got 0/);
    assertThrows(() => ds.take(-1), sd.ValueError, /Dataset.take: count must be a non-negative integer, got -1/);
    assertThrows(() => ds.getItem(3), sd.ValueError, /index 3 is out of range for 3 elements/);
    assertThrows(() => ds.filter(() => true).getItem(0), sd.ValueError, /no random access/);
    assertThrows(() => sd.data.fromArray('abc' as never), sd.ValueError, /fromArray: expected an array/);
  });
});
