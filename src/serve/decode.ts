/**
 * Reading the JSON of TF Serving's REST requests into typed arrays, checked against the
 * model's signature: the row format (`instances`), the columnar format (`inputs`) and
 * the Example format of `:classify`/`:regress` (`examples`, `context`). Every problem is
 * a 400 whose message says where it is and what was expected:
 * `instances[0]: expected 784 values, got 783 (input 'x' has shape [-1,784])`.
 */
import { allocArray, type DType } from '../tensor/dtype.js';
import { ServeError, shapeText, type Signature, type TensorSpec, type WireTensor, type WireTensors } from './types.js';

/** The request formats; the response mirrors the request's. */
export type RequestFormat = 'row' | 'columnar' | 'examples';

export interface DecodedRequest {
  format: RequestFormat;
  inputs: WireTensors;
  /** The batch size shared by every input; null when they differ (columnar only), so the request cannot be merged with others. */
  rows: number | null;
}

/** The signature names a request may give (`signature_name`); the model has one signature. */
export const SIGNATURE_NAMES = ['', 'serving_default', 'tensorflow/serving/predict', 'tensorflow/serving/classify', 'tensorflow/serving/regress'];

const FLOAT32_MAX = 3.4028234663852886e38;

function badRequest(message: string): ServeError {
  return new ServeError(400, message);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? 'the number' : typeof value} ${String(value)}`;
}

/**
 * Reads a nested JSON list into a flat typed array of `spec.dtype`, checking it against
 * `spec.shape` (-1 matches any size). `where` names the value in messages; `about`
 * describes what the value should be.
 */
export function decodeTensor(value: unknown, spec: TensorSpec, where: string, about = `input '${spec.name}' is ${spec.dtype} ${shapeText(spec.shape)}`): WireTensor {
  const shape: number[] = [];
  let probe = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  if (shape.length !== spec.shape.length || shape.some((d, i) => spec.shape[i] !== -1 && spec.shape[i] !== d)) {
    if (shape.length === spec.shape.length && shape.includes(0)) throw badRequest(`${where}: is empty (${about})`);
    throw badRequest(`${where}: expected shape ${shapeText(spec.shape)}, got ${shapeText(shape)} (${about})`);
  }
  if (shape.includes(0)) throw badRequest(`${where}: is empty (${about})`);
  let size = 1;
  for (const d of shape) size *= d;
  const data = allocArray(spec.dtype, size);
  const context = { shape, data, dtype: spec.dtype, about, offset: 0 };
  fill(context, value, 0, where);
  return { data, shape, dtype: spec.dtype };
}

interface FillContext {
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
  dtype: DType;
  about: string;
  offset: number;
}

/** Writes `value` (the sub-list at depth `dim`) into the flat array, checking lengths and leaf types. */
function fill(ctx: FillContext, value: unknown, dim: number, where: string): void {
  const expected = ctx.shape[dim];
  if (!Array.isArray(value) || value.length !== expected) {
    throw badRequest(`${where}: expected a list of ${expected} values, got ${describe(value)} (${ctx.about})`);
  }
  if (dim < ctx.shape.length - 1) {
    for (let i = 0; i < expected; i++) fill(ctx, value[i], dim + 1, `${where}[${i}]`);
    return;
  }
  const { data, dtype } = ctx;
  let o = ctx.offset;
  for (let i = 0; i < expected; i++) {
    const v = value[i];
    if (typeof v === 'number') {
      if (dtype === 'bool') throw leafError(ctx, v, `${where}[${i}]`);
      if (dtype === 'int32' ? !Number.isInteger(v) || v > 2147483647 || v < -2147483648 : !Number.isFinite(v) || (dtype === 'float32' && Math.abs(v) > FLOAT32_MAX)) {
        throw leafError(ctx, v, `${where}[${i}]`);
      }
      data[o++] = v;
    } else if (typeof v === 'boolean' && dtype === 'bool') {
      data[o++] = v ? 1 : 0;
    } else {
      throw leafError(ctx, v, `${where}[${i}]`);
    }
  }
  ctx.offset = o;
}

function leafError(ctx: FillContext, v: unknown, where: string): ServeError {
  const want =
    ctx.dtype === 'bool' ? 'true or false' : ctx.dtype === 'int32' ? 'an integer in the int32 range' : ctx.dtype === 'float32' ? 'a finite number in the float32 range' : 'a finite number';
  return badRequest(`${where}: expected ${want}, got ${describe(v)} (${ctx.about})`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSignatureName(body: Record<string, unknown>): void {
  const name = body.signature_name;
  if (name === undefined) return;
  if (typeof name !== 'string' || !SIGNATURE_NAMES.includes(name)) {
    throw badRequest(`Serving signature name: ${JSON.stringify(name)} not found in signature def (this model has 'serving_default')`);
  }
}

function inputNames(signature: Signature): string {
  return signature.inputs.map((s) => `'${s.name}'`).join(', ');
}

/** Checks that an object names exactly the model's inputs. */
function checkNames(obj: Record<string, unknown>, signature: Signature, where: string): void {
  for (const spec of signature.inputs) {
    if (!Object.hasOwn(obj, spec.name)) throw badRequest(`${where}: missing input '${spec.name}' (the model's inputs are ${inputNames(signature)})`);
  }
  for (const key of Object.keys(obj)) {
    if (!signature.inputs.some((s) => s.name === key)) throw badRequest(`${where}: unknown input '${key}' (the model's inputs are ${inputNames(signature)})`);
  }
}

/** Reads a `:predict` body: `{"instances": [...]}` or `{"inputs": ...}`. */
export function decodePredict(body: unknown, signature: Signature): DecodedRequest {
  if (!isPlainObject(body)) throw badRequest(`the request body must be a JSON object with "instances" or "inputs", got ${describe(body)}`);
  checkSignatureName(body);
  const hasInstances = Object.hasOwn(body, 'instances');
  const hasInputs = Object.hasOwn(body, 'inputs');
  if (hasInstances && hasInputs) throw badRequest(`the request has both "instances" and "inputs"; use one (row or columnar format)`);
  if (hasInstances) return decodeRows(body.instances, signature, 'instances');
  if (hasInputs) return decodeColumns(body.inputs, signature);
  throw badRequest(`the request needs "instances" (row format) or "inputs" (columnar format)`);
}

/** Row format: a list with one entry per instance; objects of named inputs for several inputs. */
function decodeRows(instances: unknown, signature: Signature, key: string): DecodedRequest {
  if (!Array.isArray(instances)) throw badRequest(`"${key}" must be a list, got ${describe(instances)}`);
  if (instances.length === 0) throw badRequest(`"${key}" is empty`);
  const named = signature.inputs.length > 1 || isPlainObject(instances[0]);
  const inputs: WireTensors = {};
  if (!named) {
    const spec = signature.inputs[0];
    inputs[spec.name] = decodeTensor(instances, spec, key, rowAbout(spec));
    return { format: 'row', inputs, rows: instances.length };
  }
  instances.forEach((instance, i) => {
    if (!isPlainObject(instance)) {
      throw badRequest(`${key}[${i}]: expected an object of named inputs (${inputNames(signature)}), got ${describe(instance)}`);
    }
    checkNames(instance, signature, `${key}[${i}]`);
  });
  for (const spec of signature.inputs) {
    const column = instances.map((instance) => (instance as Record<string, unknown>)[spec.name]);
    inputs[spec.name] = decodeTensor(column, spec, `${key}[*].${spec.name}`, rowAbout(spec));
  }
  return { format: 'row', inputs, rows: instances.length };
}

function rowAbout(spec: TensorSpec): string {
  return `input '${spec.name}' is ${spec.dtype} ${shapeText(spec.shape)}: each instance is ${shapeText(spec.shape.slice(1))}`;
}

/** Columnar format: the whole tensor, or an object of named whole tensors. */
function decodeColumns(value: unknown, signature: Signature): DecodedRequest {
  const inputs: WireTensors = {};
  const named = isPlainObject(value);
  if (!named && signature.inputs.length > 1) {
    throw badRequest(`"inputs" must be an object of named inputs (${inputNames(signature)}), got ${describe(value)}`);
  }
  if (named) checkNames(value, signature, 'inputs');
  for (const spec of signature.inputs) {
    const v = named ? value[spec.name] : value;
    inputs[spec.name] = decodeTensor(v, spec, named ? `inputs.${spec.name}` : 'inputs');
  }
  const sizes = new Set(Object.values(inputs).map((t) => t.shape[0]));
  return { format: 'columnar', inputs, rows: sizes.size === 1 ? [...sizes][0] : null };
}

/**
 * Reads a `:classify` or `:regress` body: `{"examples": [{feature: value}], "context": {...}}`
 * (features named as the inputs; a flat list is reshaped to the instance shape), or the
 * row and columnar formats of `:predict`.
 */
export function decodeExamples(body: unknown, signature: Signature): DecodedRequest {
  if (!isPlainObject(body)) throw badRequest(`the request body must be a JSON object with "examples", got ${describe(body)}`);
  checkSignatureName(body);
  if (!Object.hasOwn(body, 'examples')) return decodePredict(body, signature);
  const examples = body.examples;
  const context = body.context ?? {};
  if (!Array.isArray(examples)) throw badRequest(`"examples" must be a list, got ${describe(examples)}`);
  if (examples.length === 0) throw badRequest(`"examples" is empty`);
  if (!isPlainObject(context)) throw badRequest(`"context" must be an object of features, got ${describe(context)}`);
  const rows = examples.map((example, i) => {
    if (!isPlainObject(example)) throw badRequest(`examples[${i}]: expected an object of features, got ${describe(example)}`);
    for (const key of Object.keys(example)) {
      if (Object.hasOwn(context, key)) throw badRequest(`examples[${i}]: feature '${key}' is also in "context"; a feature goes in one of them`);
    }
    const features = { ...context, ...example };
    // A single-input model takes its one feature whatever it is called.
    const keys = Object.keys(features);
    if (signature.inputs.length === 1 && keys.length === 1) return { [signature.inputs[0].name]: features[keys[0]] };
    return features;
  });
  rows.forEach((row, i) => checkNames(row, signature, `examples[${i}]`));
  const inputs: WireTensors = {};
  for (const spec of signature.inputs) {
    const instanceShape = spec.shape.slice(1);
    const size = instanceShape.every((d) => d > 0) ? instanceShape.reduce((a, b) => a * b, 1) : -1;
    const column = rows.map((row) => {
      const v = row[spec.name];
      // tf.Example features are flat lists: read them flat, then give them the instance shape.
      if (size > 0 && instanceShape.length !== 1) return Array.isArray(v) ? v.flat(Infinity) : [v];
      return v;
    });
    const flatSpec: TensorSpec = size > 0 && instanceShape.length !== 1 ? { ...spec, shape: [-1, size] } : spec;
    const t = decodeTensor(column, flatSpec, `examples[*].${spec.name}`, rowAbout(spec));
    inputs[spec.name] = { ...t, shape: [t.shape[0], ...(flatSpec === spec ? t.shape.slice(1) : instanceShape)] };
  }
  return { format: 'examples', inputs, rows: examples.length };
}
