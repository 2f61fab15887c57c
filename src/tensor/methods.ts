/**
 * Ops as Tensor methods, for chaining as in PyTorch and TensorFlow.js:
 * `x.matmul(w).add(b).relu().sum()`. Each method is the op of the same name with the
 * tensor as its first argument; the ops stay the single implementation.
 */
import * as ops from '../ops/index.js';
import { Tensor } from './tensor.js';

/** The type of op `F` called as a method: its first parameter becomes `this`. */
type Method<F> = F extends (x: never, ...rest: infer R) => infer Out ? (...rest: R) => Out : never;

const METHOD_NAMES = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'neg',
  'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'square', 'reciprocal',
  'sin', 'cos', 'tanh', 'erf', 'floor', 'ceil', 'round', 'clip', 'clamp',
  'sigmoid', 'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus', 'silu',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor', 'logicalNot',
  'reshape', 'flatten', 'squeeze', 'unsqueeze', 'expandDims', 'broadcastTo', 'expand',
  'transpose', 'permute', 'swapAxes', 'slice', 'index', 'pad', 'gather', 'indexSelect',
  'takeAlongAxis', 'scatterAdd', 'indexAdd', 'tile', 'flip', 'split', 'chunk', 'unstack',
  'sum', 'mean', 'prod', 'max', 'min', 'argmax', 'argmin', 'all', 'any', 'cumsum',
  'variance', 'var', 'std', 'logSumExp', 'norm',
  'matmul', 'softmax', 'logSoftmax', 'cast',
] as const;

type MethodName = (typeof METHOD_NAMES)[number];

declare module './tensor.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends TensorMethods {}
}

type TensorMethods = { [K in MethodName]: Method<(typeof ops)[K]> };

for (const name of METHOD_NAMES) {
  const op = ops[name] as (x: Tensor, ...rest: unknown[]) => unknown;
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor, ...rest: unknown[]) {
      return op(this, ...rest);
    },
    writable: true,
    configurable: true,
  });
}
