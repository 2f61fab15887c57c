/**
 * The data of fit, evaluate and predict: arrays of samples turned into tensors per model
 * input and output, checked against the model (sample counts, input shapes, labels for
 * the loss), and cut into batches — or batches taken from a DataLoader or any (async)
 * iterable of [x, y] pairs.
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor, isTypedArray } from '../tensor/convert.js';
import { isFloatDType, type DType } from '../tensor/dtype.js';
import { randperm } from '../tensor/create.js';
import { cast } from '../ops/cast.js';
import { rowRange, rowSize, takeRows } from '../data/collate.js';
import { stepInputF32 } from '../tensor/recycle.js';
import { canonicalLossName, type LossIdentifier } from '../losses/registry.js';
import { formatShape, type Shape } from '../layers/symbolic.js';

/** Samples for one input or output: a Tensor, or nested arrays / a typed array. */
export type ArrayData = Tensor | number[] | number[][] | number[][][] | number[][][][] | Float32Array | Int32Array;
/** Data for the model's inputs (or outputs): one array, a list per input, or a record by input name. */
export type ModelData = ArrayData | ArrayData[] | Record<string, ArrayData>;

/** One batch: a tensor per input and per output, and the sample weights if any. */
export interface Batch {
  xs: Tensor[];
  ys: Tensor[];
  sampleWeight?: Tensor;
}

/** Batches for an epoch, with the number per epoch when it is known. */
export interface BatchSource {
  steps: number | null;
  samples?: number;
  batches(): Iterable<Batch> | AsyncIterable<Batch>;
}

/** What a model tells the data checks about an input or output. */
export interface Port {
  name: string;
  shape: Shape;
  dtype: DType;
}

function toTensor(op: string, what: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  if (Array.isArray(value) || isTypedArray(value)) return tensor(value as number[]);
  throw new ValueError(`${op}: ${what} must be a Tensor or an array of numbers, got ${value === null ? 'null' : typeof value}`);
}

/** One tensor per port from `data` (a tensor, a list in port order, or a record by port name). */
export function toTensors(op: string, what: 'x' | 'y', data: unknown, ports: Port[]): Tensor[] {
  if (data === undefined || data === null) throw new ValueError(`${op}: ${what} is required`);
  const names = ports.map((p) => p.name);
  if (Array.isArray(data) && data.length > 0 && data.every((d) => d instanceof Tensor)) {
    if (data.length !== ports.length) {
      throw new ValueError(`${op}: ${what} has ${data.length} tensors but the model has ${ports.length} ${what === 'x' ? 'inputs' : 'outputs'} (${names.join(', ')})`);
    }
    return data as Tensor[];
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && !(data instanceof Tensor) && !isTypedArray(data)) {
    const record = data as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      if (!names.includes(k)) throw new ValueError(`${op}: ${what} names '${k}', but the model's ${what === 'x' ? 'inputs' : 'outputs'} are ${names.join(', ')}`);
    }
    return names.map((n) => {
      if (record[n] === undefined) throw new ValueError(`${op}: ${what} has no data for '${n}'`);
      return toTensor(op, `${what}.${n}`, record[n]);
    });
  }
  if (ports.length !== 1) {
    throw new ValueError(`${op}: the model has ${ports.length} ${what === 'x' ? 'inputs' : 'outputs'} (${names.join(', ')}); give ${what} as a list of tensors or a record by name`);
  }
  return [toTensor(op, what, data)];
}

/** Checks that every tensor has the same number of samples (first axis). */
export function checkSampleCounts(op: string, xs: Tensor[], ys: Tensor[]): number {
  const all: [string, Tensor][] = [...xs.map((t, i) => [xs.length > 1 ? `x[${i}]` : 'x', t] as [string, Tensor]), ...ys.map((t, i) => [ys.length > 1 ? `y[${i}]` : 'y', t] as [string, Tensor])];
  for (const [name, t] of all) if (t.rank === 0) throw new ShapeError(`${op}: ${name} must have a sample axis first, got a scalar`);
  const n = all[0][1].shape[0];
  for (const [name, t] of all.slice(1)) {
    if (t.shape[0] !== n) {
      throw new ValueError(`${op}: ${all[0][0]} has ${n} samples but ${name} has ${t.shape[0]} (the first axes must match)`);
    }
  }
  return n;
}

/** Checks the inputs against the model's input shapes and casts them to the inputs' dtypes. */
export function conformInputs(op: string, xs: Tensor[], ports: Port[]): Tensor[] {
  return xs.map((x, i) => {
    const { name, shape, dtype } = ports[i];
    const fits = x.rank === shape.length && shape.every((d, k) => k === 0 || d === null || d === x.shape[k]);
    if (!fits) {
      throw new ShapeError(`${op}: expected input '${name}' to have shape ${formatShape(shape)}, got ${fmtShape(x.shape)}`);
    }
    if (x.dtype === dtype) return x;
    if (x.dtype === 'bool' && dtype !== 'bool') return cast(x, dtype);
    if (!isFloatDType(dtype) && isFloatDType(x.dtype)) {
      throw new DTypeError(`${op}: input '${name}' takes ${dtype} (indices), got ${x.dtype}; cast it with sd.cast(x, '${dtype}')`);
    }
    return cast(x, dtype);
  });
}

/**
 * Checks labels against the loss before training starts: class indices in range for the
 * sparse cross-entropy, one-hot rows for the categorical one, 0/1 targets for the binary
 * one, and matching shapes.
 */
export function checkTargets(op: string, lossId: LossIdentifier, y: Tensor, output: Port): void {
  const loss = typeof lossId === 'string' ? canonicalLossName(lossId) : lossId && typeof lossId === 'object' && 'name' in lossId && typeof lossId.name === 'string' ? canonicalLossName(lossId.name) : undefined;
  if (!loss) return;
  const classes = output.shape[output.shape.length - 1];
  const where = `labels for '${output.name}' (${loss})`;
  if (loss === 'sparseCategoricalCrossentropy') {
    if (y.dtype === 'bool') throw new DTypeError(`${op}: ${where} must be int32 class indices, got bool`);
    const oneHot = y.rank === output.shape.length && classes !== null && classes > 1 && y.shape[y.rank - 1] === classes;
    if (oneHot) {
      throw new ShapeError(`${op}: ${where} look one-hot (${fmtShape(y.shape)}); use loss 'categoricalCrossentropy', or give class indices of shape [${y.shape[0]}]`);
    }
    const v = y.values;
    for (let i = 0; i < v.length; i++) {
      if (!Number.isInteger(v[i])) throw new DTypeError(`${op}: ${where} must be whole class indices, got ${v[i]} at index ${i}`);
      if (v[i] < 0 || (classes !== null && v[i] >= classes)) {
        throw new ValueError(`${op}: ${where} must be class indices in [0, ${classes}), got ${v[i]} at index ${i}`);
      }
    }
  } else if (loss === 'categoricalCrossentropy') {
    if (y.rank !== output.shape.length || (classes !== null && y.shape[y.rank - 1] !== classes)) {
      const hint = y.rank === output.shape.length - 1 ? `; for class indices use 'sparseCategoricalCrossentropy'` : '';
      throw new ShapeError(`${op}: ${where} must be one-hot of shape ${formatShape([y.shape[0], ...output.shape.slice(1)])}, got ${fmtShape(y.shape)}${hint}`);
    }
  } else if (loss === 'binaryCrossentropy') {
    const v = y.values;
    for (let i = 0; i < v.length; i++) {
      if (!(v[i] >= 0 && v[i] <= 1)) throw new ValueError(`${op}: ${where} must be in [0, 1], got ${v[i]} at index ${i}`);
    }
  }
}

/** Splits every tensor at sample `at`: [0, at) and [at, n), sharing storage. */
export function splitAt(tensors: Tensor[], at: number): [Tensor[], Tensor[]] {
  return [tensors.map((t) => rowRange(t, 0, at)), tensors.map((t) => rowRange(t, at, t.shape[0]))];
}

/** Batches of in-memory tensors, in a new random order each epoch when `shuffle`. */
export function arraySource(xs: Tensor[], ys: Tensor[], sampleWeight: Tensor | undefined, batchSize: number, shuffle: boolean): BatchSource {
  const n = (xs[0] ?? ys[0]).shape[0];
  const steps = Math.ceil(n / batchSize);
  return {
    steps,
    samples: n,
    *batches() {
      const order = shuffle ? randperm(n).values : null;
      for (let s = 0; s < steps; s++) {
        const start = s * batchSize;
        const end = Math.min(n, start + batchSize);
        // a shuffled float32 batch goes into a buffer the step will hand back (tensor/recycle.ts)
        const into = (t: Tensor) => (t.dtype === 'float32' ? stepInputF32((end - start) * rowSize(t)) : undefined);
        const take = (t: Tensor): Tensor => (order ? takeRows(t, order.subarray(start, end), into(t)) : rowRange(t, start, end));
        yield { xs: xs.map(take), ys: ys.map(take), sampleWeight: sampleWeight && take(sampleWeight) };
      }
    },
  };
}

/** True for data given as batches: a DataLoader, a Dataset, or any (async) iterable that is not an array or a tensor. */
export function isBatchIterable(data: unknown): data is Iterable<unknown> | AsyncIterable<unknown> {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || data instanceof Tensor || isTypedArray(data)) return false;
  return Symbol.iterator in data || Symbol.asyncIterator in data;
}

/** What iterableSource needs of the model: build it from the first x, and its inputs and outputs. */
export interface ModelPorts {
  prepare(x: unknown): void;
  inputs(): Port[];
  outputs(): Port[];
}

/**
 * Batches from an iterable of `[x, y]` (or `[x, y, sampleWeight]`, or tfjs' `{xs, ys}`)
 * per step, iterated again every epoch (a DataLoader reshuffles). `length` (a
 * DataLoader's batches per epoch) gives the steps; `maxSteps` caps an epoch. Sync
 * iterables give sync batches, so evaluate can stay synchronous on them.
 */
export function iterableSource(op: string, data: Iterable<unknown> | AsyncIterable<unknown>, model: ModelPorts, maxSteps?: number): BatchSource {
  const length = (data as { length?: unknown }).length;
  const known = typeof length === 'number' && Number.isInteger(length) ? length : null;
  const steps = maxSteps !== undefined ? (known === null ? maxSteps : Math.min(known, maxSteps)) : known;
  const limit = maxSteps ?? Infinity;
  const convert = (item: unknown, step: number): Batch => {
    let x: unknown;
    let y: unknown;
    let w: unknown;
    if (Array.isArray(item) && (item.length === 2 || item.length === 3)) [x, y, w] = item;
    else if (item && typeof item === 'object' && 'xs' in item && 'ys' in item) ({ xs: x, ys: y } = item as { xs: unknown; ys: unknown });
    else throw new ValueError(`${op}: batch ${step} of the data must be [x, y] (or [x, y, sampleWeight], or { xs, ys }), got ${describe(item)}`);
    model.prepare(x);
    const inputs = model.inputs();
    const xs = conformInputs(op, toTensors(op, 'x', x, inputs), inputs);
    const ys = toTensors(op, 'y', y, model.outputs());
    checkSampleCounts(op, xs, ys);
    return { xs, ys, sampleWeight: w === undefined ? undefined : toTensor(op, 'sampleWeight', w) };
  };
  if (Symbol.iterator in data) {
    const sync = data as Iterable<unknown>;
    return {
      steps,
      *batches() {
        let step = 0;
        if (limit <= 0) return;
        for (const item of sync) {
          yield convert(item, step++);
          if (step >= limit) break;
        }
      },
    };
  }
  return {
    steps,
    async *batches() {
      let step = 0;
      if (limit <= 0) return;
      for await (const item of data as AsyncIterable<unknown>) {
        yield convert(item, step++);
        if (step >= limit) break;
      }
    },
  };
}

function describe(item: unknown): string {
  if (item instanceof Tensor) return `a Tensor of shape ${fmtShape(item.shape)}`;
  if (Array.isArray(item)) return `an array of ${item.length} items`;
  return item === null ? 'null' : typeof item;
}

/**
 * Per-sample weights from `classWeight` (class index → weight; classes not listed weigh 1)
 * and the labels: class indices [N] or [N,1], one-hot or probability rows [N,C] (argmax),
 * or 0/1 targets.
 */
export function classSampleWeights(op: string, classWeight: Record<number, number>, y: Tensor): Tensor {
  const n = y.shape[0];
  const width = y.rank >= 2 ? y.size / n : 1;
  const out = new Float32Array(n);
  const v = y.values;
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (width === 1) cls = Math.round(Number(v[i]));
    else {
      cls = 0;
      for (let k = 1; k < width; k++) if (v[i * width + k] > v[i * width + cls]) cls = k;
    }
    const w = classWeight[cls];
    if (w !== undefined && !(typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
      throw new ValueError(`${op}: classWeight[${cls}] must be a number >= 0, got ${String(w)}`);
    }
    out[i] = w ?? 1;
  }
  return new Tensor(out, [n], 'float32');
}
