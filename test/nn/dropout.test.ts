import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertThrows, describeEachBackend } from '../helpers.js';
import { checkModuleGrad, parameterCount } from './layer-helpers.js';

const { Dropout } = sd.nn;

describeEachBackend('Dropout', () => {
  it('in training zeroes about p of the elements and scales the others by 1/(1 − p)', () => {
    sd.seed(0);
    const x = sd.add(sd.rand([20000]), 1);
    const y = new Dropout(0.2).call(x);
    let zeros = 0;
    for (let i = 0; i < x.size; i++) {
      if (y.values[i] === 0) zeros++;
      else assert.ok(Math.abs(y.values[i] - x.values[i] / 0.8) < 1e-6, `element ${i} scaled by 1/(1 − p)`);
    }
    assert.ok(Math.abs(zeros / x.size - 0.2) < 0.015, `dropped fraction ${zeros / x.size}`);
  });

  it('in eval returns its input itself', () => {
    const drop = new Dropout(0.5);
    const x = sd.randn([3, 4]);
    assert.equal(drop.eval().call(x), x);
    drop.train();
    assert.notEqual(drop.call(x), x);
  });
});

describe('Dropout', () => {
  it('is the identity for p = 0 and zero for p = 1', () => {
    const x = sd.randn([5]);
    assert.deepEqual([...new Dropout(0).call(x).values], [...x.values]);
    assert.deepEqual([...new Dropout(1).call(x).values].map(Math.abs), [0, 0, 0, 0, 0]);
  });

  it('draws its masks from the seeded generator', () => {
    const x = sd.ones([100]);
    sd.seed(42);
    const a = new Dropout().call(x);
    sd.seed(42);
    const b = new Dropout().call(x);
    assert.deepEqual([...a.values], [...b.values]);
  });

  it('passes the gradient through the kept elements only, scaled like them', () => {
    const x = sd.randn([50]).requiresGrad_();
    const y = new Dropout(0.4).call(x);
    sd.sum(y).backward();
    for (let i = 0; i < x.size; i++) assert.ok(Math.abs(x.grad!.values[i] - (y.values[i] === 0 ? 0 : 1 / 0.6)) < 1e-6);
    checkModuleGrad(new Dropout(0.3), [sd.randn([3, 4])], {}, () => sd.seed(9));
  });

  it('has no parameters, prints and describes itself as PyTorch', () => {
    const drop = new Dropout(0.2);
    assert.equal(parameterCount(drop), 0);
    assert.equal(drop.toString(), 'Dropout(p=0.2, inplace=False)');
    assert.equal(new Dropout().toString(), 'Dropout(p=0.5, inplace=False)');
    assert.equal(new Dropout(0).toString(), 'Dropout(p=0.0, inplace=False)');
    assert.deepEqual(drop.getConfig(), { p: 0.2 });
    assert.equal(new Dropout({ p: 0.3 }).p, 0.3);
  });

  it('rejects a p outside [0, 1] and non-tensor input', () => {
    assertThrows(() => new Dropout(1.5), sd.ValueError, /^Dropout: p must be a probability in \[0, 1\], got 1.5$/);
    assertThrows(() => new Dropout(-0.1), sd.ValueError, /got -0.1/);
    assertThrows(() => new Dropout('0.5' as never), sd.ValueError, /^Dropout: p must be a probability in \[0, 1\], got '0.5'$/);
    assertThrows(() => new Dropout({ rate: 0.5 } as never), sd.ValueError, /Dropout: unknown option 'rate' \(expected p\)/);
    assertThrows(() => new Dropout(0.5).call(null as never), sd.ValueError, /^Dropout\(p=0.5\): input must be a Tensor, got null$/);
    assertThrows(() => new Dropout(0.5).call(sd.zeros([2], 'int32')), sd.DTypeError, /^Dropout\(p=0.5, inplace=False\): dropout: x must be float32/);
  });
});
