import { ValueError, DTypeError, fmtShape } from '../errors.js';
import { allocArray, isDType, isFloatDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/create.js';
import { shapesEqual } from '../tensor/shape.js';
import { Parameter } from './parameter.js';

/** Parameters and persistent buffers by dotted name (`fc1.weight`), as `stateDict()` returns. */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` found when `strict` is false. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Returned by the hook registrations; `remove()` unregisters the hook. */
export interface HookHandle {
  remove(): void;
}

/** Runs before `forward`; may return replacement arguments. */
export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | void;
/** Runs after `forward`; may return a replacement output. */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;

/**
 * Base class of every neural-network layer and model, as PyTorch's `nn.Module`.
 *
 * **Registration.** A module's parameters and children are found by scanning its own
 * enumerable properties: a property holding a `Parameter` is a parameter, one holding a
 * `Module` is a child, so `this.fc1 = new Linear(...)` just works, in declaration order.
 * (JS cannot intercept assignment without wrapping every module in a Proxy, which breaks
 * `#private` fields and slows every property access; the scan costs nothing until
 * parameters are asked for.) Buffers — saved state that is not trained, such as batch-norm
 * running statistics — must be declared with `registerBuffer`, since a plain Tensor
 * property may be any cached value. Not registered: modules inside arrays or Maps (use
 * `nn.ModuleList`), and values in `#private` or non-enumerable properties (a way to hold a
 * module without owning it). `registerParameter`/`registerModule` exist for names computed
 * at run time (`'0'`, `'1'` of a Sequential) and check the name. A subclass field that a
 * base constructor fills must be written `declare weight: Parameter;`: a plain field
 * declaration is re-initialised to undefined after the base constructor returns.
 *
 * **Calling.** JS objects are not callable: write `model.call(x)`, which runs the forward
 * pre-hooks, `forward`, then the forward hooks (PyTorch's `model(x)`); `model.forward(x)`
 * skips the hooks.
 *
 * ```ts
 * class MLP extends sd.nn.Module {
 *   fc1 = new sd.nn.Linear(784, 128);
 *   fc2 = new sd.nn.Linear(128, 10);
 *   forward(x: sd.Tensor): sd.Tensor {
 *     return this.fc2.call(sd.relu(this.fc1.call(x)));
 *   }
 * }
 * const model = new MLP();
 * model.namedParameters().map(([name]) => name); // fc1.weight, fc1.bias, fc2.weight, fc2.bias
 * const logits = model.call(sd.randn([32, 784])); // [32, 10]
 * model.eval();                                  // dropout off, batch norm uses running stats
 * ```
 */
export abstract class Module {
  /** True in training mode (the default), false after `eval()`. */
  training = true;
  /** Registered buffer names and whether each is saved in the state dict. */
  readonly #buffers = new Map<string, boolean>();
  readonly #preHooks = new Map<number, ForwardPreHook>();
  readonly #hooks = new Map<number, ForwardHook>();

  /** The computation of the module. Subclasses define it with their own signature. */
  abstract forward(...args: any[]): any;

  /** Runs the module: forward pre-hooks, `forward`, forward hooks (PyTorch's `module(x)`). */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    let input: unknown[] = args;
    for (const hook of this.#preHooks.values()) input = hook(this, input) ?? input;
    let output: unknown = this.forward(...input);
    for (const hook of this.#hooks.values()) {
      const replaced = hook(this, input, output);
      if (replaced !== undefined) output = replaced;
    }
    return output as ReturnType<this['forward']>;
  }

  /** Adds a hook run before every `call`; it may return new arguments. */
  registerForwardPreHook(hook: ForwardPreHook): HookHandle {
    return addHook(this.#preHooks, hook);
  }

  /** Adds a hook run after every `call`; it may return a new output. */
  registerForwardHook(hook: ForwardHook): HookHandle {
    return addHook(this.#hooks, hook);
  }

  /** Sets `this[name] = param`, checking the name and that it is a Parameter (or null). */
  registerParameter<P extends Parameter | null>(name: string, param: P): P {
    this.#checkName('registerParameter', name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(
        `registerParameter: cannot register ${kindOf(param)} as parameter '${name}' (wrap it: new nn.Parameter(tensor))`,
      );
    }
    this.#slots()[name] = param;
    return param;
  }

  /**
   * Registers `tensor` as buffer `name` (`this[name]`): state that moves with the module
   * and is saved by `stateDict()` unless `persistent` is false, but is not trained. The
   * property may be reassigned later (`this.runningMean = newValue`) and stays the buffer.
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, options: { persistent?: boolean } = {}): T {
    this.#checkName('registerBuffer', name);
    if (tensor instanceof Parameter) {
      throw new TypeError(`registerBuffer: '${name}' is a Parameter; use registerParameter for trained tensors`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`registerBuffer: cannot register ${kindOf(tensor)} as buffer '${name}'`);
    }
    this.#buffers.set(name, options.persistent ?? true);
    this.#slots()[name] = tensor;
    return tensor;
  }

  /** Sets `this[name] = module` as a child, checking the name. */
  registerModule<M extends Module | null>(name: string, module: M): M {
    this.#checkName('registerModule', name);
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`registerModule: cannot register ${kindOf(module)} as child module '${name}'`);
    }
    this.#slots()[name] = module;
    return module;
  }

  /** Direct children with their property names. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Module && !seen.has(value)) {
        seen.add(value);
        out.push([name, value]);
      }
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, each once, with dotted paths ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, path: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([path, m]);
      for (const [name, child] of m.namedChildren()) visit(child, path ? `${path}.${name}` : name);
    };
    visit(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Parameters with dotted names (`fc1.weight`), in registration order, each once even
   * when shared between modules (tied weights). With `recurse` false, only this module's.
   */
  namedParameters(recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [path, m] of recurse ? this.namedModules() : [['', this] as [string, Module]]) {
      for (const [name, value] of Object.entries(m)) {
        if (value instanceof Parameter && !seen.has(value)) {
          seen.add(value);
          out.push([path ? `${path}.${name}` : name, value]);
        }
      }
    }
    return out;
  }

  /** The parameters, for an optimizer: `new sd.optim.Adam(model.parameters())`. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters(recurse).map(([, p]) => p);
  }

  /** Registered buffers (running statistics, ...) with dotted names; null buffers are skipped. */
  namedBuffers(recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of recurse ? this.namedModules() : [['', this] as [string, Module]]) {
      for (const name of m.#buffers.keys()) {
        const value = m.#slots()[name];
        if (value instanceof Tensor) out.push([path ? `${path}.${name}` : name, value]);
      }
    }
    return out;
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, b]) => b);
  }

  /** The descendant at dotted path `target` (`'encoder.layers.0'`); '' is this module. */
  getSubmodule(target: string): Module {
    let m: Module = this;
    for (const name of target === '' ? [] : target.split('.')) {
      const next = m.#slots()[name];
      if (!(next instanceof Module)) {
        throw new ValueError(`getSubmodule: ${m.constructor.name} has no child module '${name}' (path '${target}')`);
      }
      m = next;
    }
    return m;
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError(`train: mode must be a boolean, got ${String(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. Dropout passes through, batch norm uses running stats. */
  eval(): this {
    return this.train(false);
  }

  /** Sets `requiresGrad` on every parameter (false freezes the module); returns this. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /** Clears the gradients: to null by default (PyTorch 2), or to zeros. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      // a fresh zeros tensor rather than writing into grad: backward may share one gradient tensor between leaves
      p.grad = setToNone || p.grad === null ? null : zerosLike(p.grad);
    }
  }

  /** Calls `fn` on every descendant, children first, then on this module; returns this. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Converts float parameters and buffers to `dtype` (new tensors; tied parameters stay
   * tied). Create optimizers after converting: they hold the old parameter objects.
   */
  to(dtype: DType): this {
    if (!isDType(dtype) || !isFloatDType(dtype)) {
      throw new DTypeError(`to: dtype must be float32 or float64, got ${String(dtype)}`);
    }
    const converted = new Map<Tensor, Tensor>();
    const convert = <T extends Tensor>(t: T, make: (c: Tensor) => T): T => {
      if (t.dtype === dtype || !isFloatDType(t.dtype)) return t;
      let c = converted.get(t);
      if (!c) {
        const values = allocArray(dtype, t.size);
        values.set(t.values);
        c = make(new Tensor(values, t.shape, dtype));
        converted.set(t, c);
      }
      return c as T;
    };
    for (const m of this.modules()) {
      const slots = m.#slots();
      for (const [name, value] of Object.entries(slots)) {
        if (value instanceof Parameter) slots[name] = convert(value, (c) => new Parameter(c, value.requiresGrad));
        else if (value instanceof Tensor && m.#buffers.has(name)) slots[name] = convert(value, (c) => c);
      }
    }
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name. The tensors share storage with the
   * module (as in PyTorch); clone them to keep a snapshot. A module reachable by two paths
   * appears under both.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.#stateEntries()) out[name] = t.detach();
    return out;
  }

  /**
   * Copies `state` into the parameters and buffers in place (so optimizers keep working),
   * converting dtypes. Nothing is copied unless every entry fits: a shape mismatch always
   * throws, and with `strict` (the default) so do missing and unexpected keys; the error
   * lists them all.
   */
  loadStateDict(state: StateDict | Map<string, Tensor>, options: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const source = state instanceof Map ? state : new Map(Object.entries(state));
    const own = new Map(this.#stateEntries());
    const missingKeys = [...own.keys()].filter((k) => !source.has(k));
    const unexpectedKeys = [...source.keys()].filter((k) => !own.has(k));
    const quoted = (keys: string[]): string => keys.map((k) => `'${k}'`).join(', ');
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${quoted(missingKeys)}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${quoted(unexpectedKeys)}`);
    for (const [key, target] of own) {
      const value = source.get(key);
      if (value === undefined) continue;
      if (!(value instanceof Tensor)) problems.push(`'${key}' is ${kindOf(value)}, not a Tensor`);
      else if (!shapesEqual(value.shape, target.shape)) {
        problems.push(
          `size mismatch for '${key}': the state dict has shape ${fmtShape(value.shape)}, the model has ${fmtShape(target.shape)}`,
        );
      }
    }
    if (problems.length > 0) {
      throw new ValueError(`loadStateDict: cannot load into ${this.constructor.name}:\n  ${problems.join('\n  ')}`);
    }
    for (const [key, target] of own) {
      const value = source.get(key);
      if (value && value.values !== target.values) target.values.set(value.values);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Extra text inside this module's parentheses in `toString()`, e.g. `in_features=784`. */
  extraRepr(): string {
    return '';
  }

  /**
   * The module tree as PyTorch prints it:
   * ```text
   * MLP(
   *   (fc1): Linear(in_features=784, out_features=128, bias=True)
   *   (fc2): Linear(in_features=128, out_features=10, bias=True)
   * )
   * ```
   */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    // every slot, as PyTorch's repr walks _modules: a module held twice is printed twice
    const children = Object.entries(this).filter((entry): entry is [string, Module] => entry[1] instanceof Module);
    const childLines = children.map(([name, m]) => `(${name}): ${m.toString().split('\n').join('\n  ')}`);
    const lines = [...extraLines, ...childLines];
    let body = '';
    if (extraLines.length === 1 && childLines.length === 0) body = extraLines[0];
    else if (lines.length > 0) body = `\n  ${lines.join('\n  ')}\n`;
    return `${this.constructor.name}(${body})`;
  }

  /** console.log(model) prints the tree. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Every parameter and persistent buffer by path, shared modules under each path. */
  #stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const ancestors = new Set<Module>();
    const visit = (m: Module, prefix: string): void => {
      if (ancestors.has(m)) {
        throw new ValueError(`stateDict: ${m.constructor.name} at '${prefix}' contains itself`);
      }
      ancestors.add(m);
      const slots = m.#slots();
      for (const [name, value] of Object.entries(slots)) {
        if (value instanceof Parameter) out.push([prefix + name, value]);
      }
      for (const [name, persistent] of m.#buffers) {
        const value = slots[name];
        if (persistent && value instanceof Tensor) out.push([prefix + name, value]);
      }
      for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`);
      ancestors.delete(m);
    };
    visit(this, '');
    return out;
  }

  #slots(): Record<string, unknown> {
    return this as unknown as Record<string, unknown>;
  }

  /** Names must be usable as dotted-path segments and must not hide a method or mix kinds. */
  #checkName(op: string, name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ValueError(`${op}: name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
    const owner = this.constructor.name;
    if (name in this && !Object.hasOwn(this, name)) {
      throw new ValueError(`${op}: '${name}' is a method or accessor of ${owner} and cannot be replaced`);
    }
    if (name === 'training') throw new ValueError(`${op}: 'training' is reserved for the training mode flag`);
    const current = this.#slots()[name];
    if (op === 'registerBuffer' && (current instanceof Parameter || current instanceof Module)) {
      throw new ValueError(`${op}: '${name}' is already a ${current instanceof Module ? 'child module' : 'parameter'} of ${owner}`);
    }
    if (op !== 'registerBuffer' && this.#buffers.has(name)) {
      throw new ValueError(`${op}: '${name}' is already a buffer of ${owner}`);
    }
  }
}

function addHook<H>(hooks: Map<number, H>, hook: H): HookHandle {
  const id = hookIds++;
  hooks.set(id, hook);
  return { remove: () => void hooks.delete(id) };
}
let hookIds = 0;

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  const name = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  return `${/^[AEIOUaeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}
