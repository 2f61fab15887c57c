import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { formatValue, formatTimePerUnit, ProgressBar } from '../../src/models/progress.js';
import { blobModel, blobs } from './toy.js';

// Keras prints a value as %.4f, or %.4e when it is below 1e-3 (a loss near convergence)
const VALUE = String.raw`\d\.\d{4}(e[-+]\d{2})?`;
const BAR_LINE = new RegExp(String.raw`^ {0,3}\d+\/\d+ \[={30}\] - \d+s \d+(us|ms|s)\/step - loss: ${VALUE} - accuracy: ${VALUE}$`);

describe('progress', () => {
  it('verbose 1 without a terminal: "Epoch i/n" and one Keras line per epoch', async () => {
    const { x, y } = blobs(64);
    const lines: string[] = [];
    await blobModel().fit(x, y, { epochs: 2, batchSize: 16, printFn: (l) => lines.push(l) });
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.equal(lines[0], 'Epoch 1/2');
    assert.match(lines[1], new RegExp(String.raw`^4\/4 \[==============================\] - \d+s \d+(us|ms)\/step - loss: ${VALUE} - accuracy: ${VALUE}$`));
    assert.equal(lines[2], 'Epoch 2/2');
    assert.match(lines[3], BAR_LINE);
  });

  it('adds val_ values, and leaves out "Epoch 1/1" for a single epoch, as Keras', async () => {
    const { x, y } = blobs(40);
    const lines: string[] = [];
    await blobModel().fit(x, y, { epochs: 1, batchSize: 8, validationSplit: 0.2, printFn: (l) => lines.push(l) });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^4\/4 \[=+\] - .* - loss: [\d.]+ - accuracy: [\d.]+ - val_loss: [\d.]+ - val_accuracy: [\d.]+$/);
  });

  it('verbose 2: one line per epoch without a bar; verbose 0: nothing', async () => {
    const { x, y } = blobs(32);
    const lines: string[] = [];
    await blobModel().fit(x, y, { epochs: 2, batchSize: 8, verbose: 2, printFn: (l) => lines.push(l) });
    assert.equal(lines.length, 4);
    assert.match(lines[1], /^4\/4 - \d+s - loss: [\d.]+ - accuracy: [\d.]+ - \d+(us|ms|s)\/epoch - \d+(us|ms|s)\/step$/);
    const quiet: string[] = [];
    await blobModel().fit(x, y, { epochs: 2, verbose: 0, printFn: (l) => quiet.push(l) });
    assert.deepEqual(quiet, []);
  });

  it('on a terminal, redraws the bar in place with \\r and ends the epoch with a newline', async () => {
    const { x, y } = blobs(64);
    let out = '';
    const tty = { isTTY: true, write: (t: string) => void (out += t) };
    const logger = new sd.callbacks.ProgbarLogger(tty, 1);
    await blobModel().fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [logger] });
    assert.ok(out.startsWith('\r'), JSON.stringify(out.slice(0, 40)));
    assert.ok(out.endsWith('\n'));
    const frames = out.slice(1, -1).split('\r');
    assert.match(frames.at(-1)!.trimEnd(), /^8\/8 \[={30}\] - \d+s \d+(us|ms)\/step - loss: [\d.]+ - accuracy: [\d.]+$/);
  });

  it('draws the partial bar with an arrow and an ETA', () => {
    let out = '';
    const bar = new ProgressBar(250, { isTTY: true, write: (t) => void (out += t) }, 1, 'step', 30, 0);
    bar.update(100, { loss: 0.5 });
    assert.match(out, /^\r100\/250 \[===========>..................\] - ETA: 0s - loss: 0\.5000$/);
    out = '';
    new ProgressBar(null, { isTTY: true, write: (t) => void (out += t) }, 1, 'step', 30, 0).update(7, {});
    assert.match(out, /^\r {6}7\/Unknown - 0s \d+us\/step$/);
  });

  it('formats values and times as Keras', () => {
    assert.equal(formatValue(0.29681), '0.2968');
    assert.equal(formatValue(0.000123456), '1.2346e-04');
    assert.equal(formatValue(0), '0.0000');
    assert.equal(formatValue(NaN), 'nan');
    assert.equal(formatTimePerUnit(0.008, 'step'), ' 8ms/step');
    assert.equal(formatTimePerUnit(0.000041, 'sample'), ' 41us/sample');
    assert.equal(formatTimePerUnit(2.4, 'epoch'), ' 2s/epoch');
  });

  it('evaluate prints a line with verbose 2', () => {
    const { x, y } = blobs(64);
    const lines: string[] = [];
    blobModel().evaluate(x, y, { verbose: 2, printFn: (l) => lines.push(l) });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^2\/2 - \d+s - loss: [\d.]+ - accuracy: [\d.]+ - /);
  });
});
