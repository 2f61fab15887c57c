/** Optimizers, gradient clipping and learning-rate schedulers, `sd.optim` (PyTorch's `torch.optim`). */
export {
  Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type ParamState,
} from './optimizer.js';
export { SGD, sgdUpdate, type SGDOptions, type SGDHyper } from './sgd.js';
export { Adagrad, adagradUpdate, type AdagradOptions, type AdagradHyper } from './adagrad.js';
export { RMSprop, rmspropUpdate, type RMSpropOptions, type RMSpropHyper } from './rmsprop.js';
export { Adam, adamUpdate, type AdamOptions, type AdamHyper } from './adam.js';
export { AdamW } from './adamw.js';
export { clipGradNorm_, clipGradValue_ } from './clip-grad.js';
export * from './schedulers/index.js';
export * as lrScheduler from './schedulers/index.js';
