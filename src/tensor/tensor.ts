import type { TensorData } from '../backend/backend.js';
import { backward as runBackward, type GradNode } from '../autograd/engine.js';
import { ValueError, DTypeError, fmtShape } from '../errors.js';
import { isFloatDType, type DType, type TypedArray } from './dtype.js';
import { sizeOf } from './shape.js';
import { formatTensor } from './print.js';

/** A JS value nested like the tensor: numbers or booleans in arrays of arrays. */
export type NestedArray = number | boolean | NestedArray[];

let nextId = 0;

/**
 * An n-dimensional array of one dtype, stored contiguously in row-major order, that can
 * record the operations applied to it for reverse-mode differentiation.
 *
 * Tensors are ordinary garbage-collected objects: nothing has to be disposed. Their
 * storage is a typed array that `.data` returns without copying.
 */
export class Tensor implements TensorData {
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Storage, shared with views made by reshape. Kernels read and write it directly. */
  values: TypedArray;
  /** Whether backward() computes a gradient for this tensor. */
  requiresGrad = false;
  /** The gradient accumulated by backward(); null until then. */
  grad: Tensor | null = null;
  /** The recorded operation that produced this tensor, if it was recorded. */
  gradFn: GradNode | null = null;
  /** The op that produced this tensor, for error messages about missing gradients. */
  creator: string | undefined;
  /** False when `creator` has no gradient (argmax, comparisons, oneHot): backward() says so. */
  creatorDifferentiable = true;
  /** When true, backward() stores this non-leaf tensor's gradient in `.grad` too. */
  retainsGrad = false;

  constructor(values: TypedArray, shape: readonly number[], dtype: DType) {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new ValueError(`Tensor: ${values.length} values do not fill shape ${fmtShape(shape)} (${size} elements)`);
    }
    this.values = values;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = size;
  }

  /** Wraps a kernel's output. */
  static fromData(data: TensorData): Tensor {
    return data instanceof Tensor ? data : new Tensor(data.values, data.shape, data.dtype);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** The elements as a typed array, without copying. */
  get data(): TypedArray {
    return this.values;
  }

  /** The elements as a typed array, without copying (the tfjs name). */
  dataSync(): TypedArray {
    return this.values;
  }

  /** The elements as nested JS arrays (booleans for bool tensors); a scalar gives a number. */
  array(): NestedArray {
    const bool = this.dtype === 'bool';
    const read = (i: number): number | boolean => (bool ? this.values[i] !== 0 : this.values[i]);
    if (this.rank === 0) return read(0);
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[dim];
      const inner = stride / (n || 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === this.rank - 1 ? read(offset + i) : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** The value of a one-element tensor (1 or 0 for bool). */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item: the tensor must have exactly one element, got shape ${fmtShape(this.shape)}`);
    }
    return this.values[0];
  }

  /** Prints like PyTorch: `tensor([[1., 2.], [3., 4.]])`, summarised when large. */
  toString(): string {
    return formatTensor(this);
  }

  /** console.log and util.inspect print the same text as toString(). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  /** True for tensors made by the user rather than recorded ops. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Sets requiresGrad in place and returns this tensor (PyTorch's `requires_grad_`). */
  requiresGrad_(flag = true): this {
    if (flag && !isFloatDType(this.dtype)) {
      throw new DTypeError(`requiresGrad_: only float tensors can require gradients, got ${this.dtype}`);
    }
    if (!this.isLeaf) {
      throw new ValueError(`requiresGrad_: only leaf tensors can change requiresGrad; use detach() first`);
    }
    this.requiresGrad = flag;
    return this;
  }

  /**
   * Asks backward() to keep this non-leaf tensor's gradient in `.grad` (a leaf keeps its
   * gradient anyway). The tensor must require grad.
   */
  retainGrad(): this {
    if (!this.requiresGrad) {
      throw new ValueError(`retainGrad: the tensor does not require grad, so it will never have a gradient`);
    }
    this.retainsGrad = true;
    return this;
  }

  /**
   * Computes the gradient of this tensor with respect to every leaf that requires grad,
   * adding it to their `.grad`. A non-scalar tensor needs `gradient`, the vector of the
   * vector-Jacobian product.
   */
  backward(gradient?: Tensor, options: { createGraph?: boolean } = {}): void {
    runBackward(this, gradient, options.createGraph ?? false);
  }

  /** A tensor sharing this one's storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.values, this.shape, this.dtype);
  }

  /** A deep copy of the storage, cut from the graph. */
  clone(): Tensor {
    return new Tensor(this.values.slice(), this.shape, this.dtype);
  }
}
