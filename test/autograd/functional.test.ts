import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

const f64 = (data: sd.NestedArray) => sd.tensor(data, undefined, 'float64');

it('grad differentiates a function of several tensors with respect to each', () => {
  const a = f64([1, 2]);
  const b = f64([3, -1]);
  const c = f64([[0.5], [1.5]]);
  // f = Σ a·b + Σ sin(c)·a (c broadcasts against a)
  const f = (x: sd.Tensor, y: sd.Tensor, z: sd.Tensor) => sd.add(sd.sum(sd.mul(x, y)), sd.sum(sd.mul(sd.sin(z), x)));
  const [da, db, dc] = sd.grad(f)(a, b, c);
  const s = [Math.sin(0.5), Math.sin(1.5)];
  assertClose(da, [3 + s[0] + s[1], -1 + s[0] + s[1]]);
  assertClose(db, [1, 2]);
  assertClose(dc, [[Math.cos(0.5) * 3], [Math.cos(1.5) * 3]]);
  assert.equal(da.dtype, 'float64');
});

it('valueAndGrad returns the value, detached, and leaves the arguments untouched', () => {
  const x = sd.tensor([1, 2, 3]);
  const { value, grads } = sd.valueAndGrad((t) => sd.sum(sd.square(t)))(x);
  assert.equal(value.item(), 14);
  assert.equal(value.requiresGrad, false);
  assertClose(grads[0], [2, 4, 6]);
  assert.equal(x.requiresGrad, false);
  assert.equal(x.grad, null);
  // a second call starts from zero: nothing accumulates between calls
  assertClose(sd.valueAndGrad((t) => sd.sum(sd.square(t)))(x).grads[0], [2, 4, 6]);
});

it('gives zero gradients for arguments the function does not use', () => {
  const [da, db] = sd.grad((a, _b) => sd.sum(a))(sd.ones([2]), sd.ones([2, 2], 'float64'));
  assertClose(da, [1, 1]);
  assert.equal(db.dtype, 'float64');
  assertClose(db, [[0, 0], [0, 0]]);
  const [dc] = sd.grad(() => sd.scalar(3))(sd.ones([3]));
  assertClose(dc, [0, 0, 0]);
});

it('records even when called inside noGrad', () => {
  const [g] = sd.noGrad(() => sd.grad((t) => sd.sum(sd.mul(t, 5)))(sd.ones([2])));
  assertClose(g, [5, 5]);
  assert.equal(sd.isGradEnabled(), true);
});

it('vjp takes an output gradient for a non-scalar function', () => {
  const { value, grads } = sd.vjp((a, b) => sd.mul(a, b), [f64([1, 2]), f64([3, 4])], f64([1, -1]));
  assertClose(value, [3, 8]);
  assertClose(grads[0], [3, -4]);
  assertClose(grads[1], [1, -2]);
});

it('rejects non-scalar results, non-float arguments and non-tensors', () => {
  assertThrows(
    () => sd.grad((t) => sd.mul(t, 2))(sd.ones([2])),
    sd.ShapeError,
    /^grad: f must return a scalar, got shape \[2\] \(pass an output gradient with vjp\)/,
  );
  assertThrows(() => sd.valueAndGrad((t) => t)(sd.ones([2, 2])), sd.ShapeError, /^valueAndGrad: f must return a scalar, got shape \[2,2\]/);
  assertThrows(
    () => sd.grad((a, b) => sd.sum(a))(sd.ones([1]), sd.ones([1], 'int32')),
    sd.DTypeError,
    /^grad: argument 1 must be a float tensor to be differentiated, got int32/,
  );
  assertThrows(() => sd.grad((a) => a)([1, 2] as unknown as sd.Tensor), sd.ValueError, /^grad: argument 0 must be a Tensor, got object/);
  assertThrows(() => sd.grad(() => 3 as unknown as sd.Tensor)(sd.ones([1])), sd.ValueError, /^grad: f must return a Tensor, got number/);
  assertThrows(() => sd.vjp((a) => sd.mul(a, 2), [sd.ones([2])], sd.ones([3])), sd.ShapeError, /^backward: gradient has shape \[3\] but the output has shape \[2\]/);
});

it('createGraph gives gradients that can be differentiated again: d²/dx² x³ = 6x, d³/dx³ x³ = 6', () => {
  const cube = (t: sd.Tensor) => sd.sum(sd.mul(sd.mul(t, t), t));
  const first = sd.grad(cube, { createGraph: true });
  const second = sd.grad((t) => sd.sum(first(t)[0]), { createGraph: true });
  const third = sd.grad((t) => sd.sum(second(t)[0]));
  const x = f64([1.5, -2, 0.25]);
  const [d1] = first(x);
  assertClose(d1, [3 * 1.5 ** 2, 12, 3 * 0.0625]);
  assert.equal(d1.requiresGrad, true);
  assertClose(second(x)[0], [9, -12, 1.5]);
  assertClose(third(x)[0], [6, 6, 6]);
  // the arguments are left as they were
  assert.equal(x.requiresGrad, false);
  assert.equal(x.grad, null);
});

it('createGraph gives mixed partial derivatives of several arguments', () => {
  // f = Σ a²·b: ∂f/∂a = 2ab, ∂²f/∂b∂a summed over a = 2a
  const df = sd.grad((a, b) => sd.sum(sd.mul(sd.square(a), b)), { createGraph: true });
  const [dda, ddb] = sd.grad((a, b) => sd.sum(df(a, b)[0]))(f64([1, -3]), f64([2, 5]));
  assertClose(dda, [4, 10]); // 2b
  assertClose(ddb, [2, -6]); // 2a
  // inside an outer grad, one tensor passed twice gets its own gradient in each position
  const inner = sd.grad((u, v) => sd.sum(sd.mul(u, sd.square(v))), { createGraph: true });
  const [d] = sd.grad((t) => {
    const [p, q] = inner(t, t);
    assertClose(p, [4]); // v² = t²
    assertClose(q, [8]); // 2uv = 2t²
    return sd.sum(sd.add(p, q));
  })(f64([2]));
  assertClose(d, [12]); // d/dt 3t²
});

it('createGraph leaves every .grad untouched and returns the value in the graph', () => {
  const w = f64([2, 3]).requiresGrad_(); // captured from outside
  const x = f64([1, 1]).requiresGrad_();
  const { value, grads } = sd.valueAndGrad((t) => sd.sum(sd.mul(sd.square(t), w)), { createGraph: true })(x);
  assertClose(value, 5);
  assert.equal(value.requiresGrad, true);
  assertClose(grads[0], [4, 6]);
  assert.equal(w.grad, null);
  assert.equal(x.grad, null);
  // the gradient is connected to x and w: Σ 2·x·w differentiated by backward()
  sd.sum(grads[0]).backward();
  assertClose(x.grad!, [4, 6]);
  assertClose(w.grad!, [2, 2]);
  const { grads: vg } = sd.vjp((t) => sd.square(t), [f64([3, -1])], f64([1, 2]), { createGraph: true });
  assertClose(vg[0], [6, -4]);
  assert.equal(vg[0].requiresGrad, true);
  assertClose(sd.grad(() => sd.scalar(1), { createGraph: true })(f64([1, 2]))[0], [0, 0]);
});

it('rejects bad options', () => {
  assertThrows(() => sd.grad((t) => sd.sum(t), { createGraph: 1 as unknown as boolean }), sd.ValueError, /^grad: createGraph must be true or false, got 1/);
  assertThrows(() => sd.valueAndGrad((t) => sd.sum(t), null as unknown as sd.GradOptions), sd.ValueError, /^valueAndGrad: options must be an object like \{ createGraph: true \}, got null/);
});
