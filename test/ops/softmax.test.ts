import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('linalg');

const cases = ['last', 'axis0', 'middle', 'negative_axis', 'large', 'masked', 'infinite', 'scalar', 'size1_axis', 'empty'];

describeEachBackend('softmax', () => {
  it('matches PyTorch softmax along several axes, forward and backward', () => {
    for (const c of cases) {
      const name = `softmax_${c}`;
      const { axis } = fixtures.get(name)!.args as { axis: number };
      checkFixture(fixtures, name, (x) => sd.softmax(x, axis));
    }
  });

  it('matches PyTorch logSoftmax along several axes, forward and backward', () => {
    for (const c of cases) {
      const name = `log_softmax_${c}`;
      const { axis } = fixtures.get(name)!.args as { axis: number };
      checkFixture(fixtures, name, (x) => sd.logSoftmax(x, axis));
    }
  });

  it('stays finite for huge logits and sums to one', () => {
    const x = sd.tensor([[3e38, 3e38, -3e38], [1e4, 0, -1e4]]);
    const y = sd.softmax(x);
    assertClose(y, [[0.5, 0.5, 0], [1, 0, 0]]);
    assertClose(sd.logSoftmax(sd.tensor([1000, 0])), [0, -1000]);
    const z = sd.softmax(sd.randn([3, 7, 5]), 1);
    assertClose(sd.sum(z, 1), sd.ones([3, 5]));
  });

  it('propagates NaN through its line only (lines with an infinite maximum too, as PyTorch)', () => {
    const y = sd.softmax(sd.tensor([[NaN, 1], [1, 1]]));
    assert.ok(Number.isNaN(y.values[0]) && Number.isNaN(y.values[1]));
    assertClose(sd.slice(y, [1, 0], [1, 2]), [[0.5, 0.5]]);
  });

  it('matches PyTorch on a strided slice, forward and backward', () => {
    checkFixture(fixtures, 'softmax_of_sliced', (x) => sd.softmax(sd.index(x, '1:, ::2'), 0));
  });

  it('takes a transposed input', () => {
    const x = sd.randn([3, 4]);
    assertClose(sd.softmax(sd.transpose(x), 0), sd.transpose(sd.softmax(x, 1)));
  });

  it('rejects non-float inputs and out-of-range axes', () => {
    assertThrows(() => sd.softmax(sd.tensor(new Int32Array([1, 2]))), sd.DTypeError, /softmax: x must be float32 or float64, got int32/);
    assertThrows(() => sd.logSoftmax(sd.tensor([true])), sd.DTypeError, /logSoftmax: x must be float32 or float64, got bool/);
    assertThrows(() => sd.softmax(sd.zeros([2, 3]), 2), sd.ValueError, /softmax: axis 2 is out of range for a tensor of rank 2/);
    assertThrows(() => sd.logSoftmax(sd.zeros([2, 3]), -3), sd.ValueError, /logSoftmax: axis -3 is out of range/);
    assertThrows(() => sd.softmax(sd.scalar(1), 1), sd.ValueError, /softmax: axis 1 is out of range/);
  });
});

it('softmax and logSoftmax gradients pass gradcheck on every axis', () => {
  for (const axis of [0, 1, 2, -1]) {
    checkGrad((x) => sd.softmax(x, axis), [sd.randn([2, 3, 4])]);
    checkGrad((x) => sd.logSoftmax(x, axis), [sd.randn([2, 3, 4])]);
  }
  checkGrad((x) => sd.softmax(x), [sd.mul(sd.randn([2, 5]), 20)]);
  checkGrad((x) => sd.logSoftmax(x), [sd.scalar(0.3)]);
});

it('softmax has a second derivative (its gradient is made of ops)', () => {
  const x = sd.randn([2, 4], { dtype: 'float64' }).requiresGrad_();
  const w = sd.randn([2, 4], { dtype: 'float64' });
  const y = sd.sum(sd.mul(sd.softmax(x), w));
  y.backward(undefined, { createGraph: true });
  const g = x.grad!;
  assert.ok(g.requiresGrad, 'the gradient is differentiable with createGraph');
});
