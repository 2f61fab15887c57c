import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import * as optim from '../optim/index.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';

/**
 * An optimizer's state in a safetensors file: its tensors (running averages) as tensors
 * named `optimizer.state.<param index>.<name>`, everything else — the class name, the
 * param groups' hyperparameters, step counters — as JSON, where each tensor appears as
 * `{"$tensor": "<tensor name>"}`.
 */
export interface FlatOptimizerState {
  tensors: Record<string, Tensor>;
  /** The JSON part: `{ className, paramGroups, state }`. */
  json: { className: string; paramGroups: OptimizerStateDict['paramGroups']; state: Record<string, Record<string, unknown>> };
}

/** The prefix of the optimizer's tensor names. */
export const OPTIMIZER_PREFIX = 'optimizer.state.';

/** Splits `optimizer.stateDict()` into tensors and JSON. */
export function flattenOptimizer(optimizer: Optimizer): FlatOptimizerState {
  const dict = optimizer.stateDict();
  const tensors: Record<string, Tensor> = {};
  const state: Record<string, Record<string, unknown>> = {};
  for (const [index, entries] of Object.entries(dict.state)) {
    state[index] = {};
    for (const [key, value] of Object.entries(entries)) {
      if (value instanceof Tensor) {
        const name = `${OPTIMIZER_PREFIX}${index}.${key}`;
        tensors[name] = value;
        state[index][key] = { $tensor: name };
      } else state[index][key] = value;
    }
  }
  return { tensors, json: { className: optimizer.constructor.name, paramGroups: dict.paramGroups, state } };
}

/**
 * Rebuilds the state dict that `flattenOptimizer` split, taking tensors from `tensors`.
 * Throws a ValueError naming what is missing or malformed.
 */
export function unflattenOptimizer(json: unknown, tensors: Record<string, Tensor>): { className: string; dict: OptimizerStateDict } {
  const j = json as Partial<FlatOptimizerState['json']> | null;
  if (!j || typeof j.className !== 'string' || !Array.isArray(j.paramGroups) || typeof j.state !== 'object' || j.state === null) {
    throw new ValueError('the optimizer entry must be {className, paramGroups, state}');
  }
  const state: Record<number, ParamState> = {};
  for (const [index, entries] of Object.entries(j.state)) {
    const out: ParamState = {};
    for (const [key, value] of Object.entries(entries)) {
      const ref = (value as { $tensor?: unknown } | null)?.$tensor;
      if (typeof ref === 'string') {
        if (!Object.hasOwn(tensors, ref)) throw new ValueError(`optimizer tensor '${ref}' is missing`);
        out[key] = tensors[ref];
      } else if (typeof value === 'number') out[key] = value;
      else throw new ValueError(`optimizer state '${key}' of parameter ${index} is ${JSON.stringify(value)}, not a number or tensor`);
    }
    state[Number(index)] = out;
  }
  return { className: j.className, dict: { state, paramGroups: j.paramGroups } };
}

/** An optimizer constructor taking parameters or param groups. */
export type OptimizerClass = new (params: Iterable<Tensor> | { params: Tensor[] }[], options?: object) => Optimizer;

/** The optimizer classes of `sd.optim` by class name, for rebuilding one from a file. */
export function optimizerClass(className: string): OptimizerClass | undefined {
  const value = (optim as Record<string, unknown>)[className];
  if (typeof value === 'function' && value.prototype instanceof optim.Optimizer) {
    return value as OptimizerClass;
  }
  return undefined;
}
