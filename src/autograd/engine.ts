import { Tensor } from '../tensor/tensor.js';
import { DTypeError, ValueError, ShapeError, fmtShape } from '../errors.js';
import { isFloatDType } from '../tensor/dtype.js';
import { cast } from '../ops/cast.js';
import { withGradMode } from './mode.js';
import { add } from '../ops/arithmetic.js';
import { onesLike } from '../tensor/create.js';
import { shapesEqual } from '../tensor/shape.js';
import { recyclePass } from '../tensor/recycle.js';

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
  gradient = seedGradient(root, gradient, createGraph);
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, gradient]]);
  // Storage that a stored .grad must not share: the caller's (or the seed) gradient, and
  // every gradient already stored as a .grad in this pass.
  const taken = new Set<unknown>([gradient.values]);
  // the tensors given a .grad: what the pass leaves behind
  const stored: Tensor[] = [];

  const pass = () => withGradMode(createGraph, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const dy = grads.get(t);
      if (!dy) continue;
      if (t.gradFn === null || t.retainsGrad) {
        // A gradient may be shared (add passes dy to both inputs, a reshape's gradient is
        // a view, the root gets the caller's tensor): then store a copy, so that in-place
        // updates of one .grad (zeroGrad, clipping) cannot reach another. A gradient whose
        // storage nothing else holds (a kernel's fresh output: matmul's dW) is stored as
        // is, which saves a copy of every weight gradient each step. With createGraph the
        // recorded tensor is kept.
        if (t.grad) t.grad = add(t.grad, dy);
        else if (createGraph) t.grad = dy;
        else {
          t.grad = taken.has(dy.values) ? dy.clone() : dy;
          taken.add(t.grad.values);
        }
        stored.push(t);
      }
      if (t.gradFn === null) continue;
      grads.delete(t); // free intermediate gradients as soon as they are consumed
      propagate(t.gradFn, dy, grads, () => true);
    }
  });
  // The gradients of intermediate results die with the pass, as PyTorch frees them: their
  // buffers serve the next pass (tensor/recycle.ts), which spares a PyTorch-style loop
  // most of the garbage collections its allocations would trigger. With createGraph they
  // belong to the recorded graph and are left alone.
  if (createGraph) pass();
  else recyclePass(pass, () => stored.map((t) => t.grad?.values));
}

/**
 * The gradients of `root` with respect to `targets` (any tensors of its graph, leaves or
 * not), as PyTorch's `torch.autograd.grad`: returned rather than added to `.grad`, which
 * stays untouched for every tensor. Only the part of the graph that leads to a target is
 * walked. A target `root` does not depend on gets null. With `createGraph` the returned
 * gradients are recorded and can be differentiated again.
 */
export function gradients(
  root: Tensor,
  targets: readonly Tensor[],
  gradient: Tensor | undefined,
  createGraph: boolean,
): (Tensor | null)[] {
  const seed = seedGradient(root, gradient, createGraph);
  const order = topologicalOrder(root);
  const wanted = new Set(targets);
  // A tensor needs a gradient when a target is reachable from it (order lists inputs first).
  const leadsToTarget = new Set<Tensor>();
  for (const t of order) {
    if (wanted.has(t) || t.gradFn?.inputs.some((input) => leadsToTarget.has(input))) leadsToTarget.add(t);
  }
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  withGradMode(createGraph, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const dy = grads.get(t);
      if (!dy || t.gradFn === null) continue;
      if (!wanted.has(t)) grads.delete(t);
      if (!t.gradFn.inputs.some((input) => leadsToTarget.has(input))) continue;
      propagate(t.gradFn, dy, grads, (input) => leadsToTarget.has(input));
    }
  });
  return targets.map((t) => grads.get(t) ?? null);
}

/** Checks the output gradient given to backward() (ones for a scalar when none is given). */
function seedGradient(root: Tensor, gradient: Tensor | undefined, createGraph: boolean): Tensor {
  if (!root.requiresGrad) throw new ValueError(`backward: this tensor does not require grad: ${whyNoGrad(root)}`);
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new ShapeError(
        `backward: a gradient argument is required for a non-scalar output of shape ${fmtShape(root.shape)}`,
      );
    }
    return onesLike(root);
  }
  if (!(gradient instanceof Tensor)) {
    throw new ValueError(`backward: gradient must be a Tensor, got ${typeof gradient}`);
  }
  if (!shapesEqual(gradient.shape, root.shape)) {
    throw new ShapeError(
      `backward: gradient has shape ${fmtShape(gradient.shape)} but the output has shape ${fmtShape(root.shape)}`,
    );
  }
  if (gradient.dtype !== root.dtype) {
    if (!isFloatDType(gradient.dtype)) {
      throw new DTypeError(`backward: gradient must be a float tensor, got ${gradient.dtype}`);
    }
    return withGradMode(createGraph, () => cast(gradient, root.dtype));
  }
  return gradient;
}

/** Runs one node's backward and adds the gradients of its inputs that `accept`s into `grads`. */
function propagate(
  node: GradNode,
  dy: Tensor,
  grads: Map<Tensor, Tensor>,
  accept: (input: Tensor) => boolean,
): void {
  const inputGrads = node.backward(dy);
  const inputs = node.inputs;
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k];
    const g = inputGrads[k];
    if (!input.requiresGrad || !g || !accept(input)) continue;
    if (!shapesEqual(g.shape, input.shape)) {
      throw new Error(
        `internal: gradient of '${node.op}' for input ${k} has shape ${fmtShape(g.shape)}, expected ${fmtShape(input.shape)}`,
      );
    }
    const previous = grads.get(input);
    grads.set(input, previous ? add(previous, g) : g);
  }
}

/** Explains why `t` has no recorded graph, naming the op that produced it. */
function whyNoGrad(t: Tensor): string {
  if (!t.creator) return 'it is a leaf without requiresGrad (call requiresGrad_() on it before using it)';
  if (!t.creatorDifferentiable) {
    return isFloatDType(t.dtype) ? `${t.creator} has no gradient` : `${t.creator} has no gradient (its output is ${t.dtype})`;
  }
  if (!isFloatDType(t.dtype)) {
    return `it is ${t.dtype}, produced by '${t.creator}'; only float tensors carry gradients`;
  }
  return `it was produced by '${t.creator}' from inputs that do not require grad (or inside noGrad)`;
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
