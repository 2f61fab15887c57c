import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { noGrad, withGradMode } from '../autograd/mode.js';
import { allocArray, isFloatDType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';

/** The hyperparameters every optimizer has. */
export interface OptimizerOptions {
  lr: number;
}

/** A group of parameters with its own hyperparameters (`initialLr` is set by LR schedulers). */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & { params: Tensor[]; initialLr?: number };

/** A param group as the constructor takes it: options it leaves out come from the defaults. */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & { params: Iterable<Tensor> };

/** What an optimizer is given: the parameters, or groups of them with their own options. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Tensor> | ParamGroupInput<O>[];

/** Per-parameter state: running averages (tensors shaped like the parameter) and counters. */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's resumable state, as PyTorch's: `state` by parameter index (numbered
 * across groups in order, only parameters that have state), tensors copied; `paramGroups`
 * with their hyperparameters and the indices of their parameters. Hyperparameters are
 * JSON values; state holds tensors and numbers.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/**
 * Base class of the optimizers (`sd.optim`): parameter groups with their own
 * hyperparameters, per-parameter state, `zeroGrad`, `step` and `stateDict`.
 *
 * A subclass gives its defaults, checks its options in `checkOptions`, and updates one
 * parameter tensor in `updateParam`. The update is one fused pass over the typed arrays of
 * the parameter, its gradient and its state (an exported function per optimizer, e.g.
 * `adamUpdate`, that a native backend can replace), run under `noGrad`.
 *
 * ```ts
 * const opt = new sd.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * for (const [x, y] of loader) {
 *   opt.zeroGrad();
 *   lossFn(model.call(x), y).backward();
 *   opt.step();
 * }
 * ```
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** State of each parameter that has been stepped. */
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: Params<O>, defaults: O, options: Partial<O> = {}) {
    this.checkKeys(options, defaults, '');
    this.defaults = { ...defaults, ...options };
    this.checkOptions(this.defaults, '');
    if (params instanceof Tensor) {
      throw new TypeError(`${this.name}: params must be an iterable of tensors or of param groups, got a single Tensor (wrap it in an array)`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new ValueError(`${this.name}: got an empty parameter list`);
    const isGroup = (x: unknown): boolean => x !== null && typeof x === 'object' && !(x instanceof Tensor) && 'params' in x;
    const groups = list.every(isGroup) ? (list as ParamGroupInput<O>[]) : [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const group of groups) this.addParamGroup(group);
  }

  /** The optimizer's name in messages: its class name. */
  get name(): string {
    return this.constructor.name;
  }

  /** Throws a ValueError naming the option and the bad value; `where` names the group. */
  protected abstract checkOptions(options: O, where: string): void;

  /** Updates `param` in place from `grad` (not null) and the parameter's state. */
  protected abstract updateParam(param: Tensor, grad: Tensor, group: ParamGroup<O>): void;

  /** Adds a group of parameters, with options overriding the defaults for that group. */
  addParamGroup(group: ParamGroupInput<O>): void {
    const where = ` (param group ${this.paramGroups.length})`;
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new TypeError(`${this.name}: a param group must be an object with 'params'${where}`);
    }
    const { params: groupParams, ...options } = group;
    this.checkKeys(options as unknown as Partial<O>, this.defaults, where);
    const params = groupParams instanceof Tensor ? [groupParams] : [...groupParams];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: parameter ${i}${where} is not a Tensor`);
      if (!isFloatDType(p.dtype)) throw new DTypeError(`${this.name}: parameter ${i}${where} must be float32 or float64, got ${p.dtype}`);
      if (!p.isLeaf) throw new ValueError(`${this.name}: parameter ${i}${where} is not a leaf tensor (it was computed by '${p.creator}'); optimize the tensor it came from`);
      if (seen.has(p)) throw new ValueError(`${this.name}: parameter ${i}${where} appears in more than one param group`);
      seen.add(p);
    });
    const merged = { ...this.defaults, ...structuredClone(options), params } as ParamGroup<O>;
    this.checkOptions(merged, where);
    this.paramGroups.push(merged);
  }

  /** Clears the gradients of every parameter: to null by default (PyTorch 2), or to zeros. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        // a new zero tensor, not a write into grad: backward may share one gradient between leaves
        p.grad = setToNone || p.grad === null ? null : new Tensor(allocArray(p.grad.dtype, p.grad.size), p.grad.shape, p.grad.dtype);
      }
    }
  }

  /**
   * Updates every parameter that has a gradient. `closure`, when given, recomputes the
   * loss (with gradients recorded) before the update; its loss is returned.
   */
  step(closure?: () => Tensor | number): number | undefined {
    let loss: number | undefined;
    if (closure) {
      const value = withGradMode(true, closure);
      loss = value instanceof Tensor ? value.item() : value;
    }
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          if (!shapesEqual(p.grad.shape, p.shape)) {
            throw new ShapeError(`${this.name}.step: gradient of shape ${fmtShape(p.grad.shape)} for a parameter of shape ${fmtShape(p.shape)}`);
          }
          this.updateParam(p, p.grad, group);
        }
      }
    });
    return loss;
  }

  /** The state of `param`, created by `init` on its first step. */
  protected stateOf<S extends ParamState>(param: Tensor, init: () => S): S {
    let s = this.state.get(param) as S | undefined;
    if (!s) {
      s = init();
      this.state.set(param, s);
    }
    return s;
  }

  /** A copy of the hyperparameters and per-parameter state, for checkpoints. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map(({ params, ...hyper }) => ({
      ...structuredClone(hyper),
      params: params.map((p) => {
        index.set(p, index.size);
        return index.size - 1;
      }),
    }));
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = copyState(s);
    }
    return { state, paramGroups };
  }

  /**
   * Restores hyperparameters and state saved by `stateDict()` into an optimizer built on
   * the same parameters in the same groups. State tensors are copied and converted to the
   * parameter's dtype.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const groups = dict?.paramGroups;
    if (!Array.isArray(groups) || typeof dict.state !== 'object') {
      throw new ValueError(`${this.name}.loadStateDict: expected { state, paramGroups } as stateDict() returns`);
    }
    if (groups.length !== this.paramGroups.length) {
      throw new ValueError(`${this.name}.loadStateDict: the state dict has ${groups.length} param groups, the optimizer has ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Tensor>();
    groups.forEach((g, i) => {
      const params = this.paramGroups[i].params;
      if (g.params.length !== params.length) {
        throw new ValueError(`${this.name}.loadStateDict: param group ${i} has ${g.params.length} parameters in the state dict, ${params.length} in the optimizer`);
      }
      g.params.forEach((id, k) => byIndex.set(id, params[k]));
    });
    const newState = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(dict.state)) {
      const p = byIndex.get(Number(key));
      if (!p) throw new ValueError(`${this.name}.loadStateDict: state for parameter ${key}, which no param group lists`);
      for (const [name, v] of Object.entries(s)) {
        if (v instanceof Tensor && !shapesEqual(v.shape, p.shape) && v.rank !== 0) {
          throw new ShapeError(`${this.name}.loadStateDict: state '${name}' of parameter ${key} has shape ${fmtShape(v.shape)}, the parameter has ${fmtShape(p.shape)}`);
        }
      }
      newState.set(p, copyState(s, p));
    }
    groups.forEach(({ params: _, ...hyper }, i) => {
      const merged = { ...this.paramGroups[i], ...structuredClone(hyper) };
      this.checkOptions(merged, ` (param group ${i})`);
      Object.assign(this.paramGroups[i], merged);
    });
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }

  private checkKeys(options: Partial<O>, defaults: O, where: string): void {
    for (const key of Object.keys(options ?? {})) {
      if (!(key in defaults) && key !== 'initialLr') {
        throw new ValueError(`${this.name}: unknown option '${key}'${where} (valid: ${Object.keys(defaults).join(', ')})`);
      }
    }
  }
}

function copyState(s: ParamState, like?: Tensor): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) {
    if (!(v instanceof Tensor)) out[k] = v;
    else if (like && isFloatDType(v.dtype) && v.dtype !== like.dtype) {
      const values = allocArray(like.dtype, v.size);
      values.set(v.values);
      out[k] = new Tensor(values, v.shape, like.dtype);
    } else out[k] = v.clone();
  }
  return out;
}

/** Checks used by the optimizers' `checkOptions`: `Adam: lr must be >= 0, got -0.1`. */
export function checkOption(op: string, name: string, value: unknown, ok: boolean, rule: string, where: string): void {
  if (!ok || (typeof value === 'number' && Number.isNaN(value))) {
    const shown = Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'string' ? `'${value}'` : String(value);
    throw new ValueError(`${op}: ${name} must be ${rule}, got ${shown}${where}`);
  }
}

/** A fresh zero tensor shaped like `p`, for optimizer state. */
export function zerosState(p: Tensor, fill = 0): Tensor {
  const values = allocArray(p.dtype, p.size);
  if (fill !== 0) values.fill(fill);
  return new Tensor(values, p.shape, p.dtype);
}
