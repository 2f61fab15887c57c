import { DTypeError } from '../errors.js';
import { isFloatDType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that is a trainable weight of a Module, as PyTorch's `nn.Parameter`.
 *
 * It is a subclass of Tensor (so it goes wherever a tensor goes) that requires grad by
 * default. The subclass is what marks it: a Module finds its parameters by looking for
 * Parameter instances among its own properties, while a plain Tensor property is ignored
 * (use `registerBuffer` for state that is saved but not trained).
 *
 * The parameter shares storage with `data`, as in PyTorch; optimizers and
 * `loadStateDict` write into that storage in place.
 *
 * ```ts
 * this.weight = new sd.nn.Parameter(sd.randn([out, inp]));
 * this.scale = new sd.nn.Parameter(sd.ones([1]), false); // saved, not trained
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter: data must be a Tensor, got ${describe(data)}`);
    }
    if (requiresGrad && !isFloatDType(data.dtype)) {
      throw new DTypeError(`Parameter: only float tensors can require gradients, got ${data.dtype}`);
    }
    super(data.values, data.shape, data.dtype);
    this.requiresGrad = requiresGrad;
  }

  /** Prints as PyTorch does: `Parameter containing:` then the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array (wrap it with sd.tensor first)';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
