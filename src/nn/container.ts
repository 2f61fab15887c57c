import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * An ordered list of child modules named '0', '1', ... (or by the names given to a
 * Sequential): the common part of Sequential and ModuleList. `list[i]` reads a child,
 * `list[i] = m` replaces one, `at(-1)` counts from the end, and the list iterates.
 */
abstract class ModuleSequence extends Module {
  [index: number]: Module;
  /** Child names in order; a module may appear twice (shared layers), unlike in namedChildren(). */
  readonly #names: string[] = [];

  /** The number of modules. */
  get length(): number {
    return this.#names.length;
  }

  /** The module at `index`; negative indices count from the end. */
  at(index: number): Module {
    return this.#slot(this.#names[this.#position('at', index)]);
  }

  /** Adds `module` at the end; returns this. */
  append(module: Module): this {
    const name = String(this.#names.length);
    this.registerModule(name, checkModule(this.constructor.name, module));
    this.#names.push(name);
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `module` before position `index` (the end when index = length); renumbers. */
  insert(index: number, module: Module): this {
    const n = this.#names.length;
    if (!Number.isInteger(index) || index < -n || index > n) {
      throw new ValueError(`${this.constructor.name}.insert: index ${index} is out of range for ${n} modules`);
    }
    const modules = [...this];
    modules.splice(index < 0 ? index + n : index, 0, checkModule(this.constructor.name, module));
    this.#renumber(modules);
    return this;
  }

  /** Removes and returns the module at `index` (the last by default); renumbers. */
  pop(index = -1): Module {
    const i = this.#position('pop', index);
    const modules = [...this];
    const [removed] = modules.splice(i, 1);
    this.#renumber(modules);
    return removed;
  }

  /** The modules from `start` to `end` (exclusive, negatives from the end) in a new container of this kind, names kept. */
  slice(start = 0, end = this.#names.length): this {
    const names = this.#names.slice(start, end);
    const out = new (this.constructor as new () => this)();
    for (const name of names) {
      out.registerModule(name, this.#slot(name));
      out.#names.push(name);
    }
    return out;
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (const name of this.#names) yield this.#slot(name);
  }

  /** Registers `module` under `name` (for containers built from named modules). */
  protected add(name: string, module: Module): void {
    if (this.#names.includes(name)) throw new ValueError(`${this.constructor.name}: two modules are named '${name}'`);
    this.registerModule(name, checkModule(this.constructor.name, module));
    this.#names.push(name);
  }

  #slot(name: string | number): Module {
    return (this as unknown as Record<string, Module>)[name];
  }

  #position(op: string, index: number): number {
    const n = this.#names.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new ValueError(`${this.constructor.name}.${op}: index ${index} is out of range for ${n} module${n === 1 ? '' : 's'}`);
    }
    return index < 0 ? index + n : index;
  }

  #renumber(modules: Module[]): void {
    for (const name of this.#names) delete (this as unknown as Record<string, unknown>)[name];
    this.#names.length = 0;
    for (const m of modules) this.append(m);
  }
}

function checkModule(container: string, module: unknown): Module {
  if (!(module instanceof Module)) {
    const what = module === null || module === undefined ? String(module) : typeof module === 'object' ? module.constructor?.name : typeof module;
    throw new ValueError(`${container}: expected a Module, got ${what}`);
  }
  return module;
}

/**
 * A chain of modules, PyTorch's `nn.Sequential`: forward passes the input through each
 * child in order. Children are named '0', '1', ... or by the keys of an object or Map.
 *
 * ```ts
 * const model = new sd.nn.Sequential(
 *   new sd.nn.Flatten(),
 *   new sd.nn.Linear(784, 128),
 *   new sd.nn.ReLU(),
 *   new sd.nn.Dropout(0.2),
 *   new sd.nn.Linear(128, 10),
 * );
 * model.call(sd.randn([32, 1, 28, 28])).shape; // [32,10]
 * model[1];                                     // the first Linear
 * model.append(new sd.nn.LogSoftmax(1));
 * console.log(model.toString());                // the tree, as PyTorch prints it
 * new sd.nn.Sequential({ fc: new sd.nn.Linear(4, 2), act: new sd.nn.Tanh() }); // named children
 * ```
 */
export class Sequential extends ModuleSequence {
  constructor(...modules: Module[]);
  constructor(named: Record<string, Module> | Map<string, Module>);
  constructor(...args: unknown[]) {
    super();
    const first = args[0];
    if (args.length === 1 && !(first instanceof Module) && typeof first === 'object' && first !== null) {
      const entries = first instanceof Map ? [...first.entries()] : Object.entries(first);
      for (const [name, module] of entries) this.add(String(name), module as Module);
    } else {
      for (const m of args) this.append(m as Module);
    }
  }

  forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this) x = m.call(x);
    return x as Tensor;
  }
}

/**
 * A list of child modules, PyTorch's `nn.ModuleList`: registers them (so their parameters
 * are found, saved and trained) without deciding how they are called.
 *
 * ```ts
 * class Deep extends sd.nn.Module {
 *   layers = new sd.nn.ModuleList(Array.from({ length: 4 }, () => new sd.nn.Linear(64, 64)));
 *   forward(x: sd.Tensor): sd.Tensor {
 *     for (const layer of this.layers) x = sd.relu(layer.call(x));
 *     return x;
 *   }
 * }
 * ```
 */
export class ModuleList extends ModuleSequence {
  constructor(modules: Iterable<Module> = []) {
    super();
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== 'function') {
      throw new ValueError(`ModuleList: expected an iterable of modules, got ${String(modules)}`);
    }
    this.extend(modules);
  }

  /** A ModuleList is not called itself: call its modules in the parent's forward. */
  forward(): never {
    throw new Error('ModuleList has no forward: iterate over it and call its modules in the forward of the module that holds it');
  }
}
