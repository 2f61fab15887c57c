import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('compare');

describeEachBackend('cast', () => {
  it('matches PyTorch: float to int truncates, to bool is x != 0, bool and int to float', () => {
    for (const name of [
      'cast_float_to_int32',
      'cast_float_to_bool',
      'cast_int32_to_float',
      'cast_int32_to_bool',
      'cast_bool_to_float',
      'cast_bool_to_int32',
      'cast_float_to_int32_zero_size',
      'cast_float64_to_int32',
      'cast_float64_to_bool',
    ]) {
      const dtype = fixtures.get(name)!.output.dtype;
      checkFixture(fixtures, name, (x) => sd.cast(x, dtype));
    }
  });

  it('returns the tensor itself for its own dtype, and takes numbers and arrays', () => {
    const x = sd.tensor([1, 2]);
    assert.equal(sd.cast(x, 'float32'), x);
    assert.equal(sd.cast(2.9, 'int32').item(), 2);
    assert.deepEqual(sd.cast([0, 2], 'bool').array(), [false, true]);
    assert.equal(sd.cast(sd.scalar(3, 'int32'), 'float32').toString(), 'tensor(3.)');
  });

  it('rounds float64 to the nearest float32', () => {
    const x = sd.tensor([1 + 2 ** -30, 0.1], undefined, 'float64');
    const y = sd.cast(x, 'float32');
    assert.equal(y.dtype, 'float32');
    assert.deepEqual([...y.values], [1, Math.fround(0.1)]);
  });

  it('rejects an unknown dtype', () => {
    assertThrows(() => sd.cast(sd.zeros([1]), 'float16' as sd.DType), sd.DTypeError, /^cast: unknown dtype 'float16' \(expected float32, float64, int32 or bool\)/);
  });
});

it('cast between floats carries the gradient back in the source dtype', () => {
  const x = sd.tensor([0.5, -1.5]).requiresGrad_();
  const y = sd.mul(sd.cast(x, 'float64'), sd.tensor([2, 3], undefined, 'float64'));
  sd.sum(y).backward();
  assert.equal(x.grad!.dtype, 'float32');
  assertClose(x.grad!, [2, 3]);
  // float32 rounding makes the function a staircase; a wide step still sees slope 1
  sd.gradcheck((t) => sd.cast(sd.mul(sd.cast(t, 'float32'), 3), 'float64'), [sd.randn([5], { dtype: 'float64' })], { eps: 1e-3, atol: 1e-3 });
});

it('cast to int32 or bool ends the graph, and backward names the cast', () => {
  const x = sd.tensor([0.5, -1.5]).requiresGrad_();
  const i = sd.cast(x, 'int32');
  assert.equal(i.requiresGrad, false);
  assertThrows(() => sd.sum(i).backward(), sd.ValueError, /backward: .*it is int32, produced by 'sum'/);
  assertThrows(() => i.backward(sd.ones([2], 'int32')), sd.ValueError, /^backward: this tensor does not require grad: it is int32, produced by 'cast'; only float tensors carry gradients/);
  assertThrows(() => sd.cast(x, 'bool').backward(sd.ones([2])), sd.ValueError, /it is bool, produced by 'cast'/);
});
