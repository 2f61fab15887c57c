import { Tensor } from '../tensor/tensor.js';
import { DTypeError, ValueError, ShapeError, fmtShape } from '../errors.js';
import { isFloatDType } from '../tensor/dtype.js';
import { cast } from '../ops/cast.js';
import { withGradMode } from './mode.js';
import { add } from '../ops/arithmetic.js';
import { onesLike } from '../tensor/create.js';
import { shapesEqual } from '../tensor/shape.js';

/**
 * One recorded operation: its inputs and how to turn the gradient of its output into
 * gradients of its inputs (null where an input has no gradient, e.g. indices).
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  backward(dy: Tensor): (Tensor | null)[];
}

/**
 * Reverse-mode differentiation from `root`: walks the recorded graph in reverse
 * topological order, accumulating gradients, and adds them to the `.grad` of every leaf
 * that requires grad. With `createGraph` the gradient computation is itself recorded, so
 * gradients of gradients can be taken.
 */
export function backward(root: Tensor, gradient: Tensor | undefined, createGraph: boolean): void {
  if (!root.requiresGrad) throw new ValueError(`backward: this tensor does not require grad: ${whyNoGrad(root)}`);
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new ShapeError(
        `backward: a gradient argument is required for a non-scalar output of shape ${fmtShape(root.shape)}`,
      );
    }
    gradient = onesLike(root);
  } else if (!(gradient instanceof Tensor)) {
    throw new ValueError(`backward: gradient must be a Tensor, got ${typeof gradient}`);
  } else if (!shapesEqual(gradient.shape, root.shape)) {
    throw new ShapeError(
      `backward: gradient has shape ${fmtShape(gradient.shape)} but the output has shape ${fmtShape(root.shape)}`,
    );
  } else if (gradient.dtype !== root.dtype) {
    if (!isFloatDType(gradient.dtype)) {
      throw new DTypeError(`backward: gradient must be a float tensor, got ${gradient.dtype}`);
    }
    gradient = withGradMode(createGraph, () => cast(gradient!, root.dtype));
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, gradient]]);

  withGradMode(createGraph, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const dy = grads.get(t);
      if (!dy) continue;
      if (t.gradFn === null || t.retainsGrad) {
        // A gradient may be shared (add passes dy to both inputs, the root gets the
        // caller's tensor): store a copy, so that in-place updates of one .grad (zeroGrad,
        // clipping) cannot reach another. With createGraph the recorded tensor is kept.
        t.grad = t.grad ? add(t.grad, dy) : createGraph ? dy : dy.clone();
      }
      if (t.gradFn === null) continue;
      grads.delete(t); // free intermediate gradients as soon as they are consumed
      const inputGrads = t.gradFn.backward(dy);
      const inputs = t.gradFn.inputs;
      for (let k = 0; k < inputs.length; k++) {
        const input = inputs[k];
        const g = inputGrads[k];
        if (!input.requiresGrad || !g) continue;
        if (!shapesEqual(g.shape, input.shape)) {
          throw new Error(
            `internal: gradient of '${t.gradFn.op}' for input ${k} has shape ${fmtShape(g.shape)}, expected ${fmtShape(input.shape)}`,
          );
        }
        const previous = grads.get(input);
        grads.set(input, previous ? add(previous, g) : g);
      }
    }
  });
}

/** Explains why `t` has no recorded graph, naming the op that produced it. */
function whyNoGrad(t: Tensor): string {
  if (!t.creator) return 'it is a leaf without requiresGrad (call requiresGrad_() on it before using it)';
  if (!isFloatDType(t.dtype)) {
    return `it is ${t.dtype}, produced by '${t.creator}'; only float tensors carry gradients`;
  }
  return (
    `it was produced by '${t.creator}' from inputs that do not require grad ` +
    `(or inside noGrad, or '${t.creator}' has no gradient)`
  );
}

/** Tensors reachable from `root` through recorded ops, each after all of its inputs. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative depth-first search: deep graphs (long RNN unrolls) must not overflow the stack.
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    const inputs = t.gradFn?.inputs ?? [];
    if (next < inputs.length) {
      top[1]++;
      const input = inputs[next];
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}
