import type { KernelTable } from '../backend.js';
import { binary, output, unary, forEachBroadcast, broadcastAll } from './loops.js';
import { castArray } from '../../tensor/convert.js';
import { erf, roundHalfEven, SELU_ALPHA, SELU_SCALE, SQRT_2_OVER_PI } from './math.js';

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Elementwise kernels of the js backend. */
export const elementwiseKernels: KernelTable = {
  Neg: unary((x) => -x),
  Abs: unary(Math.abs),
  // sign(NaN) is 0, as PyTorch computes it: (0 < x) - (x < 0).
  Sign: unary((x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Log1p: unary(Math.log1p),
  Expm1: unary(Math.expm1),
  Sqrt: unary(Math.sqrt),
  Rsqrt: unary((x) => 1 / Math.sqrt(x)),
  Square: unary((x) => x * x),
  Reciprocal: unary((x) => 1 / x),
  Sin: unary(Math.sin),
  Cos: unary(Math.cos),
  Tanh: unary(Math.tanh),
  Erf: unary(erf),
  Sigmoid: unary(sigmoid),
  // NaN propagates, as in PyTorch.
  Relu: unary((x) => (x < 0 ? 0 : x)),
  LeakyRelu: (inputs, { alpha }) => unary((x) => (x > 0 ? x : alpha * x))(inputs),
  Elu: (inputs, { alpha }) => unary((x) => (x > 0 ? x : alpha * Math.expm1(x)))(inputs),
  Selu: unary((x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x))),
  Gelu: (inputs, { approximate }) =>
    approximate === 'tanh'
      ? unary((x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))))(inputs)
      : unary((x) => 0.5 * x * (1 + erf(x / Math.SQRT2)))(inputs),
  Softplus: (inputs, { beta, threshold }) =>
    unary((x) => (beta * x > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta))(inputs),
  Silu: unary((x) => x * sigmoid(x)),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Round: unary(roundHalfEven),
  Clip: (inputs, { min, max }) => unary((x) => (x < min ? min : x > max ? max : x))(inputs),
  LogicalNot: unary((x) => (x ? 0 : 1), 'bool'),
  Cast: (inputs, { dtype }) => output(inputs[0].shape, dtype, castArray(inputs[0].values, dtype)),

  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b) => a / b),
  Pow: binary(Math.pow),
  Maximum: binary((a, b) => (a > b || Number.isNaN(a) ? a : b)),
  Minimum: binary((a, b) => (a < b || Number.isNaN(a) ? a : b)),
  ReluGrad: binary((dy, x) => (x > 0 ? dy : 0)),
  Equal: binary((a, b) => (a === b ? 1 : 0), 'bool'),
  NotEqual: binary((a, b) => (a !== b ? 1 : 0), 'bool'),
  Less: binary((a, b) => (a < b ? 1 : 0), 'bool'),
  LessEqual: binary((a, b) => (a <= b ? 1 : 0), 'bool'),
  Greater: binary((a, b) => (a > b ? 1 : 0), 'bool'),
  GreaterEqual: binary((a, b) => (a >= b ? 1 : 0), 'bool'),
  LogicalAnd: binary((a, b) => (a && b ? 1 : 0), 'bool'),
  LogicalOr: binary((a, b) => (a || b ? 1 : 0), 'bool'),
  LogicalXor: binary((a, b) => (!a !== !b ? 1 : 0), 'bool'),
  Where: (inputs) => {
    const [cond, a, b] = inputs;
    const out = output(broadcastAll([cond.shape, a.shape, b.shape]), a.dtype);
    const cv = cond.values;
    const av = a.values;
    const bv = b.values;
    const ov = out.values;
    const n = ov.length;
    // the common cases (relu-style gradients) without the general broadcast walk
    if (cv.length === n && av.length === n && (bv.length === n || bv.length === 1)) {
      if (bv.length === n) for (let i = 0; i < n; i++) ov[i] = cv[i] ? av[i] : bv[i];
      else for (let i = 0, v = bv[0]; i < n; i++) ov[i] = cv[i] ? av[i] : v;
      return out;
    }
    forEachBroadcast([cond.shape, a.shape, b.shape], (i, o) => {
      ov[i] = cv[o[0]] ? av[o[1]] : bv[o[2]];
    });
    return out;
  },
};
