import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('activations');
sd.seed(11);

/** Each fixture family with the call that matches its PyTorch arguments. */
const ops: Record<string, (x: sd.Tensor) => sd.Tensor> = {
  sigmoid: sd.sigmoid,
  relu: sd.relu,
  leakyRelu: (x) => sd.leakyRelu(x),
  leakyRelu_torch_slope: (x) => sd.leakyRelu(x, 0.01),
  elu: (x) => sd.elu(x),
  elu_alpha: (x) => sd.elu(x, 0.5),
  selu: sd.selu,
  gelu: (x) => sd.gelu(x),
  gelu_tanh: (x) => sd.gelu(x, 'tanh'),
  softplus: (x) => sd.softplus(x),
  softplus_beta: (x) => sd.softplus(x, 2, 5),
  silu: sd.silu,
};

describeEachBackend('activations', () => {
  for (const [name, op] of Object.entries(ops)) {
    it(`${name} matches PyTorch on a matrix, a scalar, size 0 and float64, forward and backward`, () => {
      for (const variant of ['2d', 'scalar', 'zero_size', 'float64']) checkFixture(fixtures, `${name}_${variant}`, op);
    });
  }

  it('matches PyTorch on inputs produced by a strided slice and a transpose, forward and backward', () => {
    const sliceT = (op: (x: sd.Tensor) => sd.Tensor) => (x: sd.Tensor) => op(sd.transpose(sd.index(x, ':, ::2')));
    for (const [name, op] of Object.entries(ops)) checkFixture(fixtures, `${name}_of_transposed_and_sliced`, sliceT(op));
  });

  it('stays finite for large magnitudes and propagates NaN and infinities as PyTorch', () => {
    for (const [name, op] of Object.entries(ops)) {
      checkFixture(fixtures, `${name}_wide`, op);
      checkFixture(fixtures, `${name}_nonfinite`, op);
    }
  });

  it('softplus switches to the identity above the threshold', () => {
    checkFixture(fixtures, 'softplus_threshold', (x) => sd.softplus(x, 2, 5));
  });

  it('swish is silu, and activations accept numbers and arrays', () => {
    assert.equal(sd.swish, sd.silu);
    assertClose(sd.relu([-1, 2]), [0, 2]);
    assertClose(sd.sigmoid(0), 0.5);
  });

  it('rejects int32 and bool inputs and bad parameters, naming the op', () => {
    for (const [name, op] of Object.entries({ sigmoid: sd.sigmoid, relu: sd.relu, gelu: sd.gelu, silu: sd.silu, selu: sd.selu })) {
      assertThrows(() => op(sd.tensor(new Int32Array([1]))), sd.DTypeError, new RegExp(`^${name}: x must be float32 or float64, got int32`));
      assertThrows(() => op(sd.tensor([true])), sd.DTypeError, new RegExp(`^${name}: x must be float32 or float64, got bool`));
    }
    assertThrows(() => sd.leakyRelu(sd.zeros([2]), NaN), sd.ValueError, /leakyRelu: alpha must be finite, got NaN/);
    assertThrows(() => sd.elu(sd.zeros([2]), Infinity), sd.ValueError, /elu: alpha must be finite, got Infinity/);
    assertThrows(() => sd.softplus(sd.zeros([2]), 0), sd.ValueError, /softplus: beta must be > 0, got 0/);
    assertThrows(() => sd.softplus(sd.zeros([2]), 1, NaN), sd.ValueError, /softplus: threshold must be a number, got NaN/);
    assertThrows(
      () => sd.gelu(sd.zeros([2]), 'erf' as 'none'),
      sd.ValueError,
      /gelu: approximate must be 'none' or 'tanh', got 'erf'/,
    );
  });
});

it('activation gradients pass gradcheck (inputs away from the kink at 0)', () => {
  const x = sd.tensor([[-2.5, -1.1, -0.3], [0.2, 0.9, 3.1]], undefined, 'float64');
  for (const op of Object.values(ops)) checkGrad(op, [x]);
  // both sides of the softplus threshold (beta·x = 5 at x = 2.5)
  checkGrad((t) => sd.softplus(t, 2, 5), [sd.tensor([2.3, 2.7, -1], undefined, 'float64')]);
});

/** f''(x) by differentiating the createGraph gradient a second time. */
function secondDerivative(op: (t: sd.Tensor) => sd.Tensor, xs: number[]): sd.Tensor {
  const t = sd.tensor(xs, undefined, 'float64').requiresGrad_();
  sd.sum(op(t)).backward(undefined, { createGraph: true });
  const first = t.grad!;
  t.grad = null;
  sd.sum(first).backward();
  return t.grad!;
}

it('activations have second derivatives through createGraph', () => {
  const xs = [-1.3, -0.2, 0.4, 1.7];
  const h = 1e-5;
  const firstDerivative = (op: (t: sd.Tensor) => sd.Tensor, x: number): number =>
    sd.grad((u) => sd.sum(op(u)))(sd.tensor([x], undefined, 'float64'))[0].item();
  for (const [name, op] of Object.entries(ops)) {
    if (name.startsWith('relu') || name.startsWith('leakyRelu')) continue; // piecewise linear: f'' = 0
    const numeric = xs.map((x) => (firstDerivative(op, x + h) - firstDerivative(op, x - h)) / (2 * h));
    assertClose(secondDerivative(op, xs), numeric, { atol: 1e-6, rtol: 1e-5 });
  }
  // relu's gradient is a mask of the input, constant in x: differentiating it again in x
  // gives nothing (as PyTorch), while it stays linear in the incoming gradient
  const t = sd.tensor(xs, undefined, 'float64').requiresGrad_();
  const dy = sd.tensor([2, 3, 4, 5], undefined, 'float64').requiresGrad_();
  const dx = sd.vjp((u) => sd.relu(u), [t], dy, { createGraph: true }).grads[0];
  assertClose(dx, [0, 0, 4, 5]);
  const [ddy, dt] = sd.grad((g, u) => sd.sum(sd.mul(sd.vjp((v) => sd.relu(v), [u], g, { createGraph: true }).grads[0], sd.tensor([1, 10, 100, 1000], undefined, 'float64'))))(dy, t);
  assertClose(ddy, [0, 0, 100, 1000]);
  assertClose(dt, [0, 0, 0, 0]);
});

describeEachBackend('reluGrad', () => {
  it('passes dy where x > 0 and zero elsewhere (0, negative, NaN and -0 in x), float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const n = 1029; // odd, past every vector width
      const x = sd.randn([n], { dtype });
      const dy = sd.randn([n], { dtype });
      x.values[0] = 0;
      x.values[1] = NaN;
      x.values[2] = -0;
      x.values[3] = 1e-30;
      const expected = sd.where(sd.gt(x, 0), dy, 0);
      assertClose(sd.reluGrad(dy, x), expected.values, { atol: 0, rtol: 0 });
    }
  });
  it('is the backward of relu', () => {
    const x = sd.randn([17, 33]).requiresGrad_();
    const w = sd.randn([17, 33]);
    sd.sum(sd.mul(sd.relu(x), w)).backward();
    assertClose(x.grad!, sd.where(sd.gt(x.detach(), 0), w, 0).values, { atol: 0, rtol: 0 });
  });
});
