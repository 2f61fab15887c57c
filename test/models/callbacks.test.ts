import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sd from '../../src/index.js';
import { assertThrows } from '../helpers.js';
import { blobModel, blobs, tempDir } from './toy.js';

describe('callbacks', () => {
  it('fire in order: train, epoch and batch hooks, with the logs', async () => {
    const { x, y } = blobs(12);
    const events: string[] = [];
    class Recorder extends sd.callbacks.Callback {
      onTrainBegin(): void {
        events.push(`trainBegin epochs=${this.params?.epochs} steps=${this.params?.steps} model=${this.model?.name !== undefined}`);
      }
      onEpochBegin(epoch: number): void {
        events.push(`epochBegin ${epoch}`);
      }
      onBatchBegin(batch: number): void {
        events.push(`batchBegin ${batch}`);
      }
      onBatchEnd(batch: number, logs?: sd.callbacks.Logs): void {
        events.push(`batchEnd ${batch} ${Object.keys(logs ?? {}).join(',')}`);
      }
      onEpochEnd(epoch: number, logs?: sd.callbacks.Logs): void {
        events.push(`epochEnd ${epoch} ${Object.keys(logs ?? {}).join(',')}`);
      }
      onTrainEnd(): void {
        events.push('trainEnd');
      }
    }
    const second: string[] = [];
    await blobModel().fit(x, y, {
      epochs: 2,
      batchSize: 8,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [new Recorder(), { onEpochEnd: async (e) => void second.push(`plain ${e} after ${events.at(-1)?.split(' ')[0]}`) }],
    });
    assert.deepEqual(events, [
      'trainBegin epochs=2 steps=2 model=true',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0 loss,accuracy',
      'batchBegin 1',
      'batchEnd 1 loss,accuracy',
      'epochEnd 0 loss,accuracy,val_loss,val_accuracy',
      'epochBegin 1',
      'batchBegin 0',
      'batchEnd 0 loss,accuracy',
      'batchBegin 1',
      'batchEnd 1 loss,accuracy',
      'epochEnd 1 loss,accuracy,val_loss,val_accuracy',
      'trainEnd',
    ]);
    assert.deepEqual(second, ['plain 0 after epochEnd', 'plain 1 after epochEnd']);
  });

  it('rejects a misspelt hook', async () => {
    const { x, y } = blobs(8);
    await assert.rejects(blobModel().fit(x, y, { verbose: 0, callbacks: [{ onEpochEnds: () => {} } as never] }), /unknown hook 'onEpochEnds'/);
  });

  it('instances of any class: their state is not taken for hooks, setModel/setParams are called; onTrainError on a throw', async () => {
    const { x, y } = blobs(8);
    class Own {
      seen: string[] = [];
      setModel(model: sd.LayersModel): void {
        this.seen.push(`model ${model.name !== undefined}`);
      }
      setParams(params: { epochs: number }): void {
        this.seen.push(`epochs ${params.epochs}`);
      }
      onTrainEnd(): void {
        this.seen.push('trainEnd');
      }
    }
    const own = new Own();
    await blobModel().fit(x, y, { epochs: 1, verbose: 0, callbacks: [own] });
    assert.deepEqual(own.seen, ['model true', 'epochs 1', 'trainEnd']);

    const errors: string[] = [];
    const failing = { onBatchEnd: () => { throw new Error('bad batch'); } };
    const watcher = { onTrainError: (err: unknown) => void errors.push((err as Error).message), onTrainEnd: () => void errors.push('trainEnd') };
    const throwsToo = { onTrainError: () => { throw new Error('hidden'); } };
    await assert.rejects(blobModel().fit(x, y, { verbose: 0, callbacks: [failing, throwsToo, watcher] }), /bad batch/);
    assert.deepEqual(errors, ['bad batch']);
  });

  it('EarlyStopping stops after patience epochs without improvement and restores the best weights', async () => {
    const { x, y } = blobs(16);
    const model = blobModel();
    // a scripted monitored value: best at epoch 1, then worse
    const script = [0.5, 0.2, 0.3, 0.4, 0.25, 0.1];
    const snapshots: sd.Tensor[][] = [];
    const feed = { onEpochEnd: (epoch: number, logs?: sd.callbacks.Logs) => {
      logs!.score = script[epoch];
      snapshots.push(model.getWeights());
    } };
    const early = new sd.callbacks.EarlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true });
    const h = await model.fit(x, y, { epochs: 6, verbose: 0, callbacks: [feed, early] });
    assert.deepEqual(h.epoch, [0, 1, 2, 3], 'stops at the second epoch without improvement');
    assert.equal(early.stoppedEpoch, 3);
    assert.equal(early.best, 0.2);
    assert.equal(early.bestEpoch, 1);
    model.getWeights().forEach((w, i) => assert.deepEqual([...w.values], [...snapshots[1][i].values], `weight ${i} is epoch 1's`));
  });

  it('EarlyStopping: minDelta, mode max for accuracies, and restoring at the end without stopping', async () => {
    assert.equal(new sd.callbacks.EarlyStopping({ monitor: 'val_accuracy' }).mode, 'max');
    assert.equal(new sd.callbacks.EarlyStopping().mode, 'min');
    const { x, y } = blobs(16);
    const model = blobModel();
    const script = [1, 0.95, 0.99, 0.97];
    const snapshots: sd.Tensor[][] = [];
    const feed = { onEpochEnd: (epoch: number, logs?: sd.callbacks.Logs) => {
      logs!.score = script[epoch];
      snapshots.push(model.getWeights());
    } };
    // 0.95 improves on 1 by more than 0.01; nothing after does
    const early = new sd.callbacks.EarlyStopping({ monitor: 'score', patience: 5, minDelta: 0.01, restoreBestWeights: true });
    await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [feed, early] });
    assert.equal(early.stoppedEpoch, 0);
    assert.equal(early.bestEpoch, 1);
    model.getWeights().forEach((w, i) => assert.deepEqual([...w.values], [...snapshots[1][i].values]));
    assertThrows(() => new sd.callbacks.EarlyStopping({ mode: 'up' as never }), sd.ValueError, /mode must be 'auto', 'min' or 'max'/);
    assertThrows(() => new sd.callbacks.EarlyStopping({ patients: 3 } as never), sd.ValueError, /unknown option 'patients'/);
  });

  it('EarlyStopping on val_loss stops a real run', async () => {
    sd.seed(0);
    const { x, y } = blobs(64);
    const lines: string[] = [];
    const h = await blobModel(0.5).fit(x, y, {
      epochs: 50,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [sd.callbacks.earlyStopping({ monitor: 'val_loss', patience: 1, minDelta: 1e-2, verbose: 1, printFn: (l) => lines.push(l) })],
    });
    assert.ok(h.epoch.length < 50);
    assert.match(lines.at(-1) ?? '', /^Epoch \d+: early stopping$/);
  });

  it('ModelCheckpoint saves every epoch or only the best, with placeholders in the path', async () => {
    const dir = await tempDir();
    const { x, y } = blobs(16);
    const model = blobModel();
    const every = new sd.callbacks.ModelCheckpoint({ filepath: join(dir, 'ckpt-{epoch:02d}.safetensors') });
    const script = [0.5, 0.7, 0.4];
    const feed = { onEpochEnd: (e: number, logs?: sd.callbacks.Logs) => void (logs!.score = script[e]) };
    const best = new sd.callbacks.ModelCheckpoint({ filepath: join(dir, 'best-{epoch}-{score:.2f}.safetensors'), monitor: 'score', saveBestOnly: true });
    await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [feed, every, best] });
    assert.deepEqual(every.saved.map((p) => p.slice(dir.length + 1)), ['ckpt-01.safetensors', 'ckpt-02.safetensors', 'ckpt-03.safetensors']);
    assert.deepEqual(best.saved.map((p) => p.slice(dir.length + 1)), ['best-1-0.50.safetensors', 'best-3-0.40.safetensors']);
    for (const p of [...every.saved, ...best.saved]) assert.ok(existsSync(p));
    const { model: loaded, trainingState } = sd.io.loadCheckpoint<sd.LayersModel>(every.saved[2]);
    assert.equal(trainingState.epoch, 3);
    assert.deepEqual([...(loaded.predict(x) as sd.Tensor).values], [...(model.predict(x) as sd.Tensor).values]);
  });

  it('LearningRateScheduler sets the rate each epoch and logs it', async () => {
    const { x, y } = blobs(16);
    const model = blobModel();
    const seen: number[] = [];
    const h = await model.fit(x, y, {
      epochs: 3,
      verbose: 0,
      callbacks: [
        new sd.callbacks.LearningRateScheduler((epoch) => 0.1 / (epoch + 1)),
        { onEpochBegin: () => void seen.push((model.optimizer!.paramGroups[0] as { lr: number }).lr) },
      ],
    });
    assert.deepEqual(seen, [0.1, 0.05, 0.1 / 3]);
    assert.deepEqual(h.history.lr, [0.1, 0.05, 0.1 / 3]);
  });

  it('ReduceLROnPlateau multiplies the rate after patience epochs without improvement', async () => {
    const { x, y } = blobs(16);
    const model = blobModel(0.1);
    const script = [1, 1, 1, 1, 0.5, 0.5, 0.5];
    const feed = { onEpochEnd: (e: number, logs?: sd.callbacks.Logs) => void (logs!.score = script[e]) };
    const reduce = new sd.callbacks.ReduceLROnPlateau({ monitor: 'score', factor: 0.5, patience: 2, minLr: 0.02 });
    const h = await model.fit(x, y, { epochs: 7, verbose: 0, callbacks: [feed, reduce] });
    // logged before each epoch's decision: epoch 2 reduces to 0.05; epoch 6 to 0.025 (above minLr)
    assert.deepEqual(h.history.lr.map((v) => +v.toFixed(6)), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]);
    assert.equal((model.optimizer!.paramGroups[0] as { lr: number }).lr, 0.025);
  });

  it('TerminateOnNaN stops at the first batch with a NaN loss', async () => {
    const { x, y } = blobs(32);
    const model = blobModel();
    const lines: string[] = [];
    let batches = 0;
    const poison = { onBatchEnd: (b: number, logs?: sd.callbacks.Logs) => { batches++; if (b === 1) logs!.loss = NaN; } };
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [poison, new sd.callbacks.TerminateOnNaN((l) => lines.push(l))] });
    assert.equal(batches, 2);
    assert.deepEqual(lines, ['Batch 1: Invalid loss, terminating training']);
    assert.equal(h.epoch.length, 1);
  });

  it('CSVLogger writes a header and one row per epoch, and appends when asked', async () => {
    const dir = await tempDir();
    const file = join(dir, 'log.csv');
    const { x, y } = blobs(16);
    const model = blobModel();
    await model.fit(x, y, { epochs: 2, validationSplit: 0.25, verbose: 0, callbacks: [new sd.callbacks.CSVLogger(file)] });
    let rows = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'epoch,accuracy,loss,val_accuracy,val_loss');
    assert.equal(rows.length, 3);
    assert.match(rows[1], /^0,[\d.e-]+,[\d.e-]+,[\d.e-]+,[\d.e-]+$/);
    await model.fit(x, y, { epochs: 3, initialEpoch: 2, validationSplit: 0.25, verbose: 0, callbacks: [new sd.callbacks.CSVLogger(file, { append: true })] });
    rows = readFileSync(file, 'utf8').trim().split('\n');
    assert.deepEqual(rows.map((r) => r.split(',')[0]), ['epoch', '0', '1', '2']);
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new sd.callbacks.CSVLogger(file, { separator: ';' })] });
    assert.equal(readFileSync(file, 'utf8').split('\n')[0], 'epoch;accuracy;loss');
  });
});
