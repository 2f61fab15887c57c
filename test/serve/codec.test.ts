/** Reading TF Serving's request JSON and writing its responses (src/serve/decode.ts, encode.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeExamples, decodePredict, decodeTensor } from '../../src/serve/decode.js';
import { encodeClassify, encodePredict, encodeRegress, float32Text, checkClassifier, checkRegressor } from '../../src/serve/encode.js';
import { ServeError, type Signature, type WireTensor } from '../../src/serve/types.js';
import { assertThrows } from '../helpers.js';

const single: Signature = { inputs: [{ name: 'x', shape: [-1, 2, 2], dtype: 'float32' }], outputs: [{ name: 'y', shape: [-1, 3], dtype: 'float32' }] };
const multi: Signature = {
  inputs: [
    { name: 'a', shape: [-1, 2], dtype: 'float32' },
    { name: 'b', shape: [-1], dtype: 'int32' },
  ],
  outputs: [
    { name: 'p', shape: [-1, 2], dtype: 'float32' },
    { name: 'm', shape: [-1], dtype: 'bool' },
  ],
};

function status400(fn: () => unknown, message: RegExp): void {
  assertThrows(fn, ServeError, message);
  try {
    fn();
  } catch (err) {
    assert.equal((err as ServeError).status, 400);
  }
}

describe('serve: decoding requests', () => {
  it('reads the row format of one input into a flat float32 array with the batch axis', () => {
    const d = decodePredict({ instances: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] }, single);
    assert.equal(d.format, 'row');
    assert.equal(d.rows, 2);
    assert.deepEqual(d.inputs.x.shape, [2, 2, 2]);
    assert.ok(d.inputs.x.data instanceof Float32Array);
    assert.deepEqual([...d.inputs.x.data], [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads the row format of named inputs (list of objects), also for one input', () => {
    const d = decodePredict({ instances: [{ a: [1, 2], b: 3 }, { a: [4, 5], b: -6 }] }, multi);
    assert.deepEqual(d.inputs.a.shape, [2, 2]);
    assert.deepEqual([...d.inputs.b.data], [3, -6]);
    assert.ok(d.inputs.b.data instanceof Int32Array);
    const one = decodePredict({ instances: [{ x: [[1, 2], [3, 4]] }] }, single);
    assert.deepEqual(one.inputs.x.shape, [1, 2, 2]);
  });

  it('reads the columnar format: a bare tensor or an object of tensors, whose batch sizes may differ', () => {
    const d = decodePredict({ inputs: [[[1, 2], [3, 4]]] }, single);
    assert.equal(d.format, 'columnar');
    assert.equal(d.rows, 1);
    const m = decodePredict({ inputs: { a: [[1, 2]], b: [1, 2, 3] } }, multi);
    assert.equal(m.rows, null);
    assert.deepEqual(m.inputs.b.shape, [3]);
    assert.equal(decodePredict({ inputs: { a: [[1, 2]], b: [7] } }, multi).rows, 1);
  });

  it('accepts the signature names of TF Serving and refuses others', () => {
    decodePredict({ signature_name: 'serving_default', instances: [[[1, 2], [3, 4]]] }, single);
    status400(() => decodePredict({ signature_name: 'other', instances: [[[1, 2], [3, 4]]] }, single), /signature name: "other" not found/);
  });

  it('refuses bodies that are not a request, with what was expected', () => {
    status400(() => decodePredict([1, 2], single), /must be a JSON object with "instances" or "inputs", got a list of 2/);
    status400(() => decodePredict({}, single), /needs "instances" \(row format\) or "inputs" \(columnar format\)/);
    status400(() => decodePredict({ instances: [], inputs: [] }, single), /both "instances" and "inputs"/);
    status400(() => decodePredict({ instances: {} }, single), /"instances" must be a list, got an object/);
    status400(() => decodePredict({ instances: [] }, single), /"instances" is empty/);
  });

  it('says the expected shape when the shape is wrong', () => {
    status400(() => decodePredict({ instances: [[1, 2, 3, 4]] }, single), /instances: expected shape \[-1,2,2\], got \[1,4\] \(input 'x' is float32 \[-1,2,2\]: each instance is \[2,2\]\)/);
    status400(() => decodePredict({ inputs: [[1, 2], [3, 4]] }, single), /inputs: expected shape \[-1,2,2\], got \[2,2\]/);
  });

  it('finds ragged lists and wrong nesting, naming where', () => {
    status400(() => decodePredict({ instances: [[[1, 2], [3, 4]], [[5, 6], [7]]] }, single), /instances\[1\]\[1\]: expected a list of 2 values, got a list of 1/);
    status400(() => decodePredict({ instances: [[[1, 2], [3, 4]], [[5, 6], 7]] }, single), /instances\[1\]\[1\]: expected a list of 2 values, got the number 7/);
    status400(() => decodePredict({ instances: [[[1, 2], [3, [4]]]] }, single), /instances\[0\]\[1\]\[1\]: expected a finite number in the float32 range, got a list of 1/);
  });

  it('refuses strings, null, booleans, non-finite and out-of-range numbers where numbers belong', () => {
    status400(() => decodePredict({ instances: [[[1, '2'], [3, 4]]] }, single), /instances\[0\]\[0\]\[1\]: expected a finite number in the float32 range, got the string "2"/);
    status400(() => decodePredict({ instances: [[[1, null], [3, 4]]] }, single), /got null/);
    status400(() => decodePredict({ instances: [[[1, true], [3, 4]]] }, single), /got boolean true/);
    status400(() => decodePredict(JSON.parse('{"instances": [[[1, 1e999], [3, 4]]]}'), single), /got the number Infinity/);
    status400(() => decodePredict({ instances: [[[1, 1e39], [3, 4]]] }, single), /float32 range, got the number 1e\+39/);
    status400(() => decodePredict({ instances: [{ a: [1, 2], b: 1.5 }] }, multi), /instances\[\*\]\.b\[0\]: expected an integer in the int32 range, got the number 1.5/);
    status400(() => decodePredict({ instances: [{ a: [1, 2], b: 2 ** 31 }] }, multi), /int32 range/);
  });

  it('names missing and unknown inputs', () => {
    status400(() => decodePredict({ instances: [{ a: [1, 2] }] }, multi), /instances\[0\]: missing input 'b' \(the model's inputs are 'a', 'b'\)/);
    status400(() => decodePredict({ instances: [{ a: [1, 2], b: 1, c: 2 }] }, multi), /instances\[0\]: unknown input 'c'/);
    status400(() => decodePredict({ instances: [[1, 2]] }, multi), /instances\[0\]: expected an object of named inputs \('a', 'b'\), got a list of 2/);
    status400(() => decodePredict({ inputs: [[1, 2]] }, multi), /"inputs" must be an object of named inputs/);
    status400(() => decodePredict({ inputs: { a: [[1, 2]] } }, multi), /inputs: missing input 'b'/);
  });

  it('reads bool inputs from true/false only', () => {
    const spec = { name: 'm', shape: [-1], dtype: 'bool' as const };
    assert.deepEqual([...decodeTensor([true, false], spec, 'inputs').data], [1, 0]);
    status400(() => decodeTensor([1, 0], spec, 'inputs'), /inputs\[0\]: expected true or false, got the number 1/);
  });

  it('matches -1 sizes past the batch axis, and requires every row to agree', () => {
    const spec = { name: 's', shape: [-1, -1], dtype: 'float32' as const };
    assert.deepEqual(decodeTensor([[1, 2, 3]], spec, 'instances').shape, [1, 3]);
    status400(() => decodeTensor([[1, 2, 3], [1, 2]], spec, 'instances'), /instances\[1\]: expected a list of 3 values, got a list of 2/);
  });

  it('reads the Example format of classify: flat features reshaped, context shared', () => {
    const d = decodeExamples({ examples: [{ x: [1, 2, 3, 4] }, { x: [5, 6, 7, 8] }] }, single);
    assert.equal(d.format, 'examples');
    assert.deepEqual(d.inputs.x.shape, [2, 2, 2]);
    assert.deepEqual([...d.inputs.x.data], [1, 2, 3, 4, 5, 6, 7, 8]);
    const c = decodeExamples({ context: { b: 9 }, examples: [{ a: [1, 2] }, { a: [3, 4] }] }, multi);
    assert.deepEqual([...c.inputs.b.data], [9, 9]);
    assert.deepEqual(decodeExamples({ examples: [{ pixels: [[1, 2], [3, 4]] }] }, single).inputs.x.shape, [1, 2, 2]);
    status400(() => decodeExamples({ context: { b: 9 }, examples: [{ a: [1, 2], b: 1 }] }, multi), /feature 'b' is also in "context"/);
    status400(() => decodeExamples({ examples: 3 }, single), /"examples" must be a list/);
    status400(() => decodeExamples({ examples: [{ x: [1, 2, 3] }] }, single), /examples\[\*\]\.x: expected shape \[-1,4\], got \[1,3\] \(input .x. is float32 \[-1,2,2\]: each instance is \[2,2\]\)/);
  });
});

describe('serve: encoding responses', () => {
  const y: WireTensor = { data: new Float32Array([0.1, 0.2, 0.7, 1, 2, 3]), shape: [2, 3], dtype: 'float32' };

  it('writes float32 values with the fewest digits that read back the same', () => {
    assert.equal(float32Text(Math.fround(0.1)), '0.1');
    assert.equal(float32Text(Math.fround(1 / 3)), '0.33333334');
    assert.equal(float32Text(3), '3');
    assert.equal(float32Text(Math.fround(1e-8)), '1e-8');
    assert.equal(float32Text(NaN), 'null');
    for (const v of [Math.fround(Math.PI), Math.fround(-123.456), Math.fround(6.02e23)]) assert.equal(Math.fround(Number(float32Text(v))), v);
  });

  it('writes predictions by row and outputs by column, naming outputs only when there are several', () => {
    assert.equal(encodePredict('row', { y }, single), '{"predictions":[[0.1,0.2,0.7],[1,2,3]]}');
    assert.equal(encodePredict('columnar', { y }, single), '{"outputs":[[0.1,0.2,0.7],[1,2,3]]}');
    const p: WireTensor = { data: new Float32Array([1, 2]), shape: [1, 2], dtype: 'float32' };
    const m: WireTensor = { data: new Uint8Array([1]), shape: [1], dtype: 'bool' };
    assert.equal(encodePredict('row', { p, m }, multi), '{"predictions":[{"p":[1,2],"m":true}]}');
    assert.equal(encodePredict('columnar', { p, m }, multi), '{"outputs":{"p":[[1,2]],"m":[true]}}');
    assert.deepEqual(JSON.parse(encodePredict('row', { y }, single)), { predictions: [[0.1, 0.2, 0.7], [1, 2, 3]] });
  });

  it('writes classify results as label/score pairs, and regress results as values', () => {
    assert.equal(encodeClassify({ y }, { ...single, classLabels: ['cat', 'dog', 'eel'] }), '{"result":[[["cat",0.1],["dog",0.2],["eel",0.7]],[["cat",1],["dog",2],["eel",3]]]}');
    assert.equal(encodeClassify({ y }, single), '{"result":[[["0",0.1],["1",0.2],["2",0.7]],[["0",1],["1",2],["2",3]]]}');
    const r: WireTensor = { data: new Float32Array([3.5, 4]), shape: [2], dtype: 'float32' };
    const reg: Signature = { inputs: single.inputs, outputs: [{ name: 'r', shape: [-1], dtype: 'float32' }] };
    assert.equal(encodeRegress({ r }, reg), '{"result":[3.5,4]}');
  });

  it('refuses classify and regress on models that are not classifiers or regressors', () => {
    assertThrows(() => checkClassifier(multi), ServeError, /classify needs a classifier: one output of class scores with shape \[-1,classes\]; this model's outputs are 'p' \[-1,2\], 'm' \[-1\]: use :predict/);
    assertThrows(() => checkRegressor(single), ServeError, /regress needs one output of shape \[-1\] or \[-1,1\]/);
  });
});
