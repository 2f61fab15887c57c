import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as sd from '../../src/index.js';
import { assertClose, assertThrows, checkFixture, checkGrad, describeEachBackend, loadFixtures } from '../helpers.js';

const fixtures = loadFixtures('conv');

type Options = Record<string, unknown>;
const POOLS: Record<string, (x: sd.Tensor, o: Options) => sd.Tensor> = {
  maxPool2d: (x, { kernelSize, ...o }) => sd.maxPool2d(x, kernelSize as number, o),
  avgPool2d: (x, { kernelSize, ...o }) => sd.avgPool2d(x, kernelSize as number, o),
  maxPool1d: (x, { kernelSize, ...o }) => sd.maxPool1d(x, kernelSize as number, o),
  avgPool1d: (x, { kernelSize, ...o }) => sd.avgPool1d(x, kernelSize as number, o),
  adaptiveAvgPool2d: (x, { outputSize, ...o }) => sd.adaptiveAvgPool2d(x, outputSize as number, o),
  adaptiveMaxPool2d: (x, { outputSize, ...o }) => sd.adaptiveMaxPool2d(x, outputSize as number, o),
  adaptiveAvgPool1d: (x, { outputSize, ...o }) => sd.adaptiveAvgPool1d(x, outputSize as number, o),
  adaptiveMaxPool1d: (x, { outputSize, ...o }) => sd.adaptiveMaxPool1d(x, outputSize as number, o),
  globalAvgPool2d: (x, o) => sd.globalAvgPool2d(x, o),
  globalMaxPool2d: (x, o) => sd.globalMaxPool2d(x, o),
  globalAvgPool1d: (x, o) => sd.globalAvgPool1d(x, o),
  globalMaxPool1d: (x, o) => sd.globalMaxPool1d(x, o),
};

describeEachBackend('pool', () => {
  for (const [name, c] of fixtures) {
    const { op, options } = c.args as { op: string; options: Options };
    if (!(op in POOLS)) continue;
    it(`${name} matches PyTorch, forward and gradients`, () => {
      checkFixture(fixtures, name, (x) => POOLS[op](x, options));
    });
  }

  it('gives on NHWC images what it gives on NCHW ones, forward and gradients (ceil mode, padding, odd sizes)', () => {
    const x = sd.randn([3, 5, 9, 7]);
    const options = [
      { kind: 'avg', k: 3, o: { stride: 2, padding: 1, ceilMode: true } },
      { kind: 'avg', k: 2, o: { stride: 2, ceilMode: true, countIncludePad: false } },
      { kind: 'max', k: 3, o: { stride: 2, padding: 1, ceilMode: true, dilation: 1 } },
      { kind: 'max', k: 2, o: {} },
    ] as const;
    for (const { kind, k, o } of options) {
      const f = kind === 'avg' ? sd.avgPool2d : sd.maxPool2d;
      const first = sd.valueAndGrad((t: sd.Tensor) => sd.sum(sd.mul(f(t, k, o), f(t, k, o))))(x);
      const last = sd.valueAndGrad((t: sd.Tensor) => {
        const y = f(sd.permute(t, 0, 2, 3, 1), k, { ...o, dataFormat: 'NHWC' });
        return sd.sum(sd.mul(y, y));
      })(x);
      assertClose(last.value, first.value, { atol: 1e-4, rtol: 1e-5 });
      assertClose(last.grads[0], first.grads[0], { atol: 1e-5, rtol: 1e-5 });
    }
  });

  it('matches PyTorch on inputs produced by permute (channels-last data moved to NCHW and back)', () => {
    const toNCHW = (t: sd.Tensor) => sd.permute(t, 0, 3, 1, 2);
    const toNHWC = (t: sd.Tensor) => sd.permute(t, 0, 2, 3, 1);
    checkFixture(fixtures, 'maxPool2d_nhwc', (x) => toNHWC(sd.maxPool2d(toNCHW(x), 2)));
    checkFixture(fixtures, 'avgPool2d_nhwc', (x) => toNHWC(sd.avgPool2d(toNCHW(x), 2, { stride: 1 })));
    checkFixture(fixtures, 'maxPool1d_nwc', (x) => sd.swapAxes(sd.maxPool1d(sd.swapAxes(x, 1, 2), 2), 1, 2));
    checkFixture(fixtures, 'adaptiveMaxPool2d_nhwc', (x) => toNHWC(sd.adaptiveMaxPool2d(toNCHW(x), 2)));
  });

  it('routes the max gradient to the first maximum of a window, and NaN wins', () => {
    const x = sd.tensor([[[[1, 3, 3, 0], [2, 3, 1, 1]]]]).requiresGrad_();
    const y = sd.maxPool2d(x, 2);
    assertClose(y, [[[[3, 3]]]]);
    y.backward(sd.tensor([[[[10, 20]]]]));
    assertClose(x.grad!, [[[[0, 10, 20, 0], [0, 0, 0, 0]]]]);
    assertClose(sd.maxPool2d(sd.tensor([[[[1, NaN], [5, 2]]]]), 2), [[[[NaN]]]]);
  });

  it('pads with -infinity for max and zeros for the average', () => {
    const x = sd.tensor([[[[-1, -2], [-3, -4]]]]);
    assertClose(sd.maxPool2d(x, 3, { stride: 1, padding: 1 }), [[[[-1, -1], [-1, -1]]]]);
    assertClose(sd.avgPool2d(x, 3, { stride: 1, padding: 1 }), [[[[-10 / 9, -10 / 9], [-10 / 9, -10 / 9]]]]);
    assertClose(sd.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }), [[[[-2.5, -2.5], [-2.5, -2.5]]]]);
  });

  it('gives the output shapes of the formulas', () => {
    const x = sd.zeros([2, 3, 28, 28]);
    assert.deepEqual(sd.maxPool2d(x, 2).shape, [2, 3, 14, 14]);
    assert.deepEqual(sd.maxPool2d(x, 3, { stride: 2, ceilMode: true }).shape, [2, 3, 14, 14]);
    assert.deepEqual(sd.maxPool2d(x, 3, { stride: 2 }).shape, [2, 3, 13, 13]);
    assert.deepEqual(sd.avgPool2d(sd.zeros([1, 5, 5, 2]), 2, { padding: 'same', dataFormat: 'NHWC' }).shape, [1, 3, 3, 2]);
    assert.deepEqual(sd.adaptiveAvgPool2d(x, [7, null]).shape, [2, 3, 7, 28]);
    assert.deepEqual(sd.globalMaxPool1d(sd.zeros([4, 6, 10])).shape, [4, 6]);
  });
});

it('pool gradients pass gradcheck', () => {
  const r = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
  checkGrad((x) => sd.maxPool2d(x, 2), [r([2, 2, 4, 5])]);
  checkGrad((x) => sd.maxPool2d(x, [3, 2], { stride: [2, 1], padding: [1, 1], dilation: [1, 2], ceilMode: true }), [r([1, 2, 6, 6])]);
  checkGrad((x) => sd.maxPool2d(x, 3, { stride: 2, padding: 'same', dataFormat: 'NHWC' }), [r([1, 5, 4, 2])]);
  checkGrad((x) => sd.avgPool2d(x, 3, { stride: 2, padding: 1 }), [r([2, 2, 5, 6])]);
  checkGrad((x) => sd.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [r([1, 2, 6, 5])]);
  checkGrad((x) => sd.avgPool2d(x, 2, { stride: 1, padding: 1, countIncludePad: false }), [r([1, 1, 3, 4])]);
  checkGrad((x) => sd.maxPool1d(x, 3, { stride: 2, padding: 1 }), [r([2, 2, 7])]);
  checkGrad((x) => sd.avgPool1d(x, 2, { dataFormat: 'NWC' }), [r([2, 6, 3])]);
  checkGrad((x) => sd.adaptiveAvgPool2d(x, [3, 2]), [r([2, 2, 5, 7])]);
  checkGrad((x) => sd.adaptiveMaxPool2d(x, [2, 3]), [r([1, 2, 5, 7])]);
  checkGrad((x) => sd.adaptiveAvgPool1d(x, 4), [r([1, 2, 9])]);
  checkGrad((x) => sd.adaptiveMaxPool1d(x, 3), [r([1, 2, 8])]);
  checkGrad((x) => sd.globalAvgPool2d(x, { dataFormat: 'NHWC' }), [r([2, 3, 4, 2])]);
  checkGrad((x) => sd.globalMaxPool2d(x), [r([2, 3, 4, 2])]);
  checkGrad((x) => sd.globalAvgPool1d(x), [r([2, 3, 5])]);
  checkGrad((x) => sd.globalMaxPool1d(x, { dataFormat: 'NWC' }), [r([2, 5, 3])]);
});

it('average pooling gradients are recorded, so they can be differentiated again', () => {
  const x = sd.randn([1, 2, 5, 4], { dtype: 'float64' }).requiresGrad_();
  const dy = sd.randn([1, 2, 3, 3], { dtype: 'float64' }).requiresGrad_();
  const options = { stride: 2, padding: 1, ceilMode: true } as const;
  sd.avgPool2d(x, 3, options).backward(dy, { createGraph: true });
  const w = sd.randn([1, 2, 5, 4], { dtype: 'float64' });
  // x.grad is linear in dy: its transpose is the pool itself
  sd.sum(sd.mul(x.grad!, w)).backward();
  assertClose(dy.grad!, sd.avgPool2d(w, 3, options), { atol: 1e-12 });
  const a = sd.randn([1, 1, 5, 7], { dtype: 'float64' }).requiresGrad_();
  const da = sd.randn([1, 1, 2, 3], { dtype: 'float64' }).requiresGrad_();
  sd.adaptiveAvgPool2d(a, [2, 3]).backward(da, { createGraph: true });
  const v = sd.randn([1, 1, 5, 7], { dtype: 'float64' });
  sd.sum(sd.mul(a.grad!, v)).backward();
  assertClose(da.grad!, sd.adaptiveAvgPool2d(v, [2, 3]), { atol: 1e-12 });
});

it('pools reject bad arguments with messages that name them', () => {
  const x = sd.zeros([1, 2, 6, 6]);
  assertThrows(() => sd.maxPool2d(x, 3, { padding: 2 }), sd.ValueError,
    /maxPool2d: padding \(2\) must be at most half the kernel size \(3\), as in PyTorch/);
  assertThrows(() => sd.avgPool1d(sd.zeros([1, 2, 6]), 2, { padding: 2 }), sd.ValueError, /avgPool1d: padding \(2\) must be at most half the kernel size \(2\)/);
  assertThrows(() => sd.maxPool2d(sd.zeros([1, 1, 2, 2]), 3), sd.ShapeError,
    /maxPool2d: kernel 3x3 \(dilation 1x1\) is larger than the padded input 2x2 \(input \[1,1,2,2\]/);
  assertThrows(() => sd.maxPool2d(sd.zeros([2, 6, 6]), 2), sd.ShapeError, /maxPool2d: x must be 4-D \[N,C,H,W\], got \[2,6,6\]/);
  assertThrows(() => sd.maxPool1d(x, 2), sd.ShapeError, /maxPool1d: x must be 3-D \[N,C,L\], got \[1,2,6,6\]/);
  assertThrows(() => sd.avgPool2d(x, 0), sd.ValueError, /avgPool2d: kernelSize must be a positive integer or a pair of them, got 0/);
  assertThrows(() => sd.avgPool2d(x, 2, { stride: [1, 0] }), sd.ValueError, /avgPool2d: stride must be a positive integer or a pair of them, got \[1,0\]/);
  assertThrows(() => sd.maxPool2d(x, 2, { dilation: 0 }), sd.ValueError, /maxPool2d: dilation must be a positive integer or a pair of them, got 0/);
  assertThrows(() => sd.maxPool2d(x, 2, { dataFormat: 'nhwc' as 'NHWC' }), sd.ValueError, /maxPool2d: dataFormat must be 'NCHW' or 'NHWC', got 'nhwc'/);
  assertThrows(() => sd.maxPool2d(sd.zeros([1, 1, 4, 4], 'int32'), 2), sd.DTypeError, /maxPool2d: x must be float32 or float64, got int32/);
  assertThrows(() => sd.adaptiveAvgPool2d(x, [0, 2]), sd.ValueError, /adaptiveAvgPool2d: outputSize must be positive integers \(or null to keep a dimension\), got \[0,2\]/);
  assertThrows(() => sd.adaptiveMaxPool1d(sd.zeros([1, 2, 5]), 2.5), sd.ValueError, /adaptiveMaxPool1d: outputSize must be positive integers, got 2.5/);
  assertThrows(() => sd.adaptiveMaxPool2d(sd.zeros([1, 2, 0, 3]), 2), sd.ShapeError, /adaptiveMaxPool2d: x must have non-empty spatial dimensions, got \[1,2,0,3\]/);
  assertThrows(() => sd.globalAvgPool2d(sd.zeros([2, 3])), sd.ShapeError, /globalAvgPool2d: x must be 4-D \[N,C,H,W\], got \[2,3\]/);
  assertThrows(() => sd.globalMaxPool1d(sd.zeros([2, 3, 4]), { dataFormat: 'NHWC' as 'NWC' }), sd.ValueError,
    /globalMaxPool1d: dataFormat must be 'NCW' or 'NWC', got 'NHWC'/);
});
