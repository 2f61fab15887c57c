import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

describe('loss modules (sd.nn)', () => {
  const x = sd.randn([4, 3]);
  const t = sd.randn([4, 3]);
  const y = sd.tensor(new Int32Array([0, 2, 1, 2]));

  it('give the same values as the functions, through call and forward', () => {
    assertClose(new sd.nn.MSELoss().call(x, t), sd.losses.mseLoss(x, t));
    assertClose(new sd.nn.L1Loss({ reduction: 'sum' }).forward(x, t), sd.losses.l1Loss(x, t, { reduction: 'sum' }));
    assertClose(new sd.nn.HuberLoss({ delta: 0.5 }).call(x, t), sd.losses.huberLoss(x, t, { delta: 0.5 }));
    assertClose(new sd.nn.SmoothL1Loss({ beta: 0.5 }).call(x, t), sd.losses.smoothL1Loss(x, t, { beta: 0.5 }));
    const p = sd.sigmoid(x);
    const target = sd.rand([4, 3]);
    assertClose(new sd.nn.BCELoss({ weight: [1, 2, 3] }).call(p, target), sd.losses.binaryCrossEntropy(p, target, { weight: [1, 2, 3] }));
    assertClose(
      new sd.nn.BCEWithLogitsLoss({ posWeight: [2, 1, 1] }).call(x, target),
      sd.losses.binaryCrossEntropyWithLogits(x, target, { posWeight: [2, 1, 1] }),
    );
    const ce = new sd.nn.CrossEntropyLoss({ weight: [1, 2, 0.5], labelSmoothing: 0.1, ignoreIndex: 1 });
    assertClose(ce.call(x, y), sd.losses.crossEntropy(x, y, { weight: [1, 2, 0.5], labelSmoothing: 0.1, ignoreIndex: 1 }));
    const lp = sd.logSoftmax(x, 1);
    assertClose(new sd.nn.NLLLoss({ reduction: 'none' }).call(lp, y), sd.losses.nllLoss(lp, y, { reduction: 'none' }));
    const q = sd.softmax(t, 1);
    assertClose(new sd.nn.KLDivLoss({ reduction: 'batchmean' }).call(lp, q), sd.losses.klDiv(lp, q, { reduction: 'batchmean' }));
  });

  it('keep class weights as buffers, have no parameters, and print like PyTorch', () => {
    const ce = new sd.nn.CrossEntropyLoss({ weight: sd.tensor([1, 2, 3]) });
    assert.deepEqual(Object.keys(ce.stateDict()), ['weight']);
    assert.equal(ce.parameters().length, 0);
    assert.deepEqual(Object.keys(new sd.nn.CrossEntropyLoss().stateDict()), []);
    assert.equal(new sd.nn.MSELoss().toString(), 'MSELoss()');
    assert.equal(new sd.nn.CrossEntropyLoss({ reduction: 'sum', labelSmoothing: 0.1 }).toString(), "CrossEntropyLoss(reduction='sum', label_smoothing=0.1)");
  });

  it('train a model end to end with backward', () => {
    const w = sd.randn([3, 3]).requiresGrad_();
    new sd.nn.CrossEntropyLoss().call(sd.matmul(x, w), y).backward();
    assert.deepEqual([...w.grad!.shape], [3, 3]);
  });

  it('check their options in the constructor', () => {
    assertThrows(() => new sd.nn.MSELoss({ reduction: 'avg' as 'mean' }), sd.ValueError, /MSELoss: reduction must be 'mean', 'sum', 'none', got 'avg'/);
    assertThrows(() => new sd.nn.HuberLoss({ delta: -1 }), sd.ValueError, /HuberLoss: delta must be a number > 0, got -1/);
    assertThrows(() => new sd.nn.CrossEntropyLoss({ labelSmoothing: 2 }), sd.ValueError, /CrossEntropyLoss: labelSmoothing must lie in \[0, 1\], got 2/);
    assertThrows(() => new sd.nn.CrossEntropyLoss({ ignoreIndex: 1.5 }), sd.ValueError, /CrossEntropyLoss: ignoreIndex must be an integer/);
    assertThrows(() => new sd.nn.KLDivLoss({ reduction: 'batch' as 'mean' }), sd.ValueError, /KLDivLoss: reduction must be 'mean', 'sum', 'none', 'batchmean', got 'batch'/);
  });
});
