import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloatDType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/create.js';
import { withGradMode } from './mode.js';

/** A function of several tensors whose result is differentiated. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor;

function leafCopies(op: string, inputs: Tensor[]): Tensor[] {
  return inputs.map((x, i) => {
    if (!(x instanceof Tensor)) throw new ValueError(`${op}: argument ${i} must be a Tensor, got ${typeof x}`);
    if (!isFloatDType(x.dtype)) {
      throw new DTypeError(`${op}: argument ${i} must be a float tensor to be differentiated, got ${x.dtype}`);
    }
    return x.detach().requiresGrad_();
  });
}

/**
 * Returns f's value and its gradients with respect to every argument. f must return a
 * scalar (use vjp otherwise). The arguments are not modified: f receives detached copies
 * that require grad, and an argument f does not use gets a zero gradient. Tensors f
 * captures from outside that require grad still accumulate into their own `.grad`, as
 * with backward().
 *
 * ```ts
 * const { value, grads } = sd.valueAndGrad((a, b) => sd.sum(sd.mul(a, b)))(x, y);
 * ```
 */
export function valueAndGrad(f: TensorFunction) {
  return (...args: Tensor[]): { value: Tensor; grads: Tensor[] } => {
    return valueAndGradWith('valueAndGrad', f, args, undefined);
  };
}

/**
 * Returns a function computing f's gradients with respect to every argument, as
 * valueAndGrad does.
 *
 * ```ts
 * const [da, db] = sd.grad((a, b) => sd.sum(sd.mul(a, b)))(a, b); // [b, a]
 * ```
 */
export function grad(f: TensorFunction) {
  return (...args: Tensor[]): Tensor[] => valueAndGradWith('grad', f, args, undefined).grads;
}

/** valueAndGrad with an explicit output gradient, for non-scalar outputs. */
export function vjp(f: TensorFunction, args: Tensor[], dy: Tensor): { value: Tensor; grads: Tensor[] } {
  return valueAndGradWith('vjp', f, args, dy);
}

function valueAndGradWith(op: string, f: TensorFunction, args: Tensor[], dy: Tensor | undefined) {
  const inputs = leafCopies(op, args);
  // Record even when called inside noGrad: differentiating f is the point of the call.
  const value = withGradMode(true, () => f(...inputs));
  if (!(value instanceof Tensor)) throw new ValueError(`${op}: f must return a Tensor, got ${typeof value}`);
  if (dy === undefined && value.size !== 1) {
    throw new ShapeError(`${op}: f must return a scalar, got shape ${fmtShape(value.shape)} (pass an output gradient with vjp)`);
  }
  if (value.requiresGrad) value.backward(dy);
  const grads = inputs.map((x) => x.grad ?? zerosLike(x));
  return { value: value.detach(), grads };
}
