import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('unary');
sd.seed(7);

const ops: Record<string, (x: sd.Tensor) => sd.Tensor> = {
  neg: sd.neg,
  abs: sd.abs,
  sign: sd.sign,
  exp: sd.exp,
  log: sd.log,
  log1p: sd.log1p,
  expm1: sd.expm1,
  sqrt: sd.sqrt,
  rsqrt: sd.rsqrt,
  square: sd.square,
  reciprocal: sd.reciprocal,
  sin: sd.sin,
  cos: sd.cos,
  tanh: sd.tanh,
  erf: sd.erf,
  floor: sd.floor,
  ceil: sd.ceil,
  round: sd.round,
};

const ints = () => sd.tensor(new Int32Array([1, 2]));

describeEachBackend('unary', () => {
  for (const [name, op] of Object.entries(ops)) {
    it(`${name} matches PyTorch on a matrix, a scalar, size 0 and float64, forward and backward`, () => {
      for (const variant of ['2d', 'scalar', 'zero_size', 'float64']) checkFixture(fixtures, `${name}_${variant}`, op);
    });
  }

  it('matches PyTorch on inputs produced by a strided slice and a transpose, forward and backward', () => {
    const sliceT = (op: (x: sd.Tensor) => sd.Tensor) => (x: sd.Tensor) => op(sd.transpose(sd.index(x, ':, ::2')));
    for (const [name, op] of Object.entries(ops)) checkFixture(fixtures, `${name}_of_transposed_and_sliced`, sliceT(op));
    checkFixture(fixtures, 'clip_of_transposed_and_sliced', sliceT((x) => sd.clip(x, -0.5, 0.5)));
  });

  it('gives NaN and infinities where PyTorch does, without an error', () => {
    for (const name of ['exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'reciprocal', 'tanh', 'erf', 'sign', 'abs']) {
      checkFixture(fixtures, `${name}_edges`, ops[name]);
    }
    checkFixture(fixtures, 'exp_large', sd.exp);
    const y = sd.log(sd.tensor([-1, 0]));
    assert.ok(Number.isNaN(y.values[0]));
    assert.equal(y.values[1], -Infinity);
    assert.ok(Number.isNaN(sd.sqrt(sd.tensor([-1])).item()));
  });

  it('rounds halves to even and computes erf across its range', () => {
    checkFixture(fixtures, 'round_half_to_even', sd.round);
    checkFixture(fixtures, 'erf_wide', sd.erf, { atol: 1e-7, rtol: 1e-6 });
  });

  it('takes int32 where PyTorch keeps it: neg, abs, sign, square', () => {
    for (const name of ['neg', 'abs', 'sign', 'square']) checkFixture(fixtures, `${name}_int32`, ops[name]);
  });

  it('clip matches PyTorch, boundaries included in the gradient', () => {
    checkFixture(fixtures, 'clip_2d', (x) => sd.clip(x, -0.5, 0.5));
    checkFixture(fixtures, 'clip_min_only', (x) => sd.clip(x, 0));
    checkFixture(fixtures, 'clip_max_only', (x) => sd.clip(x, null, 0.25));
    checkFixture(fixtures, 'clip_equal_bounds', (x) => sd.clamp(x, 1, 1));
    checkFixture(fixtures, 'clip_nan', (x) => sd.clip(x, -1, 1));
    checkFixture(fixtures, 'clip_float64', (x) => sd.clip(x, -0.3, 0.7));
    checkFixture(fixtures, 'clip_int32', (x) => sd.clip(x, -1, 2));
    checkFixture(fixtures, 'clip_int32_fractional_bound', (x) => sd.clip(x, 0.5, 2.5));
    checkFixture(fixtures, 'clip_zero_size', (x) => sd.clip(x, 0, 1));
    checkFixture(fixtures, 'clip_scalar', (x) => sd.clip(x, -0.5, 0.5));
  });

  it('accepts numbers and arrays and works on a transposed input', () => {
    assertClose(sd.exp(0), 1);
    assertClose(sd.sqrt([[4, 9]]), [[2, 3]]);
    const x = sd.randn([3, 4]);
    assertClose(sd.tanh(sd.transpose(x)), sd.transpose(sd.tanh(x)));
  });

  it('rejects int32 and bool in float ops, naming the op', () => {
    for (const name of ['exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'reciprocal', 'sin', 'cos', 'tanh', 'erf', 'floor', 'ceil', 'round']) {
      assertThrows(() => ops[name](ints()), sd.DTypeError, new RegExp(`^${name}: x must be float32 or float64, got int32`));
      assertThrows(() => ops[name](sd.tensor([true])), sd.DTypeError, new RegExp(`^${name}: x must be float32 or float64, got bool`));
    }
    for (const name of ['neg', 'abs', 'sign', 'square']) {
      assertThrows(() => ops[name](sd.tensor([true])), sd.DTypeError, new RegExp(`^${name}: x must be numeric, got bool`));
    }
  });

  it('rejects bad clip bounds and arguments that are not tensors', () => {
    assertThrows(() => sd.clip(sd.zeros([2]), 2, 1), sd.ValueError, /clip: expected numbers with min <= max, got min=2, max=1/);
    assertThrows(() => sd.clip(sd.zeros([2]), NaN, 1), sd.ValueError, /clip: .*min=NaN/);
    assertThrows(() => sd.clip(sd.zeros([2])), sd.ValueError, /clip: at least one of min and max/);
    assertThrows(() => sd.clip(sd.tensor([true]), 0, 1), sd.DTypeError, /clip: x must be numeric, got bool/);
    assertThrows(() => sd.exp('a' as unknown as sd.Tensor), sd.ValueError, /exp: x must be a tensor, number, boolean or array, got string/);
    assertThrows(() => sd.exp([[1], [2, 3]]), sd.ShapeError, /ragged/);
  });
});

it('unary gradients pass gradcheck', () => {
  const x = () => sd.randn([3, 4], { dtype: 'float64' });
  const positive = () => sd.add(sd.rand([3, 4], { dtype: 'float64' }), 0.2);
  checkGrad(sd.neg, [x()]);
  checkGrad(sd.abs, [x()]);
  checkGrad(sd.sign, [x()]);
  checkGrad(sd.exp, [x()]);
  checkGrad(sd.log, [positive()]);
  checkGrad(sd.log1p, [sd.sub(positive(), 0.9)]);
  checkGrad(sd.expm1, [x()]);
  checkGrad(sd.sqrt, [positive()]);
  checkGrad(sd.rsqrt, [positive()]);
  checkGrad(sd.square, [x()]);
  checkGrad(sd.reciprocal, [positive()]);
  checkGrad(sd.sin, [x()]);
  checkGrad(sd.cos, [x()]);
  checkGrad(sd.tanh, [x()]);
  checkGrad(sd.erf, [x()]);
  checkGrad(sd.floor, [x()]);
  checkGrad(sd.ceil, [x()]);
  checkGrad(sd.round, [x()]);
  // values kept away from the bounds, where clip has a kink
  checkGrad((t) => sd.clip(t, -0.5, 0.5), [sd.tensor([-2, -0.3, 0.1, 0.45, 0.7, 3], undefined, 'float64')]);
  checkGrad((t) => sd.clip(t, 0), [sd.tensor([-1, 0.5, 2], undefined, 'float64')]);
});

it('unary ops have second derivatives through createGraph', () => {
  const x = sd.tensor([0.3, -0.8, 1.2], undefined, 'float64').requiresGrad_();
  const [g] = [sd.sum(sd.sin(x))].map((y) => {
    y.backward(undefined, { createGraph: true });
    return x.grad!;
  });
  assertClose(g, sd.cos(x.detach()));
  x.grad = null;
  sd.sum(g).backward();
  assertClose(x.grad!, sd.neg(sd.sin(x.detach())));
});
