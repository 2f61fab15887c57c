/**
 * Writing TF Serving's REST responses as JSON text: `{"predictions": [...]}` for the row
 * format, `{"outputs": ...}` for the columnar one (the output's name omitted when the
 * model has one output), `{"result": ...}` for `:classify` and `:regress`.
 *
 * float32 values are written with the fewest digits that read back to the same float32
 * (0.1, not 0.10000000149011612). JSON has no NaN or Infinity: they are written as null.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import type { RequestFormat } from './decode.js';
import { ServeError, type Signature, type WireTensor, type WireTensors } from './types.js';

/** The shortest decimal that reads back as the float32 `v`. */
export function float32Text(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  for (let digits = 6; digits < 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(Number(v.toPrecision(9)));
}

function leafText(data: TypedArray, i: number, dtype: DType): string {
  const v = data[i];
  switch (dtype) {
    case 'float32':
      return float32Text(v);
    case 'bool':
      return v ? 'true' : 'false';
    default:
      return Number.isFinite(v) ? String(v) : 'null';
  }
}

/** JSON of the elements from `offset` laid out as `shape` (nested lists; a bare value for shape []). */
function nestedText(data: TypedArray, dtype: DType, shape: readonly number[], dim: number, offset: number): string {
  if (dim === shape.length) return leafText(data, offset, dtype);
  const n = shape[dim];
  let stride = 1;
  for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = nestedText(data, dtype, shape, dim + 1, offset + i * stride);
  return `[${parts.join(',')}]`;
}

/** JSON of one row (index `row` along the batch axis) of `t`. */
function rowText(t: WireTensor, row: number): string {
  const rowShape = t.shape.slice(1);
  let size = 1;
  for (const d of rowShape) size *= d;
  return nestedText(t.data, t.dtype, rowShape, 0, row * size);
}

function tensorText(t: WireTensor): string {
  return nestedText(t.data, t.dtype, t.shape, 0, 0);
}

/** The response body of `:predict`, in the format of the request. */
export function encodePredict(format: RequestFormat, outputs: WireTensors, signature: Signature): string {
  const names = signature.outputs.map((s) => s.name);
  if (format === 'columnar') {
    if (names.length === 1) return `{"outputs":${tensorText(outputs[names[0]])}}`;
    return `{"outputs":{${names.map((n) => `${JSON.stringify(n)}:${tensorText(outputs[n])}`).join(',')}}}`;
  }
  const rows = outputs[names[0]].shape[0] ?? 1;
  const parts = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    parts[r] = names.length === 1 ? rowText(outputs[names[0]], r) : `{${names.map((n) => `${JSON.stringify(n)}:${rowText(outputs[n], r)}`).join(',')}}`;
  }
  return `{"predictions":[${parts.join(',')}]}`;
}

/** The one output that `:classify` or `:regress` reads. */
function soleOutput(outputs: WireTensors, signature: Signature, method: string): WireTensor {
  if (signature.outputs.length !== 1) {
    throw new ServeError(400, `${method} needs a model with one output; this one has ${signature.outputs.length} (${signature.outputs.map((s) => `'${s.name}'`).join(', ')}): use :predict`);
  }
  return outputs[signature.outputs[0].name];
}

/** Whether `:classify` can serve the signature: one output of scores [-1, classes]. */
export function checkClassifier(signature: Signature): void {
  const [out] = signature.outputs;
  if (signature.outputs.length !== 1 || out.shape.length !== 2 || out.dtype === 'bool') {
    throw new ServeError(400, `classify needs a classifier: one output of class scores with shape [-1,classes]; this model's outputs are ${describeOutputs(signature)}: use :predict`);
  }
}

/** Whether `:regress` can serve the signature: one output of shape [-1] or [-1,1]. */
export function checkRegressor(signature: Signature): void {
  const [out] = signature.outputs;
  if (signature.outputs.length !== 1 || !(out.shape.length === 1 || (out.shape.length === 2 && out.shape[1] === 1)) || out.dtype === 'bool') {
    throw new ServeError(400, `regress needs one output of shape [-1] or [-1,1]; this model's outputs are ${describeOutputs(signature)}: use :predict`);
  }
}

function describeOutputs(signature: Signature): string {
  return signature.outputs.map((s) => `'${s.name}' [${s.shape.join(',')}]`).join(', ');
}

/** `{"result": [[[label, score], ...], ...]}`: every class with its score, per example. */
export function encodeClassify(outputs: WireTensors, signature: Signature): string {
  const scores = soleOutput(outputs, signature, 'classify');
  const [rows, classes] = scores.shape;
  const labels = signature.classLabels;
  const labelText = Array.from({ length: classes }, (_, k) => JSON.stringify(labels?.[k] ?? String(k)));
  const parts = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const pairs = new Array<string>(classes);
    for (let k = 0; k < classes; k++) pairs[k] = `[${labelText[k]},${leafText(scores.data, r * classes + k, scores.dtype)}]`;
    parts[r] = `[${pairs.join(',')}]`;
  }
  return `{"result":[${parts.join(',')}]}`;
}

/** `{"result": [v1, v2, ...]}`: one value per example. */
export function encodeRegress(outputs: WireTensors, signature: Signature): string {
  const values = soleOutput(outputs, signature, 'regress');
  const rows = values.shape[0];
  const parts = new Array<string>(rows);
  for (let r = 0; r < rows; r++) parts[r] = leafText(values.data, r, values.dtype);
  return `{"result":[${parts.join(',')}]}`;
}
