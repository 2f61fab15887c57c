/**
 * Shendu: deep learning for TypeScript on Node.js.
 *
 * ```ts
 * import * as sd from 'shendu';
 * const x = sd.randn([2, 3]).requiresGrad_();
 * sd.sum(sd.relu(x)).backward();
 * console.log(x.grad?.toString());
 * ```
 */
import './backend/js/index.js';
import './tensor/methods.js';
import './backend/native/index.js';

export { Tensor, type NestedArray } from './tensor/tensor.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { tensor, type TensorLike } from './tensor/convert.js';
export * from './tensor/create.js';
export { seed, Generator, type GeneratorState } from './tensor/random.js';

export { ShapeError, DTypeError, ValueError, FormatError } from './errors.js';
export {
  setBackend,
  getBackend,
  listBackends,
  registerBackend,
  KernelNotImplementedError,
  type Backend,
} from './backend/backend.js';

export { noGrad, isGradEnabled } from './autograd/mode.js';
export { grad, valueAndGrad, vjp, type GradOptions } from './autograd/functional.js';
export { gradcheck } from './autograd/gradcheck.js';

export * from './ops/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as layers from './layers/index.js';
export * as regularizers from './layers/regularizers.js';
export * as initializers from './layers/initializers.js';
export * as callbacks from './models/callbacks/index.js';
export * as models from './models/index.js';
export { sequential, model, input, LayersModel, Sequential } from './models/index.js';
export type { SymbolicTensor } from './layers/symbolic.js';
export * as data from './data/index.js';
export * as datasets from './data/datasets/index.js';
export * as io from './io/index.js';
export { loadModel } from './io/model-file.js';
export * as track from './track/index.js';
export * as registry from './track/registry.js';
export * as serve from './serve/index.js';
