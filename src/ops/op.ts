import { runKernel } from '../backend/backend.js';
import type { KernelAttrs, KernelName } from '../backend/kernels.js';
import { isGradEnabled } from '../autograd/mode.js';
import { Tensor } from '../tensor/tensor.js';
import { isFloatDType } from '../tensor/dtype.js';
import { ValueError } from '../errors.js';

/**
 * Turns the gradient of an op's output into gradients of its inputs, using public ops so
 * that it runs on every backend. Return null for an input without a gradient (indices).
 */
export type GradFn = (dy: Tensor, inputs: readonly Tensor[], output: Tensor) => (Tensor | null)[];

/**
 * Runs kernel `kernel` on the active backend and, when recording is on and an input
 * requires grad, records the op with its gradient. `op` is the public name used in
 * messages. An op passed no gradient is not differentiable: its output never requires
 * grad, and backward() through it names it.
 */
export function runOp<K extends KernelName>(
  op: string,
  kernel: K,
  inputs: Tensor[],
  attrs: KernelAttrs[K],
  grad?: GradFn,
): Tensor {
  const out = Tensor.fromData(runKernel(kernel, inputs, attrs));
  return record(op, out, inputs, grad);
}

/**
 * Attaches a recorded node to `out`, computed from `inputs` by `op`. Composite ops that
 * produce a tensor without a kernel (reshape shares storage) use this directly.
 *
 * Without `grad` the op has no gradient, and the tensor remembers it so that backward()
 * names the op. A float output of such an op whose inputs require grad (the gradient
 * kernel of max pooling, differentiated again with createGraph) is recorded with a node
 * that throws `<op> has no gradient` when backward() reaches it, rather than silently
 * dropping that path.
 */
export function record(op: string, out: Tensor, inputs: readonly Tensor[], grad?: GradFn): Tensor {
  out.creator = op;
  out.creatorDifferentiable = grad !== undefined;
  if (!isGradEnabled() || !isFloatDType(out.dtype)) return out;
  if (!inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.gradFn = {
    op,
    inputs,
    backward: grad
      ? (dy) => grad(dy, inputs, out)
      : () => {
          throw new ValueError(`backward: ${op} has no gradient, but it was applied to tensors that require grad`);
        },
  };
  return out;
}
