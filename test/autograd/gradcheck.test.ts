import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { record } from '../../src/ops/op.js';
import { assertThrows } from '../helpers.js';

/** x², computed without recording, then recorded with the gradient `grad`. */
function squareWithGrad(grad: (dy: sd.Tensor, x: sd.Tensor) => sd.Tensor | null) {
  return (x: sd.Tensor): sd.Tensor => {
    const out = sd.noGrad(() => sd.mul(x, x));
    return record('square_under_test', out, [x], (dy, [t]) => [grad(dy, t)]);
  };
}

it('passes a correct gradient', () => {
  sd.seed(0);
  const right = squareWithGrad((dy, t) => sd.mul(dy, sd.mul(t, 2)));
  const result = sd.gradcheck(right, [sd.randn([3, 2])]);
  assert.equal(result.ok, true);
  assert.ok(result.maxError < 1e-6, `max error ${result.maxError}`);
  sd.gradcheck((a, b) => sd.mul(sd.sin(a), sd.exp(b)), [sd.randn([4]), sd.randn([2, 1])]);
});

it('fails a wrong gradient, naming the input and the element', () => {
  sd.seed(0);
  const wrong = squareWithGrad((dy, t) => sd.mul(dy, t)); // missing the factor 2
  const x = sd.tensor([1, -2, 3]);
  assertThrows(
    () => sd.gradcheck(wrong, [x]),
    Error,
    /^gradcheck: analytic and numeric gradients differ: input 0, element 2: analytic -?[\d.]+, numeric -?[\d.]+ \(max error [\d.]+\)/,
  );
  const result = sd.gradcheck(wrong, [x], { throwOnFailure: false });
  assert.equal(result.ok, false);
  assert.equal(result.worst?.input, 0);
  assert.ok(Math.abs(result.worst!.numeric - 2 * result.worst!.analytic) < 1e-6);
});

it('fails a gradient that is off by a little, or missing', () => {
  const slightlyWrong = squareWithGrad((dy, t) => sd.mul(dy, sd.mul(t, 2.01)));
  assert.equal(sd.gradcheck(slightlyWrong, [sd.tensor([1, 2])], { throwOnFailure: false }).ok, false);
  const missing = squareWithGrad(() => null);
  assert.equal(sd.gradcheck(missing, [sd.tensor([1, 2])], { throwOnFailure: false }).ok, false);
  // a wrong gradient in the second input only
  const f = (a: sd.Tensor, b: sd.Tensor) => sd.add(a, squareWithGrad((dy) => dy)(b));
  const result = sd.gradcheck(f, [sd.tensor([1, 2]), sd.tensor([3, 4])], { throwOnFailure: false });
  assert.equal(result.ok, false);
  assert.equal(result.worst?.input, 1);
});

it('checks in float64 without modifying the inputs, and passes integer inputs through', () => {
  const x = sd.tensor([0.1, 0.2, 0.3]);
  const before = [...x.values];
  let seenDType = '';
  sd.gradcheck((t) => {
    seenDType = t.dtype;
    return sd.exp(t);
  }, [x]);
  assert.equal(seenDType, 'float64');
  assert.deepEqual([...x.values], before);
  assert.equal(x.grad, null);
  const scale = sd.tensor(new Int32Array([2, 3, 4]));
  sd.gradcheck((t, k) => sd.mul(t, sd.cast(k, 'float64')), [x, scale]);
});

it('works when called inside noGrad and rejects a function that returns no tensor', () => {
  sd.noGrad(() => sd.gradcheck((t) => sd.tanh(t), [sd.tensor([0.5])]));
  assertThrows(() => sd.gradcheck(() => 1 as unknown as sd.Tensor, [sd.tensor([1])]), sd.ValueError, /^gradcheck: f must return a Tensor, got number/);
});
