import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers.js';

const shapeOf = (t: sd.Tensor) => [...t.shape];

describe('tensor()', () => {
  it('infers shape and dtype from nested arrays', () => {
    const x = sd.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(shapeOf(x), [2, 3]);
    assert.equal(x.dtype, 'float32');
    assert.deepEqual([...x.values], [1, 2, 3, 4, 5, 6]);
    assert.equal(sd.tensor([[true], [false]]).dtype, 'bool');
    assert.equal(sd.tensor([true, 2]).dtype, 'float32'); // mixed: numbers win
    assert.deepEqual(shapeOf(sd.tensor([[[1]], [[2]]])), [2, 1, 1]);
  });

  it('makes scalars and zero-size tensors', () => {
    const s = sd.tensor(5);
    assert.deepEqual(shapeOf(s), []);
    assert.equal(s.size, 1);
    assert.equal(s.item(), 5);
    assert.equal(sd.tensor(true).dtype, 'bool');
    assert.deepEqual(shapeOf(sd.tensor([])), [0]);
    assert.equal(sd.tensor([]).dtype, 'float32');
    assert.deepEqual(shapeOf(sd.tensor([[], []])), [2, 0]);
    assert.deepEqual(shapeOf(sd.tensor([], [0, 3, 2])), [0, 3, 2]);
  });

  it('takes typed arrays with their own dtype, without copying', () => {
    const f = new Float32Array([1, 2]);
    const t = sd.tensor(f);
    assert.equal(t.dtype, 'float32');
    assert.equal(t.values, f);
    assert.equal(sd.tensor(new Float64Array(2)).dtype, 'float64');
    assert.equal(sd.tensor(new Int32Array(2)).dtype, 'int32');
    assert.equal(sd.tensor(new Uint8Array(2)).dtype, 'bool');
    const pixels = sd.tensor(new Uint8ClampedArray([0, 128, 255]));
    assert.equal(pixels.dtype, 'int32');
    assert.deepEqual([...pixels.values], [0, 128, 255]);
    assert.deepEqual([...sd.tensor(new Int16Array([-3, 4]), undefined, 'float32').values], [-3, 4]);
  });

  it('copies nested arrays and tensors', () => {
    const source = [1, 2];
    const t = sd.tensor(source);
    source[0] = 9;
    assert.equal(t.values[0], 1);
    const copy = sd.tensor(t);
    copy.values[0] = 7;
    assert.equal(t.values[0], 1);
    assert.deepEqual(shapeOf(sd.tensor(sd.zeros([2, 3]), [3, 2])), [3, 2]);
  });

  it('reshapes to a given shape and converts to a given dtype', () => {
    const x = sd.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    assert.deepEqual(x.array(), [[1, 2, 3], [4, 5, 6]]);
    const i = sd.tensor([1.7, -1.7, 2.5], undefined, 'int32');
    assert.deepEqual([...i.values], [1, -1, 2]); // truncated toward zero
    assert.deepEqual(sd.tensor([0, 0.5, -2], undefined, 'bool').array(), [false, true, true]);
    assert.equal(sd.tensor(new Float32Array([1.5]), [1, 1], 'float64').dtype, 'float64');
    assert.deepEqual(sd.tensor(new Int32Array([3, 0]), undefined, 'bool').array(), [true, false]);
    assert.deepEqual(shapeOf(sd.tensor(7, [1, 1])), [1, 1]);
  });

  it('rejects ragged arrays with a ShapeError', () => {
    assertThrows(() => sd.tensor([[1, 2], [3]]), sd.ShapeError, /^tensor: ragged nested array: expected 2 elements at depth 1, got an array of 1/);
    assertThrows(() => sd.tensor([[1, 2], 3] as sd.NestedArray), sd.ShapeError, /^tensor: ragged nested array: expected 2 elements at depth 1, got number/);
    assertThrows(() => sd.tensor([1, [2]] as sd.NestedArray), sd.ShapeError, /^tensor: ragged nested array: expected a number at depth 1, got an array of 1/);
    assertThrows(() => sd.tensor([[], [1]]), sd.ShapeError, /ragged/);
  });

  it('rejects elements that are not numbers or booleans', () => {
    assertThrows(() => sd.tensor(['a'] as unknown as number[]), sd.ValueError, /^tensor: expected a number or boolean at depth 1, got string/);
    assertThrows(() => sd.tensor([null] as unknown as number[]), sd.ValueError, /got null/);
    assertThrows(() => sd.tensor([new Float32Array(2)] as unknown as number[]), sd.ValueError, /Float32Array \(typed arrays are accepted only at the top level\)/);
  });

  it('rejects an unknown dtype and a shape that does not fit', () => {
    assertThrows(() => sd.tensor([1], undefined, 'float16' as sd.DType), sd.DTypeError, /^tensor: unknown dtype 'float16' \(expected float32, float64, int32 or bool\)/);
    assertThrows(() => sd.tensor([1, 2, 3], [2, 2]), sd.ShapeError, /^tensor: 3 values cannot fill shape \[2,2\] \(4 elements\)/);
    assertThrows(() => sd.tensor(sd.zeros([3]), [2]), sd.ShapeError, /^tensor: 3 values cannot fill shape \[2\]/);
    assertThrows(() => sd.tensor([1, 2], [-1, -2]), sd.ValueError, /^tensor: shape must hold non-negative integers, got \[-1,-2\]/);
  });
});

describe('filled tensors', () => {
  it('zeros, ones and full with shapes, scalars and size 0', () => {
    assert.deepEqual(sd.zeros([2, 2]).array(), [[0, 0], [0, 0]]);
    assert.equal(sd.zeros([3]).dtype, 'float32');
    assert.equal(sd.zeros([3], 'int32').dtype, 'int32');
    assert.deepEqual(sd.ones([2], 'bool').array(), [true, true]);
    assert.deepEqual(sd.full([2, 1], 7).array(), [[7], [7]]);
    assert.deepEqual(sd.full([2], true).array(), [true, true]);
    assert.equal(sd.full([2], true).dtype, 'bool');
    assert.deepEqual(sd.full([2], 2.5, 'int32').array(), [2, 2]);
    assert.deepEqual(sd.full([2], 3, 'bool').array(), [true, true]);
    assert.deepEqual(shapeOf(sd.ones([])), []);
    assert.equal(sd.ones([]).item(), 1);
    assert.deepEqual(shapeOf(sd.zeros([0, 4])), [0, 4]);
    assert.equal(sd.full([3, 0], 1).size, 0);
    assert.equal(sd.scalar(2.5).item(), 2.5);
    assert.equal(sd.scalar(true).dtype, 'bool');
    assert.equal(sd.scalar(4, 'float64').dtype, 'float64');
  });

  it('zerosLike, onesLike and fullLike keep shape and dtype unless told', () => {
    const x = sd.tensor(new Int32Array([1, 2, 3, 4]), [2, 2]);
    const z = sd.zerosLike(x);
    assert.deepEqual(shapeOf(z), [2, 2]);
    assert.equal(z.dtype, 'int32');
    assert.equal(sd.onesLike(x, 'float64').dtype, 'float64');
    assert.deepEqual(sd.onesLike(x).array(), [[1, 1], [1, 1]]);
    assert.deepEqual(sd.fullLike(x, 5).array(), [[5, 5], [5, 5]]);
    assert.deepEqual(shapeOf(sd.zerosLike(sd.zeros([0, 2]))), [0, 2]);
  });

  it('reject bad shapes and unknown dtypes, naming the function', () => {
    assertThrows(() => sd.zeros([2, -1]), sd.ValueError, /^zeros: shape must hold non-negative integers, got \[2,-1\]/);
    assertThrows(() => sd.ones([1.5]), sd.ValueError, /^ones: shape must hold non-negative integers/);
    assertThrows(() => sd.full([2], 1, 'uint8' as sd.DType), sd.DTypeError, /^full: unknown dtype 'uint8'/);
    assertThrows(() => sd.zeros([2], 'int64' as sd.DType), sd.DTypeError, /^zeros: unknown dtype 'int64'/);
  });
});

describe('ranges', () => {
  it('arange counts like PyTorch: int32 for integer arguments, float32 otherwise', () => {
    const a = sd.arange(5);
    assert.equal(a.dtype, 'int32');
    assert.deepEqual(a.array(), [0, 1, 2, 3, 4]);
    assert.deepEqual(sd.arange(2, 5).array(), [2, 3, 4]);
    assert.deepEqual(sd.arange(5, 0, -2).array(), [5, 3, 1]);
    const f = sd.arange(1, 2, 0.25);
    assert.equal(f.dtype, 'float32');
    assert.deepEqual(f.array(), [1, 1.25, 1.5, 1.75]);
    assert.equal(sd.arange(0, 1, 0.1).size, 10);
    assert.equal(sd.arange(0).size, 0);
    assert.equal(sd.arange(3, 1).size, 0);
    assert.equal(sd.arange(3, undefined, 1, 'float64').dtype, 'float64');
  });

  it('arange rejects a zero or non-finite step and infinite ends', () => {
    assertThrows(() => sd.arange(0, 5, 0), sd.ValueError, /^arange: step must be a non-zero finite number, got 0/);
    assertThrows(() => sd.arange(0, Infinity), sd.ValueError, /^arange: start and end must be finite, got 0 and Infinity/);
  });

  it('linspace matches PyTorch bit for bit, ends included', () => {
    // torch.linspace(0, 1, 7).tolist() and torch.linspace(-3, 10, 4).tolist()
    assert.deepEqual([...sd.linspace(0, 1, 7).values], [0, 0.1666666716337204, 0.3333333432674408, 0.5, 0.6666666269302368, 0.8333333134651184, 1]);
    assert.deepEqual([...sd.linspace(-3, 10, 4).values], [-3, 1.3333334922790527, 5.666666507720947, 10]);
    assertClose(sd.linspace(0, 1, 5, 'float64'), [0, 0.25, 0.5, 0.75, 1], { atol: 0, rtol: 0 });
    assert.deepEqual(sd.linspace(2, 3, 1).array(), [2]);
    assert.equal(sd.linspace(2, 3, 0).size, 0);
    assert.deepEqual(sd.linspace(1, 0, 3).array(), [1, 0.5, 0]);
    assertThrows(() => sd.linspace(0, 1, -1), sd.ValueError, /^linspace: steps must be a non-negative integer, got -1/);
    assertThrows(() => sd.linspace(0, 1, 2.5), sd.ValueError, /linspace: steps/);
  });

  it('eye makes square and rectangular identities', () => {
    assert.deepEqual(sd.eye(3).array(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assert.deepEqual(sd.eye(2, 3).array(), [[1, 0, 0], [0, 1, 0]]);
    assert.deepEqual(sd.eye(3, 2, 'int32').array(), [[1, 0], [0, 1], [0, 0]]);
    assert.deepEqual(shapeOf(sd.eye(0)), [0, 0]);
    assertThrows(() => sd.eye(-1), sd.ValueError, /^eye: shape must hold non-negative integers, got \[-1,-1\]/);
  });
});
