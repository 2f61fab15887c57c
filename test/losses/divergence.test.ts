import { it } from 'node:test';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';
import { casesStartingWith, checkLossFixture } from './fixture.js';

describeEachBackend('klDiv', () => {
  it('matches PyTorch kl_div for every reduction, batchmean and logTarget', () => {
    const names = casesStartingWith('kl_');
    if (names.length < 6) throw new Error('too few kl fixtures');
    for (const name of names) checkLossFixture(name);
  });

  it('counts zero-probability targets as 0', () => {
    const logP = sd.log(sd.tensor([[0.5, 0.5]]));
    assertClose(sd.losses.klDiv(logP, sd.tensor([[1, 0]]), { reduction: 'batchmean' }), Math.log(2));
  });

  it('rejects bad reductions, logTarget and shapes', () => {
    assertThrows(() => sd.losses.klDiv(sd.zeros([2]), sd.zeros([2]), { reduction: 'avg' as 'mean' }), sd.ValueError, /klDiv: reduction must be 'mean', 'sum', 'none', 'batchmean', got 'avg'/);
    assertThrows(() => sd.losses.klDiv(sd.zeros([2]), sd.zeros([2]), { logTarget: 1 as unknown as boolean }), sd.ValueError, /klDiv: logTarget must be true or false/);
    assertThrows(() => sd.losses.klDiv(sd.zeros([2, 3]), sd.zeros([3])), sd.ShapeError, /klDiv: input and target must have the same shape, got input \[2,3\] and target \[3\]/);
  });
});

it('klDiv passes gradcheck', () => {
  checkGrad((x, t) => sd.losses.klDiv(x, t, { reduction: 'batchmean' }), [sd.logSoftmax(sd.randn([3, 4]), 1), sd.softmax(sd.randn([3, 4]), 1)]);
  checkGrad((x, t) => sd.losses.klDiv(x, t, { logTarget: true, reduction: 'none' }), [sd.randn([3, 4]), sd.randn([3, 4])]);
});
