import { it } from 'node:test';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkGrad, describeEachBackend } from '../helpers.js';

/** The unfused reference: x + bias along `axis`, then relu. */
function reference(x: sd.Tensor, b: sd.Tensor, axis: number, relu: boolean): sd.Tensor {
  const shape = x.shape.map((d, i) => (i === axis ? d : 1));
  const y = sd.add(x, sd.reshape(b, shape));
  return relu ? sd.relu(y) : y;
}

describeEachBackend('biasAdd', () => {
  it('adds the bias along the axis (last, NCHW channels, odd sizes) and applies relu, as add then relu', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [shape, axis] of [[[32, 128], 1], [[3, 17, 5, 7], 1], [[2, 5, 7, 17], 3], [[1029], 0], [[4, 0, 3], 2], [[33, 65, 3], 1]] as const) {
        const x = sd.randn([...shape], { dtype });
        const b = sd.randn([shape[axis] as number], { dtype });
        for (const activation of ['linear', 'relu'] as const) {
          assertClose(sd.biasAdd(x, b, { axis, activation }), reference(x, b, axis, activation === 'relu'), { atol: 0, rtol: 0 });
        }
      }
    }
    // negative axes, and NaN propagating through the relu as in sd.relu
    const x = sd.tensor([[NaN, -1], [2, -3]]);
    assertClose(sd.biasAdd(x, sd.tensor([1, 1]), { axis: -1, activation: 'relu' }), [[NaN, 0], [3, 0]]);
  });

  it('has the gradients of add then relu', () => {
    const x = sd.tensor([[0.5, -1.2, 2.0], [-0.3, 0.8, -2.5]], undefined, 'float64');
    const b = sd.tensor([0.1, 0.4, -0.2], undefined, 'float64');
    checkGrad((u, v) => sd.biasAdd(u, v), [x, b]);
    checkGrad((u, v) => sd.biasAdd(u, v, { activation: 'relu' }), [x, b]);
    const x4 = sd.randn([2, 3, 2, 2], { dtype: 'float64' });
    checkGrad((u, v) => sd.biasAdd(u, v, { axis: 1, activation: 'relu' }), [x4, sd.randn([3], { dtype: 'float64' })]);
  });

  it('rejects a bias of the wrong length, a bad activation, an int input', () => {
    assertThrows(() => sd.biasAdd(sd.ones([2, 3]), sd.ones([2])), sd.ShapeError, /bias must have shape \[3\].*got \[2\]/);
    assertThrows(() => sd.biasAdd(sd.ones([2, 3]), sd.ones([3]), { activation: 'gelu' as 'relu' }), sd.ValueError, /activation must be one of linear, relu/);
    assertThrows(() => sd.biasAdd(sd.ones([2, 3], 'int32'), sd.ones([3], 'int32')), sd.DTypeError, /float32 or float64/);
    assertThrows(() => sd.biasAdd(sd.ones([2, 3]), sd.ones([3]), { axis: 2 }), sd.ValueError, /axis 2 is out of range/);
  });

  it('fuses into linear and conv2d through their activation option', () => {
    const x = sd.randn([4, 6]);
    const w = sd.randn([5, 6]);
    const b = sd.randn([5]);
    assertClose(sd.linear(x, w, b, { activation: 'relu' }), sd.relu(sd.linear(x, w, b)), { atol: 0, rtol: 0 });
    assertClose(sd.linear(x, w, undefined, { activation: 'relu' }), sd.relu(sd.linear(x, w)), { atol: 0, rtol: 0 });
    for (const dataFormat of ['NCHW', 'NHWC'] as const) {
      const img = dataFormat === 'NCHW' ? sd.randn([2, 3, 6, 6]) : sd.randn([2, 6, 6, 3]);
      const k = sd.randn([4, 3, 3, 3]);
      const kb = sd.randn([4]);
      const fused = sd.conv2d(img, k, kb, { dataFormat, padding: 'same', activation: 'relu' });
      assertClose(fused, sd.relu(sd.conv2d(img, k, kb, { dataFormat, padding: 'same' })), { atol: 0, rtol: 0 });
    }
    assertThrows(() => sd.linear(x, w, b, { activation: 'tanh' as 'relu' }), sd.ValueError, /linear: activation must be one of/);
  });
});
