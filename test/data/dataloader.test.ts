import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';

function toyData(n: number) {
  const x = sd.tensor(Float32Array.from({ length: n * 3 }, (_, i) => i), [n, 3]);
  const y = sd.tensor(Int32Array.from({ length: n }, (_, i) => i));
  return { x, y };
}

describe('data.DataLoader', () => {
  it('gives ceil(n / batchSize) batches, or floor with dropLast', () => {
    const { x, y } = toyData(10);
    const ds = sd.data.tensorDataset(x, y);
    const loader = new sd.data.DataLoader(ds, { batchSize: 4 });
    assert.equal(loader.length, 3);
    const batches = [...loader];
    assert.deepEqual(batches.map(([xb]) => [...xb.shape]), [[4, 3], [4, 3], [2, 3]]);
    assert.deepEqual(batches.map(([, yb]) => yb.dtype), ['int32', 'int32', 'int32']);
    assert.deepEqual(Array.from(batches[2][0].values), [24, 25, 26, 27, 28, 29]);
    const dropped = new sd.data.DataLoader(ds, { batchSize: 4, dropLast: true });
    assert.equal(dropped.length, 2);
    assert.equal([...dropped].length, 2);
    assert.equal(new sd.data.DataLoader(ds).length, 10); // batchSize 1 by default, as PyTorch
  });

  it('shuffles with sd.seed or an explicit generator, a new order each epoch, rows staying paired', () => {
    const { x, y } = toyData(50);
    const ds = sd.data.tensorDataset(x, y);
    const order = (loader: Iterable<sd.Tensor[]>) => [...loader].flatMap(([, yb]) => Array.from(yb.values));
    sd.seed(123);
    const a = new sd.data.DataLoader(ds, { batchSize: 8, shuffle: true });
    const epoch1 = order(a);
    const epoch2 = order(a);
    sd.seed(123);
    const b = new sd.data.DataLoader(ds, { batchSize: 8, shuffle: true });
    assert.deepEqual(order(b), epoch1);
    assert.deepEqual(order(b), epoch2);
    assert.notDeepEqual(epoch1, epoch2);
    assert.deepEqual([...epoch1].sort((p, q) => p - q), Array.from({ length: 50 }, (_, i) => i));
    const g1 = new sd.data.DataLoader(ds, { batchSize: 8, shuffle: true, generator: new sd.Generator(5) });
    const g2 = new sd.data.DataLoader(ds, { batchSize: 8, shuffle: true, generator: new sd.Generator(5) });
    assert.deepEqual(order(g1), order(g2));
    for (const [xb, yb] of g1) {
      yb.values.forEach((label, i) => assert.equal(xb.values[i * 3], label * 3));
    }
  });

  it('works with for await, and with map-style datasets whose getItem is async', async () => {
    const { x, y } = toyData(5);
    const loader = new sd.data.DataLoader(sd.data.tensorDataset(x, y), { batchSize: 2 });
    let count = 0;
    for await (const [xb, yb] of loader) {
      count++;
      assert.equal(xb.shape[0], yb.shape[0]);
    }
    assert.equal(count, 3);
    const asyncItems = {
      length: 3,
      getItem: async (i: number) => ({ image: sd.full([2], i), label: i }),
    };
    const batches = [];
    for await (const b of new sd.data.DataLoader(asyncItems, { batchSize: 2 })) batches.push(b);
    assert.deepEqual([...batches[0].image.shape], [2, 2]);
    assert.deepEqual(Array.from(batches[1].label.values), [2]);
    assertThrows(() => [...new sd.data.DataLoader(asyncItems)], sd.ValueError, /getItem returned a Promise; iterate the loader with for await/);
  });

  it('collates user map-style datasets and Datasets with random access', () => {
    class Squares {
      readonly length = 5;
      getItem(i: number): [Float32Array, number] {
        return [Float32Array.of(i, i * i), i % 2];
      }
    }
    const [xb, yb] = [...new sd.data.DataLoader(new Squares(), { batchSize: 5 })][0];
    assert.deepEqual([...xb.shape], [5, 2]);
    assert.deepEqual(Array.from(yb.values), [0, 1, 0, 1, 0]);
    // a plain JS array is a sequence of fields, collated position by position (as PyTorch)
    const [first, second] = sd.data.collate([[1, 2], [3, 4]]);
    assert.deepEqual(Array.from(first.values), [1, 3]);
    assert.deepEqual(Array.from(second.values), [2, 4]);
    // a Dataset made from an array shuffles in the loader through getItem
    sd.seed(0);
    const ds = sd.data.fromArray([10, 11, 12, 13]).map((v) => v * 2);
    const all = [...new sd.data.DataLoader(ds, { batchSize: 3, shuffle: true })].flatMap((b) => Array.from(b.values));
    assert.deepEqual(all.sort(), [20, 22, 24, 26]);
  });

  it('batches a streaming Dataset in its own order, without shuffle', async () => {
    const stream = sd.data.fromGenerator(function* () {
      for (let i = 0; i < 5; i++) yield [i, i * 10] as [number, number];
    });
    const loader = new sd.data.DataLoader(stream, { batchSize: 2, dropLast: true });
    const batches = [...loader];
    assert.equal(batches.length, 2);
    assert.deepEqual(Array.from(batches[1][1].values), [20, 30]);
    assert.equal((await (async () => { let n = 0; for await (const _ of loader) n++; return n; })()), 2);
    assertThrows(() => loader.length, sd.ValueError, /number of batches is unknown/);
    assertThrows(() => new sd.data.DataLoader(stream, { shuffle: true }), sd.ValueError, /shuffle needs a dataset with random access/);
  });

  it('takes a custom collate', () => {
    const loader = new sd.data.DataLoader(sd.data.fromArray(['a', 'b', 'c']), {
      batchSize: 2,
      collate: (words: string[]) => words.join('+'),
    });
    assert.deepEqual([...loader], ['a+b', 'c']);
  });

  it('rejects bad arguments', () => {
    const { x, y } = toyData(4);
    const ds = sd.data.tensorDataset(x, y);
    assertThrows(() => new sd.data.DataLoader(ds, { batchSize: 0 }), sd.ValueError, /DataLoader: batchSize must be a positive integer, got 0/);
    assertThrows(() => new sd.data.DataLoader({} as never), sd.ValueError, /dataset must be a Dataset or have a numeric length and getItem/);
  });
});

describe('data.tensorDataset', () => {
  it('gives rows of every tensor as views', () => {
    const { x, y } = toyData(4);
    const ds = sd.data.tensorDataset(x, y);
    assert.equal(ds.length, 4);
    const [xi, yi] = ds.getItem(2);
    assert.deepEqual([...xi.shape], [3]);
    assert.deepEqual(Array.from(xi.values), [6, 7, 8]);
    assert.deepEqual([...yi.shape], []);
    assert.equal(yi.item(), 2);
    assert.equal([...ds].length, 4);
    // nested arrays are converted
    assert.deepEqual([...sd.data.tensorDataset([[1, 2], [3, 4]]).getItem(1)[0].shape], [2]);
  });

  it('rejects tensors of different lengths and scalars', () => {
    assertThrows(
      () => sd.data.tensorDataset(sd.zeros([100, 4]), sd.zeros([99])),
      sd.ShapeError,
      /tensorDataset: tensors differ in their number of samples: tensor 0 has shape \[100,4\] \(100 samples\) but tensor 1 has shape \[99\] \(99 samples\)/,
    );
    assertThrows(() => sd.data.tensorDataset(sd.scalar(1)), sd.ShapeError, /tensor 0 is a scalar/);
    assertThrows(() => sd.data.tensorDataset(), sd.ValueError, /at least one tensor/);
  });
});
