/**
 * The named activations of the Keras layers (`activation: 'relu'`), as TensorFlow.js
 * names them; snake_case spellings (`hard_sigmoid`) work too. Each is a public op, so
 * gradients come for free.
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { elu, gelu, leakyRelu, relu, selu, sigmoid, silu, softplus } from '../ops/activations.js';
import { softmax, logSoftmax } from '../ops/softmax.js';
import { add, div, mul } from '../ops/arithmetic.js';
import { abs, clip, exp, tanh } from '../ops/unary.js';
import { rememberLogits } from '../losses/logits.js';
import type { FusedActivation } from '../ops/bias.js';

export type ActivationFn = (x: Tensor) => Tensor;

/** Activation names known to the layers. */
export type ActivationName =
  | 'linear' | 'relu' | 'relu6' | 'elu' | 'selu' | 'sigmoid' | 'hardSigmoid' | 'tanh' | 'softmax'
  | 'logSoftmax' | 'softplus' | 'softsign' | 'swish' | 'silu' | 'gelu' | 'mish' | 'leakyRelu' | 'exponential';

const BUILTIN_LINEAR: ActivationFn = (x) => x;
const BUILTIN_RELU: ActivationFn = (x) => relu(x);

const ACTIVATIONS = new Map<string, ActivationFn>([
  ['linear', BUILTIN_LINEAR],
  ['relu', BUILTIN_RELU],
  ['relu6', (x) => clip(x, 0, 6)],
  ['elu', (x) => elu(x)],
  ['selu', selu],
  // the cross-entropies compute from the logits behind these outputs (losses/logits.ts)
  ['sigmoid', (x) => rememberLogits(sigmoid(x), x, 'sigmoid')],
  // Keras 2's piecewise-linear approximation
  ['hardSigmoid', (x) => clip(add(mul(x, 0.2), 0.5), 0, 1)],
  ['tanh', tanh],
  ['softmax', (x) => rememberLogits(softmax(x, -1), x, 'softmax')],
  ['logSoftmax', (x) => logSoftmax(x, -1)],
  ['softplus', (x) => softplus(x)],
  ['softsign', (x) => div(x, add(abs(x), 1))],
  ['swish', silu],
  ['silu', silu],
  ['gelu', (x) => gelu(x)],
  ['mish', (x) => mul(x, tanh(softplus(x)))],
  ['leakyRelu', (x) => leakyRelu(x)],
  ['exponential', exp],
]);

/**
 * The activation a dense or convolution layer can run inside its bias pass (sd.biasAdd),
 * or null: the built-in relu and linear only (a relu registered anew is called as given).
 */
export function fusableActivation(fn: ActivationFn): FusedActivation | null {
  if (fn === BUILTIN_RELU) return 'relu';
  if (fn === BUILTIN_LINEAR) return 'linear';
  return null;
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The function of a named activation; throws listing the names when unknown. */
export function getActivation(name: string | undefined | null): ActivationFn {
  const fn = ACTIVATIONS.get(camel(name ?? 'linear'));
  if (!fn) {
    throw new ValueError(`unknown activation ${JSON.stringify(name)}; valid: ${[...ACTIVATIONS.keys()].join(', ')} (or register one with sd.layers.registerActivation)`);
  }
  return fn;
}

/** The canonical name of an activation given by name (`hard_sigmoid` → `hardSigmoid`). */
export function activationName(name: string | undefined | null): string {
  getActivation(name);
  return camel(name ?? 'linear');
}

/**
 * Adds a named activation usable as `activation: name` in every layer and in saved
 * models (register it again before loading such a model).
 */
export function registerActivation(name: string, fn: ActivationFn): void {
  if (typeof name !== 'string' || name === '' || typeof fn !== 'function') {
    throw new ValueError(`registerActivation: expected a name and a function (x: Tensor) => Tensor`);
  }
  ACTIVATIONS.set(camel(name), fn);
}
