import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('arithmetic');

describeEachBackend('arithmetic', () => {
  it('matches PyTorch with broadcasting, forward and backward', () => {
    checkFixture(fixtures, 'add_broadcast', sd.add);
    checkFixture(fixtures, 'add_scalar_tensor', sd.add);
    checkFixture(fixtures, 'sub_broadcast', sd.sub);
    checkFixture(fixtures, 'mul_broadcast', sd.mul);
    checkFixture(fixtures, 'div_broadcast', sd.div);
    checkFixture(fixtures, 'pow_positive_base', sd.pow);
    checkFixture(fixtures, 'maximum_broadcast', sd.maximum);
    checkFixture(fixtures, 'minimum_broadcast', sd.minimum);
    checkFixture(fixtures, 'neg_zero_size', sd.neg);
  });

  it('matches PyTorch with scalars on either side, size-0 broadcasting and transposed or sliced operands', () => {
    const ops = { add: sd.add, sub: sd.sub, mul: sd.mul, div: sd.div, pow: sd.pow, maximum: sd.maximum, minimum: sd.minimum };
    for (const [name, op] of Object.entries(ops)) {
      checkFixture(fixtures, `${name}_scalar_first`, op);
      checkFixture(fixtures, `${name}_scalar_second`, op);
      checkFixture(fixtures, `${name}_zero_size`, op);
      checkFixture(fixtures, `${name}_of_transposed_and_sliced`, (a, b) => op(sd.transpose(a), sd.index(b, ':, ::2')));
    }
  });

  it('keeps int32 for add and gives float32 for true division', () => {
    checkFixture(fixtures, 'add_int32', sd.add);
    checkFixture(fixtures, 'div_int32_is_true_division', sd.div);
  });

  it('gives a JS number the tensor dtype', () => {
    assert.equal(sd.mul(sd.tensor(new Int32Array([1, 2])), 3).dtype, 'int32');
    assert.equal(sd.mul(sd.tensor(new Int32Array([1, 2])), 0.5).dtype, 'float32');
    assertClose(sd.add(sd.tensor([1, 2]), 1), [2, 3]);
  });

  it('splits the gradient of maximum evenly at ties, as PyTorch', () => {
    const a = sd.tensor([1, 2, 3]).requiresGrad_();
    const b = sd.tensor([1, 5, 0]).requiresGrad_();
    sd.sum(sd.maximum(a, b)).backward();
    assertClose(a.grad!, [0.5, 0, 1]);
    assertClose(b.grad!, [0.5, 1, 0]);
  });

  it('rejects shapes that do not broadcast, naming both', () => {
    assertThrows(() => sd.add(sd.zeros([2, 3]), sd.zeros([4])), sd.ShapeError, /add: shapes \[2,3\] and \[4\] cannot be broadcast/);
    assertThrows(() => sd.neg(sd.tensor([true])), sd.DTypeError, /neg: x must be numeric, got bool/);
  });
});

it('arithmetic gradients pass gradcheck', () => {
  checkGrad((a, b) => sd.add(a, b), [sd.randn([2, 3]), sd.randn([3])]);
  checkGrad((a, b) => sd.sub(a, b), [sd.randn([2, 1]), sd.randn([3])]);
  checkGrad((a, b) => sd.mul(a, b), [sd.randn([2, 3]), sd.randn([2, 1])]);
  checkGrad((a, b) => sd.div(a, b), [sd.randn([2, 3]), sd.add(sd.rand([3]), 1)]);
  checkGrad((a, b) => sd.pow(a, b), [sd.add(sd.rand([2, 3]), 0.5), sd.randn([3])]);
  checkGrad((a, b) => sd.maximum(a, b), [sd.randn([4, 3]), sd.randn([3])]);
  checkGrad((a, b) => sd.minimum(a, b), [sd.randn([4, 3]), sd.randn([4, 1])]);
  checkGrad((a) => sd.neg(a), [sd.randn([3])]);
});

it('pow has gradient 0 at 0^0 in both operands, as PyTorch', () => {
  const a = sd.tensor([0, 0, 2]).requiresGrad_();
  const b = sd.tensor([0, 2, 0]).requiresGrad_();
  sd.sum(sd.pow(a, b)).backward();
  assertClose(a.grad!, [0, 0, 0]);
  assertClose(b.grad!, [0, 0, Math.log(2)]);
});
