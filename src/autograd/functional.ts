import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloatDType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/create.js';
import { withGradMode } from './mode.js';
import { gradients } from './engine.js';
import { reshape } from '../ops/reshape.js';

/** A function of several tensors whose result is differentiated. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor;

/** Options of grad, valueAndGrad and vjp. */
export interface GradOptions {
  /**
   * Record the gradient computation, so that the gradients can be differentiated again
   * (second and higher derivatives, nested grad). Off by default.
   */
  createGraph?: boolean;
}

/**
 * The tensors f is called with. By default detached copies that require grad, so that
 * the arguments are never modified. With createGraph, an argument that already requires
 * grad is passed through a recorded view, so that the gradients stay connected to an
 * enclosing computation (a grad inside a grad).
 */
function inputsOf(op: string, args: Tensor[], createGraph: boolean): Tensor[] {
  return args.map((x, i) => {
    if (!(x instanceof Tensor)) throw new ValueError(`${op}: argument ${i} must be a Tensor, got ${typeof x}`);
    if (!isFloatDType(x.dtype)) {
      throw new DTypeError(`${op}: argument ${i} must be a float tensor to be differentiated, got ${x.dtype}`);
    }
    // a recorded view rather than x itself: an argument passed twice gets two gradients
    return createGraph && x.requiresGrad ? reshape(x, x.shape) : x.detach().requiresGrad_();
  });
}

function checkOptions(op: string, options: GradOptions): boolean {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object like { createGraph: true }, got ${String(options)}`);
  }
  const { createGraph = false } = options;
  if (typeof createGraph !== 'boolean') throw new ValueError(`${op}: createGraph must be true or false, got ${String(createGraph)}`);
  return createGraph;
}

/**
 * Returns f's value and its gradients with respect to every argument. f must return a
 * scalar (use vjp otherwise). The arguments are not modified: f receives detached copies
 * that require grad, and an argument f does not use gets a zero gradient. Tensors f
 * captures from outside that require grad still accumulate into their own `.grad`, as
 * with backward().
 *
 * With `{ createGraph: true }` the gradients are recorded: they can be differentiated
 * again, and a grad may be nested in another. Then the value is returned undetached,
 * arguments that require grad are used as they are (so the result stays connected to an
 * enclosing graph), and no tensor's `.grad` is touched, as with `torch.autograd.grad`.
 *
 * ```ts
 * const { value, grads } = sd.valueAndGrad((a, b) => sd.sum(sd.mul(a, b)))(x, y);
 * ```
 */
export function valueAndGrad(f: TensorFunction, options: GradOptions = {}) {
  const createGraph = checkOptions('valueAndGrad', options);
  return (...args: Tensor[]): { value: Tensor; grads: Tensor[] } => {
    return valueAndGradWith('valueAndGrad', f, args, undefined, createGraph);
  };
}

/**
 * Returns a function computing f's gradients with respect to every argument, as
 * valueAndGrad does (same options).
 *
 * ```ts
 * const [da, db] = sd.grad((a, b) => sd.sum(sd.mul(a, b)))(a, b); // [b, a]
 * // second derivative: d²/dx² Σx³ = 6x
 * const d1 = sd.grad((x) => sd.sum(sd.pow(x, 3)), { createGraph: true });
 * const [d2] = sd.grad((x) => sd.sum(d1(x)[0]))(x);
 * ```
 */
export function grad(f: TensorFunction, options: GradOptions = {}) {
  const createGraph = checkOptions('grad', options);
  return (...args: Tensor[]): Tensor[] => valueAndGradWith('grad', f, args, undefined, createGraph).grads;
}

/** valueAndGrad with an explicit output gradient, for non-scalar outputs. */
export function vjp(
  f: TensorFunction,
  args: Tensor[],
  dy: Tensor,
  options: GradOptions = {},
): { value: Tensor; grads: Tensor[] } {
  return valueAndGradWith('vjp', f, args, dy, checkOptions('vjp', options));
}

function valueAndGradWith(op: string, f: TensorFunction, args: Tensor[], dy: Tensor | undefined, createGraph: boolean) {
  const inputs = inputsOf(op, args, createGraph);
  // Record even when called inside noGrad: differentiating f is the point of the call.
  const value = withGradMode(true, () => f(...inputs));
  if (!(value instanceof Tensor)) throw new ValueError(`${op}: f must return a Tensor, got ${typeof value}`);
  if (dy === undefined && value.size !== 1) {
    throw new ShapeError(`${op}: f must return a scalar, got shape ${fmtShape(value.shape)} (pass an output gradient with vjp)`);
  }
  if (createGraph) {
    const found = value.requiresGrad ? gradients(value, inputs, dy, true) : inputs.map(() => null);
    return { value, grads: found.map((g, i) => g ?? zerosLike(inputs[i])) };
  }
  if (value.requiresGrad) value.backward(dy);
  const grads = inputs.map((x) => x.grad ?? zerosLike(x));
  return { value: value.detach(), grads };
}
