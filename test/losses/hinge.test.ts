import { it } from 'node:test';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';
import { casesStartingWith, checkLossFixture } from './fixture.js';

describeEachBackend('hinge losses', () => {
  it('match the Keras definitions for every reduction', () => {
    const names = [...casesStartingWith('hinge_'), ...casesStartingWith('squaredHinge_'), ...casesStartingWith('categoricalHinge_')];
    if (names.length < 10) throw new Error('too few hinge fixtures');
    for (const name of names) checkLossFixture(name);
  });

  it('maps 0/1 labels to -1/1 as Keras does', () => {
    const scores = sd.tensor([0.5, -2, 0.3]);
    const pm = sd.losses.hingeLoss(scores, sd.tensor([1, -1, -1]), { reduction: 'none' });
    assertClose(pm, [0.5, 0, 1.3]);
    assertClose(sd.losses.hingeLoss(scores, sd.tensor([1, 0, 0]), { reduction: 'none' }), pm);
    assertClose(sd.losses.squaredHingeLoss(scores, sd.tensor([1, 0, 0]), { reduction: 'sum' }), 0.25 + 1.69);
  });

  it('categoricalHingeLoss: max wrong score minus right score plus 1', () => {
    const loss = sd.losses.categoricalHingeLoss(sd.tensor([[2, 1, 0.5], [0, 3, 1]]), sd.tensor([[1, 0, 0], [1, 0, 0]]), { reduction: 'none' });
    assertClose(loss, [0, 4]);
  });

  it('reject mismatched shapes and a scalar categorical input', () => {
    assertThrows(() => sd.losses.hingeLoss(sd.zeros([3]), sd.zeros([3, 1])), sd.ShapeError, /hingeLoss: input and target must have the same shape, got input \[3\] and target \[3,1\]/);
    assertThrows(() => sd.losses.categoricalHingeLoss(sd.scalar(1), sd.scalar(1)), sd.ShapeError, /categoricalHingeLoss: input must have a class axis/);
  });
});

it('hinge losses pass gradcheck', () => {
  const t = sd.tensor([[1, -1, 1], [-1, -1, 1]]);
  checkGrad((x) => sd.losses.hingeLoss(x, t), [sd.tensor([[0.2, 0.4, -1.5], [0.3, -2, 0.1]])]);
  checkGrad((x) => sd.losses.squaredHingeLoss(x, t, { reduction: 'sum' }), [sd.tensor([[0.2, 0.4, -1.5], [0.3, -2, 0.1]])]);
  checkGrad((x) => sd.losses.categoricalHingeLoss(x, sd.tensor([[0, 1, 0], [1, 0, 0]])), [sd.tensor([[0.2, 0.4, -0.5], [0.3, 0.9, 0.1]])]);
});
