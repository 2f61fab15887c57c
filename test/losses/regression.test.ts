import { it } from 'node:test';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';
import { casesStartingWith, checkLossFixture } from './fixture.js';

describeEachBackend('regression losses', () => {
  it('match PyTorch for every reduction, forward and backward', () => {
    for (const prefix of ['mse_', 'l1_', 'huber_', 'smoothL1_']) {
      const names = casesStartingWith(prefix);
      if (names.length < 3) throw new Error(`too few fixtures for ${prefix}`);
      for (const name of names) checkLossFixture(name);
    }
  });

  it('compute the documented values', () => {
    assertClose(sd.losses.mseLoss(sd.tensor([1, 2]), sd.tensor([1, 4])), 2);
    assertClose(sd.losses.l1Loss(sd.tensor([1, 2]), sd.tensor([1, 4])), 1);
    assertClose(sd.losses.huberLoss(sd.tensor([0.5, 3]), sd.tensor([0, 0])), (0.125 + 2.5) / 2);
    assertClose(sd.losses.smoothL1Loss(sd.tensor([0.25, 3]), sd.tensor([0, 0]), { beta: 0.5, reduction: 'none' }), [0.0625, 2.75]);
  });

  it('take int32 targets and plain arrays, in the input dtype', () => {
    const loss = sd.losses.mseLoss(sd.tensor([1, 2]), sd.tensor(new Int32Array([1, 4])));
    assertClose(loss, 2);
    assertClose(sd.losses.l1Loss(sd.tensor([1, 2]), [0, 0], { reduction: 'sum' }), 3);
  });

  it('reject shape mismatches, naming both shapes, and bad options', () => {
    assertThrows(() => sd.losses.mseLoss(sd.zeros([4, 1]), sd.zeros([4])), sd.ShapeError, /mseLoss: input and target must have the same shape, got input \[4,1\] and target \[4\]/);
    assertThrows(() => sd.losses.l1Loss(sd.zeros([2]), sd.tensor([true, false])), sd.DTypeError, /l1Loss: target must be numeric, got bool/);
    assertThrows(() => sd.losses.mseLoss(sd.tensor(new Int32Array([1])), sd.zeros([1])), sd.DTypeError, /mseLoss: input must be float32 or float64, got int32/);
    assertThrows(() => sd.losses.mseLoss(sd.zeros([2]), sd.zeros([2]), { reduction: 'avg' as 'mean' }), sd.ValueError, /mseLoss: reduction must be 'mean', 'sum', 'none', got 'avg'/);
    assertThrows(() => sd.losses.huberLoss(sd.zeros([2]), sd.zeros([2]), { delta: 0 }), sd.ValueError, /huberLoss: delta must be a number > 0, got 0/);
    assertThrows(() => sd.losses.smoothL1Loss(sd.zeros([2]), sd.zeros([2]), { beta: -1 }), sd.ValueError, /smoothL1Loss: beta must be a number >= 0, got -1/);
    assertThrows(() => sd.losses.mseLoss(sd.zeros([2]), sd.zeros([2]), 'sum' as never), sd.ValueError, /mseLoss: options must be an object/);
  });
});

it('regression losses pass gradcheck', () => {
  const pair = (): sd.Tensor[] => [sd.randn([3, 4]), sd.randn([3, 4])];
  checkGrad((x, t) => sd.losses.mseLoss(x, t), pair());
  checkGrad((x, t) => sd.losses.l1Loss(x, t, { reduction: 'sum' }), pair());
  checkGrad((x, t) => sd.losses.huberLoss(x, t, { delta: 0.7, reduction: 'none' }), pair());
  checkGrad((x, t) => sd.losses.smoothL1Loss(x, t, { beta: 0.3 }), pair());
});
