/** The PyTorch-style neural-network API, `sd.nn`: Module, Parameter, init, and the layers. */
export {
  Module,
  type StateDict,
  type LoadStateDictResult,
  type HookHandle,
  type ForwardHook,
  type ForwardPreHook,
} from './module.js';
export { Parameter } from './parameter.js';
export * as init from './init.js';
export * as utils from './utils.js';
export * from '../losses/modules.js';
export * from './linear.js';
export * from './conv.js';
export * from './pooling.js';
export * from './norm.js';
export * from './dropout.js';
export * from './embedding.js';
export * from './activation.js';
export * from './shape.js';
export * from './container.js';
export * as functional from './functional.js';
