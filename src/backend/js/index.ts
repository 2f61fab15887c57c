import { registerBackend, type Backend, type KernelTable } from '../backend.js';
import { elementwiseKernels } from './elementwise.js';
import { reduceKernels } from './reduce.js';
import { shapeKernels } from './shape.js';
import { matmulKernels } from './matmul.js';
import { softmaxKernels } from './softmax.js';
import { crossEntropyKernels } from './cross-entropy.js';
import { indexingKernels } from './indexing.js';
import { convKernels } from './conv.js';
import { poolKernels } from './pool.js';
import { randomKernels } from './random.js';
import { biasKernels } from './bias.js';

/**
 * The reference backend, in TypeScript: always present, implements every kernel, and is
 * the only one that computes in float64 (for gradient checks).
 */
const kernels: KernelTable = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...shapeKernels,
  ...matmulKernels,
  ...softmaxKernels,
  ...crossEntropyKernels,
  ...indexingKernels,
  ...convKernels,
  ...poolKernels,
  ...randomKernels,
  ...biasKernels,
};

export const jsBackend: Backend = {
  name: 'js',
  kernels,
  dtypes: ['float32', 'float64', 'int32', 'bool'],
  features: () => ['portable TypeScript'],
};

registerBackend(jsBackend, 0);
