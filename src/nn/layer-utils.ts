/**
 * What the layers share: their constructor arguments (PyTorch's positional order, an
 * options object, or one config object), argument checks that name the layer and the bad
 * value, PyTorch's printing of layer arguments, and errors of the ops named after the layer.
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';

/** The dtypes a layer's parameters may have. */
export type FloatDType = 'float32' | 'float64';

function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Tensor);
}

/**
 * Gathers a layer's constructor arguments into one config object. Accepted forms, as a
 * PyTorch user writes them: positional values in `keys` order (up to `positional` of
 * them), optionally followed by an options object; or a single config object (the form
 * `getConfig()` returns). Unknown option names are rejected, which catches snake_case
 * spellings (`in_features`) and typos.
 */
export function layerArgs<C>(layer: string, args: readonly unknown[], keys: readonly (keyof C & string)[], positional: number): Partial<C> {
  const values = [...args];
  while (values.length > 0 && values[values.length - 1] === undefined) values.pop();
  const options = values.length > 0 && isOptionsObject(values[values.length - 1]) ? (values.pop() as Record<string, unknown>) : {};
  if (values.length > positional) {
    throw new ValueError(
      `${layer}: takes at most ${positional} positional arguments (${keys.slice(0, positional).join(', ')}) and an options object, got ${values.length}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!(keys as readonly string[]).includes(key)) {
      throw new ValueError(`${layer}: unknown option '${key}' (expected ${keys.join(', ')})`);
    }
  }
  const config: Record<string, unknown> = { ...options };
  values.forEach((value, i) => {
    if (value === undefined) return;
    if (options[keys[i]] !== undefined) {
      throw new ValueError(`${layer}: ${keys[i]} is given twice, as argument ${i + 1} and in the options`);
    }
    config[keys[i]] = value;
  });
  return config as Partial<C>;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(shown).join(', ')}]`;
  if (value instanceof Tensor) return `a Tensor of shape ${fmtShape(value.shape)}`;
  return String(value);
}

/** A required positive integer argument (inFeatures, outChannels, ...). */
export function positiveInt(layer: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${layer}: ${name} must be a positive integer, got ${shown(value)}`);
  }
  return value;
}

/** A positive integer or a tuple of `length` of them (kernel sizes, strides, dilations). */
export function sizeArg<T extends number | readonly number[]>(layer: string, name: string, value: T, length: number): T {
  const list = typeof value === 'number' ? [value] : Array.isArray(value) ? value : null;
  const ok = list !== null && (typeof value === 'number' || list.length === length) && list.every((v) => Number.isInteger(v) && v > 0);
  if (!ok) {
    const expected = length === 1 ? 'a positive integer' : `a positive integer or ${length} of them`;
    throw new ValueError(`${layer}: ${name} must be ${expected}, got ${shown(value)}`);
  }
  return value;
}

/** A boolean argument (bias, affine, ...). */
export function boolArg(layer: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${layer}: ${name} must be true or false, got ${shown(value)}`);
  return value;
}

/** A finite number with `test` as its range, described by `range` in the message. */
export function numberArg(layer: string, name: string, value: unknown, range: string, test: (v: number) => boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !test(value)) {
    throw new ValueError(`${layer}: ${name} must be ${range}, got ${shown(value)}`);
  }
  return value;
}

/** One of a few strings. */
export function choiceArg<T extends string>(layer: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new ValueError(`${layer}: ${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${shown(value)}`);
  }
  return value as T;
}

/** The parameters' dtype: float32 (default) or float64. */
export function dtypeArg(layer: string, value: unknown): FloatDType {
  if (value === undefined) return 'float32';
  if (value !== 'float32' && value !== 'float64') {
    throw new DTypeError(`${layer}: dtype must be 'float32' or 'float64', got ${shown(value)}`);
  }
  return value;
}

/** Python's repr of a float, as PyTorch prints layer arguments: 0.1, 1.0, 1e-05. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mantissa, exponent] = x.toExponential().split('e');
  const e = Number(exponent);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const text = String(x);
  return Number.isInteger(x) ? `${text}.0` : text;
}

/** Python's repr of a value as it appears in a layer's printout: ints, tuples (`(3,)`), True, None. */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.length === 1 ? `(${pyValue(value[0])},)` : `(${value.map(pyValue).join(', ')})`;
  return String(value);
}

/** A per-axis size given as one number or a tuple, as a tuple of `length` (PyTorch's _pair). */
export function tupleOf(value: number | readonly number[], length: number): number[] {
  return typeof value === 'number' ? Array.from({ length }, () => value) : [...value];
}

/** The module as its printout shows it on one line: `Linear(in_features=3, out_features=4, bias=True)`. */
export function layerLabel(module: Module): string {
  return `${module.constructor.name}(${module.extraRepr()})`;
}

/**
 * Runs a layer's ops and puts the layer in front of their argument errors, so that a
 * message reads `Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1)): conv2d: kernel 5x5 ...`.
 */
export function asLayer<T>(module: Module, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    for (const ErrorClass of [ShapeError, DTypeError, ValueError]) {
      if (err instanceof ErrorClass) throw new ErrorClass(`${layerLabel(module)}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** Checks that a layer's input is a Tensor before any op sees it. */
export function tensorInput(label: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) {
    const what = Array.isArray(x) ? 'an array (wrap it with sd.tensor first)' : shown(x);
    throw new ValueError(`${label}: input must be a Tensor, got ${what}`);
  }
  return x;
}

/**
 * Checks the rank of an image (spatial = 2) or sequence (spatial = 1) input of a conv or
 * pooling layer, which takes a batch or one unbatched sample as PyTorch; returns whether
 * it is batched.
 */
export function spatialRank(label: string, x: Tensor, spatial: 1 | 2, channelsLast: boolean): boolean {
  const layout = spatial === 2 ? (channelsLast ? 'H,W,C' : 'C,H,W') : channelsLast ? 'L,C' : 'C,L';
  if (x.rank !== spatial + 1 && x.rank !== spatial + 2) {
    throw new ShapeError(`${label}: expected a ${spatial + 1}-D [${layout}] or ${spatial + 2}-D [N,${layout}] input, got shape ${fmtShape(x.shape)}`);
  }
  return x.rank === spatial + 2;
}
