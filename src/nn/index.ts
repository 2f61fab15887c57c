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
