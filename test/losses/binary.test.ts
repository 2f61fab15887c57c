import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';
import { casesStartingWith, checkLossFixture } from './fixture.js';

describeEachBackend('binary cross-entropy', () => {
  it('matches PyTorch on probabilities and on logits, every reduction, with weights', () => {
    const names = [...casesStartingWith('bce_'), ...casesStartingWith('bceLogits_')];
    assert.ok(names.length >= 9);
    for (const name of names) checkLossFixture(name);
  });

  it('clamps the log at -100 for probabilities of exactly 0 and 1, as PyTorch', () => {
    const loss = sd.losses.binaryCrossEntropy(sd.tensor([0, 1]), sd.tensor([1, 0]), { reduction: 'none' });
    assertClose(loss, [100, 100]);
  });

  it('is exact for large logits where sigmoid then log would round', () => {
    const x = sd.tensor([-100, 100]);
    assertClose(sd.losses.binaryCrossEntropyWithLogits(x, sd.tensor([1, 0]), { reduction: 'none' }), [100, 100]);
    assertClose(sd.losses.binaryCrossEntropyWithLogits(x, sd.tensor([0, 1]), { reduction: 'none' }), [0, 0]);
  });

  it('accepts 0/1 labels as int32 or bool-free numbers', () => {
    const p = sd.tensor([0.8, 0.3]);
    const expected = -(Math.log(0.8) + Math.log(0.7)) / 2;
    assertClose(sd.losses.binaryCrossEntropy(p, sd.tensor(new Int32Array([1, 0]))), expected);
    assertClose(sd.losses.binaryCrossEntropy(p, [1, 0]), expected);
  });

  it('rejects inputs outside [0, 1], mismatched shapes and weights that do not broadcast', () => {
    assertThrows(() => sd.losses.binaryCrossEntropy(sd.tensor([0.5, 1.5]), sd.tensor([1, 0])), sd.ValueError, /binaryCrossEntropy: input must hold probabilities in \[0, 1\], got 1.5 at position 1 \(for logits use binaryCrossEntropyWithLogits\)/);
    assertThrows(() => sd.losses.binaryCrossEntropy(sd.tensor([0.5, 0.5]), sd.tensor([[1, 0]])), sd.ShapeError, /input \[2\] and target \[1,2\]/);
    assertThrows(() => sd.losses.binaryCrossEntropyWithLogits(sd.zeros([2, 3]), sd.zeros([2, 3]), { posWeight: [1, 2] }), sd.ShapeError, /binaryCrossEntropyWithLogits: shapes \[2\] and \[2,3\] cannot be broadcast/);
    assertThrows(() => sd.losses.binaryCrossEntropy(sd.tensor([0.5]), sd.tensor([1]), { weight: sd.ones([2, 1]) }), sd.ShapeError, /weight \[2,1\] must broadcast to the input shape \[1\]/);
  });
});

it('binary cross-entropy passes gradcheck', () => {
  const p = sd.add(sd.mul(sd.rand([3, 4]), 0.8), 0.1);
  checkGrad((x, t) => sd.losses.binaryCrossEntropy(x, t), [p, sd.rand([3, 4])]);
  checkGrad((x, t, w) => sd.losses.binaryCrossEntropy(x, t, { weight: w, reduction: 'sum' }), [p, sd.rand([3, 4]), sd.rand([4])]);
  checkGrad((x, t) => sd.losses.binaryCrossEntropyWithLogits(x, t), [sd.randn([3, 4]), sd.rand([3, 4])]);
  checkGrad(
    (x, t, w, pw) => sd.losses.binaryCrossEntropyWithLogits(x, t, { weight: w, posWeight: pw, reduction: 'none' }),
    [sd.randn([3, 4]), sd.rand([3, 4]), sd.rand([3, 1]), sd.rand([4])],
  );
});
