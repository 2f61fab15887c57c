import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { convBackpropFilter } from '../../src/ops/conv.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('conv');

type Options = Record<string, unknown>;
const OPS: Record<string, (xs: sd.Tensor[], options: Options) => sd.Tensor> = {
  conv2d: ([x, w, b], o) => sd.conv2d(x, w, b, o),
  conv1d: ([x, w, b], o) => sd.conv1d(x, w, b, o),
  conv2dTranspose: ([x, w, b], o) => sd.conv2dTranspose(x, w, b, o),
  conv1dTranspose: ([x, w, b], o) => sd.conv1dTranspose(x, w, b, o),
};

describeEachBackend('conv', () => {
  for (const [name, c] of fixtures) {
    const { op, options } = c.args as { op: string; options: Options };
    if (!(op in OPS)) continue;
    it(`${name} matches PyTorch, forward and gradients`, () => {
      checkFixture(fixtures, name, (...xs) => OPS[op](xs, options), { atol: 1e-4, rtol: 1e-4 });
    });
  }

  it('matches PyTorch on inputs produced by permute (channels-last data moved to NCHW and back)', () => {
    const toNCHW = (t: sd.Tensor) => sd.permute(t, 0, 3, 1, 2);
    const toNHWC = (t: sd.Tensor) => sd.permute(t, 0, 2, 3, 1);
    const tol = { atol: 1e-4, rtol: 1e-4 };
    checkFixture(fixtures, 'conv2d_nhwc_same', (x, w, b) => toNHWC(sd.conv2d(toNCHW(x), w, b, { stride: 2, padding: 'same' })), tol);
    checkFixture(fixtures, 'conv1d_nwc', (x, w, b) => sd.swapAxes(sd.conv1d(sd.swapAxes(x, 1, 2), w, b), 1, -1), tol);
    checkFixture(fixtures, 'conv2dTranspose_nhwc', (x, w, b) => toNHWC(sd.conv2dTranspose(toNCHW(x), w, b, { stride: 2 })), tol);
    // a weight produced by transpose: [kH,kW,in,out] (the Keras layout) permuted to [out,in,kH,kW]
    checkFixture(fixtures, 'conv2d_basic', (x, w, b) => sd.conv2d(x, sd.permute(sd.permute(w, 2, 3, 1, 0), 3, 2, 0, 1), b), tol);
  });

  it('gives the output shapes of the formulas', () => {
    const x = sd.zeros([32, 1, 28, 28]);
    assert.deepEqual(sd.conv2d(x, sd.zeros([32, 1, 5, 5])).shape, [32, 32, 24, 24]);
    assert.deepEqual(sd.conv2d(x, sd.zeros([32, 1, 5, 5]), undefined, { padding: 'same' }).shape, [32, 32, 28, 28]);
    assert.deepEqual(sd.conv2d(x, sd.zeros([8, 1, 3, 3]), undefined, { stride: 2, padding: 'same' }).shape, [32, 8, 14, 14]);
    assert.deepEqual(sd.conv1d(sd.zeros([8, 4, 100]), sd.zeros([16, 4, 3]), undefined, { padding: 'same' }).shape, [8, 16, 100]);
    assert.deepEqual(sd.conv2dTranspose(sd.zeros([1, 16, 7, 7]), sd.zeros([16, 8, 4, 4]), undefined, { stride: 2, padding: 1 }).shape, [1, 8, 14, 14]);
    assert.deepEqual(sd.conv2dTranspose(sd.zeros([1, 16, 7, 7]), sd.zeros([16, 8, 3, 3]), undefined, { stride: 2, padding: 'same' }).shape, [1, 8, 14, 14]);
    assert.deepEqual(sd.conv1dTranspose(sd.zeros([2, 4, 10]), sd.zeros([4, 3, 3]), undefined, { stride: 2 }).shape, [2, 3, 21]);
  });

  it('computes only the gradients that are asked for', () => {
    const x = sd.randn([2, 3, 6, 6]);
    const w = sd.randn([4, 3, 3, 3]).requiresGrad_();
    sd.sum(sd.conv2d(x, w, undefined, { padding: 1 })).backward();
    assert.equal(x.grad, null);
    const x2 = x.detach().requiresGrad_();
    const w2 = w.detach().requiresGrad_();
    sd.sum(sd.conv2d(x2, w2, undefined, { padding: 1 })).backward();
    assertClose(w.grad!, w2.grad!);
  });

  it('computes a hand-checked 3x3 example', () => {
    const x = sd.reshape(sd.arange(0, 9, 1, 'float32'), [1, 1, 3, 3]);
    const w = sd.ones([1, 1, 2, 2]);
    assertClose(sd.conv2d(x, w, sd.tensor([1])), [[[[0 + 1 + 3 + 4 + 1, 1 + 2 + 4 + 5 + 1], [3 + 4 + 6 + 7 + 1, 4 + 5 + 7 + 8 + 1]]]]);
  });
});

it('conv gradients pass gradcheck', () => {
  const r = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
  checkGrad((x, w, b) => sd.conv2d(x, w, b), [r([2, 2, 4, 5]), r([3, 2, 2, 3]), r([3])]);
  checkGrad((x, w) => sd.conv2d(x, w, undefined, { stride: 2, padding: [1, 0, 2, 1], dilation: [2, 1] }), [r([1, 2, 6, 5]), r([2, 2, 2, 2])]);
  checkGrad((x, w) => sd.conv2d(x, w, undefined, { padding: 'same', groups: 2 }), [r([1, 4, 4, 3]), r([4, 2, 3, 3])]);
  checkGrad((x, w) => sd.conv2d(x, w), [r([2, 3, 3, 2]), r([2, 3, 1, 1])]);
  checkGrad((x, w, b) => sd.conv2d(x, w, b, { stride: 2, padding: 'same', dataFormat: 'NHWC' }), [r([1, 5, 4, 2]), r([3, 2, 3, 3]), r([3])]);
  checkGrad((x, w, b) => sd.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2 }), [r([2, 2, 7]), r([3, 2, 3]), r([3])]);
  checkGrad((x, w, b) => sd.conv2dTranspose(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), [r([1, 4, 3, 2]), r([4, 1, 3, 3]), r([2])]);
  checkGrad((x, w) => sd.conv1dTranspose(x, w, undefined, { stride: 3, dataFormat: 'NWC' }), [r([2, 3, 2]), r([2, 2, 2])]);
});

it('the filter gradient is differentiable too (second order through the same kernels)', () => {
  const r = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
  const attrs = { strides: [2, 1] as [number, number], pads: [1, 0, 1, 1] as [number, number, number, number], dilations: [1, 2] as [number, number], groups: 2 };
  // x [1,4,5,5] and a filter [2,2,2,2] give dy [1,2,3,5]
  checkGrad((x, dy) => convBackpropFilter(x, dy, attrs, [2, 2, 2, 2]), [r([1, 4, 5, 5]), r([1, 2, 3, 5])]);
});

it('conv ops reject bad arguments with messages that name them', () => {
  const x = sd.zeros([2, 3, 28, 28]);
  assertThrows(() => sd.conv2d(x, sd.zeros([32, 1, 5, 5])), sd.ShapeError,
    /^conv2d: input has 3 channels but weight expects 1 \(weight \[32,1,5,5\], groups 1\)$/);
  assertThrows(() => sd.conv2d(sd.zeros([3, 28, 28]), sd.zeros([32, 3, 5, 5])), sd.ShapeError, /conv2d: x must be 4-D \[N,C,H,W\], got \[3,28,28\]/);
  assertThrows(() => sd.conv2d(x, sd.zeros([32, 3, 5])), sd.ShapeError, /conv2d: weight must be 4-D \[outChannels,inChannels\/groups,kH,kW\], got \[32,3,5\]/);
  assertThrows(() => sd.conv2d(sd.zeros([1, 3, 28, 28]), sd.zeros([8, 3, 5, 5]), undefined, { dataFormat: 'NHWC' }), sd.ShapeError,
    /conv2d: input has 28 channels but weight expects 3/);
  assertThrows(() => sd.conv1d(sd.zeros([2, 3, 10, 1]), sd.zeros([4, 3, 3])), sd.ShapeError, /conv1d: x must be 3-D \[N,C,L\], got \[2,3,10,1\]/);
  assertThrows(() => sd.conv2d(sd.zeros([1, 1, 3, 3]), sd.zeros([1, 1, 5, 5])), sd.ShapeError,
    /conv2d: kernel 5x5 \(dilation 1x1\) is larger than the padded input 3x3 \(input \[1,1,3,3\], pads \[top,bottom,left,right\] \[0,0,0,0\]\)/);
  assertThrows(() => sd.conv2d(sd.zeros([1, 1, 5, 5]), sd.zeros([1, 1, 3, 3]), undefined, { dilation: 3 }), sd.ShapeError,
    /kernel 3x3 \(dilation 3x3\) is larger than the padded input 5x5/);
  assertThrows(() => sd.conv2d(sd.zeros([1, 3, 8, 8]), sd.zeros([4, 1, 3, 3]), undefined, { groups: 2 }), sd.ValueError,
    /conv2d: groups \(2\) must divide the input channels \(x \[1,3,8,8\] has 3\)/);
  assertThrows(() => sd.conv2d(sd.zeros([1, 4, 8, 8]), sd.zeros([3, 2, 3, 3]), undefined, { groups: 2 }), sd.ValueError,
    /conv2d: groups \(2\) must divide the output channels \(weight \[3,2,3,3\] has 3\)/);
  assertThrows(() => sd.conv2d(x, sd.zeros([8, 3, 3, 3]), undefined, { groups: 0 }), sd.ValueError, /conv2d: groups must be a positive integer, got 0/);
  assertThrows(() => sd.conv2d(x, sd.zeros([8, 3, 3, 3]), undefined, { stride: 0 }), sd.ValueError,
    /conv2d: stride must be a positive integer or a pair of them, got 0/);
  assertThrows(() => sd.conv2d(x, sd.zeros([8, 3, 3, 3]), undefined, { dilation: [1, -1] }), sd.ValueError,
    /conv2d: dilation must be a positive integer or a pair of them, got \[1,-1\]/);
  assertThrows(() => sd.conv1d(sd.zeros([1, 3, 9]), sd.zeros([8, 3, 3]), undefined, { stride: 1.5 }), sd.ValueError,
    /conv1d: stride must be a positive integer, got 1.5/);
  assertThrows(() => sd.conv2d(x, sd.zeros([8, 3, 3, 3]), undefined, { padding: -1 }), sd.ValueError,
    /conv2d: padding must be non-negative integers, got -1/);
  assertThrows(() => sd.conv2d(x, sd.zeros([8, 3, 3, 3]), undefined, { padding: 'full' as 'same' }), sd.ValueError,
    /conv2d: padding must be 'valid', 'same', a number, \[ph, pw\] or \[top, bottom, left, right\], got 'full'/);
  assertThrows(() => sd.conv2d(x, sd.zeros([8, 3, 3, 3]), undefined, { dataFormat: 'NWC' as 'NHWC' }), sd.ValueError,
    /conv2d: dataFormat must be 'NCHW' or 'NHWC', got 'NWC'/);
  assertThrows(() => sd.conv2d(x, sd.zeros([8, 3, 3, 3]), sd.zeros([4])), sd.ShapeError,
    /conv2d: bias must be \[8\] \(one value per output channel\), got \[4\]/);
  assertThrows(() => sd.conv2d(sd.zeros([1, 1, 4, 4], 'int32'), sd.zeros([1, 1, 3, 3])), sd.DTypeError, /conv2d: x must be float32 or float64, got int32/);
  assertThrows(() => sd.conv2d(sd.zeros([1, 1, 4, 4], 'float64'), sd.zeros([1, 1, 3, 3])), sd.DTypeError,
    /conv2d: x is float64 but weight is float32/);
});

it('conv2dTranspose rejects bad arguments with messages that name them', () => {
  const x = sd.zeros([1, 4, 5, 5]);
  assertThrows(() => sd.conv2dTranspose(x, sd.zeros([3, 2, 3, 3])), sd.ShapeError,
    /conv2dTranspose: input has 4 channels but weight expects 3 \(weight \[3,2,3,3\], groups 1\)/);
  assertThrows(() => sd.conv2dTranspose(x, sd.zeros([4, 2, 3, 3]), undefined, { groups: 3 }), sd.ValueError,
    /conv2dTranspose: groups \(3\) must divide the input channels \(weight \[4,2,3,3\] has 4\)/);
  assertThrows(() => sd.conv2dTranspose(x, sd.zeros([4, 2, 3, 3]), undefined, { stride: 2, outputPadding: 2 }), sd.ValueError,
    /conv2dTranspose: outputPadding \(2\) must be smaller than the stride \(2\)/);
  assertThrows(() => sd.conv2dTranspose(x, sd.zeros([4, 2, 3, 3]), sd.zeros([4])), sd.ShapeError, /conv2dTranspose: bias must be \[2\]/);
  assertThrows(() => sd.conv2dTranspose(sd.zeros([1, 4, 1, 1]), sd.zeros([4, 2, 3, 3]), undefined, { padding: 2 }), sd.ShapeError,
    /conv2dTranspose: the output would be empty \(-1x-1\)/);
  assertThrows(() => sd.conv2dTranspose(x, sd.zeros([4, 2, 3])), sd.ShapeError,
    /conv2dTranspose: weight must be 4-D \[inChannels,outChannels\/groups,kH,kW\], got \[4,2,3\]/);
});
