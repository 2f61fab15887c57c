/** Artifacts, histograms, confusion matrices and sample images logged by a run. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ValueError } from '../../src/errors.js';
import { TrackingStore } from '../../src/track/store.js';
import { startRun } from '../../src/track/api.js';
import { NotFoundError } from '../../src/track/errors.js';
import { histogram } from '../../src/track/histogram.js';
import { encodePng } from '../../src/track/png.js';
import type { ConfusionMatrixData, ImagesData } from '../../src/track/types.js';
import * as sd from '../../src/index.js';
import { assertThrowsError, tempHome } from './helpers.js';

function newRun() {
  const home = tempHome();
  const store = TrackingStore.open({ home });
  return { home, store, run: startRun({ store }) };
}

describe('track: run data', () => {
  it('artifacts: files and folders copied, data written, listed with kind and size', async () => {
    const { home, store, run } = newRun();
    const src = path.join(home, 'src');
    fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(src, 'a.txt'), 'aaa');
    fs.writeFileSync(path.join(src, 'sub/b.txt'), 'bb');
    run.logArtifact(path.join(src, 'a.txt'));
    run.logArtifact(src, 'data');
    run.logArtifact({ name: 'notes/readme.md', data: '# hi' });
    run.logArtifact({ name: 'bytes.bin', data: new Uint8Array([1, 2, 3]) });
    run.logArtifact({ name: 'config.json', data: { lr: 0.1 } });
    run.logText('summary.txt', 'layers');
    await run.logModel({ save: (p: string) => fs.writeFileSync(p, 'weights') });
    assert.deepEqual(
      store.listArtifacts(run.id).map((a) => [a.path, a.kind, a.size]),
      [
        ['a.txt', 'file', 3],
        ['bytes.bin', 'file', 3],
        ['config.json', 'json', 15],
        ['data/a.txt', 'file', 3],
        ['data/sub/b.txt', 'file', 2],
        ['model/model.safetensors', 'model', 7],
        ['notes/readme.md', 'file', 4],
        ['summary.txt', 'text', 6],
      ],
    );
    assert.equal(store.readArtifact(run.id, 'data/sub/b.txt').toString(), 'bb');
    assert.deepEqual(JSON.parse(store.readArtifact(run.id, 'config.json').toString()), { lr: 0.1 });
    assert.equal(store.artifactFile(run.id, 'a.txt'), path.join(run.artifactDir, 'a.txt'));
    // a later change of the source does not change the artifact
    fs.writeFileSync(path.join(src, 'a.txt'), 'changed');
    assert.equal(store.readArtifact(run.id, 'a.txt').toString(), 'aaa');
    // writing the same name again replaces it
    run.logArtifact({ name: 'a.txt', data: 'new' });
    assert.equal(store.readArtifact(run.id, 'a.txt').toString(), 'new');
    assert.equal(store.listArtifacts(run.id).length, 8);
    for (const bad of ['../escape.txt', '/abs.txt', 'a/../../b', '', 'a//b']) {
      assertThrowsError(() => run.logArtifact({ name: bad, data: 'x' }), ValueError, /artifact name must be a relative path/);
    }
    assertThrowsError(() => store.artifactFile(run.id, '../store.db'), ValueError, /artifact name must be a relative path/);
    assertThrowsError(() => store.artifactFile(run.id, 'missing.txt'), NotFoundError, /has no artifact 'missing.txt'/);
    assertThrowsError(() => run.logArtifact(path.join(home, 'nope')), NotFoundError, /no file or folder/);
    run.end();
    store.close();
  });

  it('histogram: equal-width bins over finite values', () => {
    assert.deepEqual(histogram([0, 1, 1, 2], 2), { min: 0, max: 2, count: 4, edges: [0, 1, 2], counts: [1, 3] });
    assert.deepEqual(histogram([3, 3, 3]), { min: 3, max: 3, count: 3, edges: [2.5, 3.5], counts: [3] });
    assert.deepEqual(histogram([NaN, Infinity]), { min: 0, max: 0, count: 0, edges: [], counts: [] });
    const h = histogram(Float32Array.from({ length: 1000 }, (_, i) => i / 999), 10);
    assert.equal(h.counts.length, 10);
    assert.equal(h.counts.reduce((a, b) => a + b), 1000);
    assert.deepEqual(h.counts, [100, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
    assertThrowsError(() => histogram([1], 0), ValueError, /bins must be a positive integer, got 0/);
  });

  it('histograms are stored per key and step', () => {
    const { store, run } = newRun();
    run.logHistogram('weights/w', [0, 1, 2, 3], 0, 2);
    run.logHistogram('weights/w', [1, 2, 3, 4], 1, 2);
    run.logHistogram('gradients/w', [0.1, -0.1], 1);
    assert.deepEqual(store.histogramKeys(run.id), ['gradients/w', 'weights/w']);
    const w = store.getHistograms(run.id, 'weights/w');
    assert.deepEqual(w.map((h) => [h.step, h.edges, h.counts]), [[0, [0, 1.5, 3], [2, 2]], [1, [1, 2.5, 4], [2, 2]]]);
    assert.equal(store.getHistograms(run.id).length, 3);
    run.end();
    store.close();
  });

  it('confusion matrices from arrays or tensors, with labels', () => {
    const { store, run } = newRun();
    run.logConfusionMatrix([[5, 1], [2, 7]], ['cat', 'dog']);
    run.logConfusionMatrix(sd.tensor([[1, 0, 0], [0, 2, 0], [0, 1, 3]], undefined, 'int32'), undefined, { step: 4, key: 'val' });
    const records = store.getRecords<ConfusionMatrixData>(run.id, 'confusion_matrix');
    assert.deepEqual(records.map((r) => [r.key, r.step, r.data]), [
      ['confusion_matrix', 0, { labels: ['cat', 'dog'], matrix: [[5, 1], [2, 7]] }],
      ['val', 4, { labels: ['0', '1', '2'], matrix: [[1, 0, 0], [0, 2, 0], [0, 1, 3]] }],
    ]);
    assertThrowsError(() => run.logConfusionMatrix([[1, 2]]), ValueError, /matrix must be square/);
    assertThrowsError(() => run.logConfusionMatrix([[1]], ['a', 'b']), ValueError, /2 labels for a 1x1 matrix/);
    assertThrowsError(() => run.logConfusionMatrix(sd.zeros([2, 2, 2])), ValueError, /matrix must be 2-D, got shape \[2,2,2\]/);
    run.end();
    store.close();
  });

  it('sample images become PNG artifacts listed in an images record', () => {
    const { store, run } = newRun();
    const gray = { width: 3, height: 2, data: [0, 0.5, 1, 1, 0.5, 0] };
    const rgbChw = { width: 2, height: 1, channels: 3, layout: 'chw' as const, data: Uint8Array.from([255, 0, 0, 255, 0, 0]) };
    const standardized = { width: 2, height: 1, data: [-1, 3] };
    run.logImages('samples', [{ image: gray, label: 7, prediction: 1 }, { image: rgbChw, caption: 'red, green' }, { image: standardized }], 2);
    const [record] = store.getRecords<ImagesData>(run.id, 'images');
    assert.equal(record.key, 'samples');
    assert.equal(record.step, 2);
    assert.deepEqual(record.data.images, [
      { path: 'images/samples/2/0.png', width: 3, height: 2, label: '7', prediction: '1' },
      { path: 'images/samples/2/1.png', width: 2, height: 1, caption: 'red, green' },
      { path: 'images/samples/2/2.png', width: 2, height: 1 },
    ]);
    const decode = (name: string) => PNG.sync.read(store.readArtifact(run.id, name));
    const g = decode('images/samples/2/0.png');
    assert.deepEqual([g.width, g.height], [3, 2]);
    assert.deepEqual([...g.data.filter((_, i) => i % 4 === 0)], [0, 128, 255, 255, 128, 0]);
    const c = decode('images/samples/2/1.png');
    // planes R = [255, 0], G = [0, 255], B = [0, 0]: a red pixel, then a green one
    assert.deepEqual([...c.data], [255, 0, 0, 255, 0, 255, 0, 255]);
    const s = decode('images/samples/2/2.png');
    assert.deepEqual([s.data[0], s.data[4]], [0, 255]);
    assertThrowsError(() => run.logImages('bad', [{ image: new Uint8Array([1, 2, 3]) }]), ValueError, /not a PNG file/);
    run.end();
    store.close();
  });

  it('encodePng checks its arguments', () => {
    assertThrowsError(() => encodePng({ width: 2, height: 2, data: [1, 2, 3] }), ValueError, /data has 3 values, expected 2x2x1 = 4/);
    assertThrowsError(() => encodePng({ width: 1, height: 1, channels: 2, data: [1, 2] }), ValueError, /channels must be 1, 3 or 4, got 2/);
    assertThrowsError(() => encodePng({ width: 0, height: 1, data: [] }), ValueError, /positive integers, got 0x1/);
    const rgba = PNG.sync.read(Buffer.from(encodePng({ width: 1, height: 1, channels: 4, data: Uint8Array.from([1, 2, 3, 4]) })));
    assert.deepEqual([...rgba.data], [1, 2, 3, 4]);
  });
});
