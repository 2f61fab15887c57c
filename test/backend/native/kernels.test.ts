import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/index.js';
import { findBackend, type TensorData } from '../../../src/backend/backend.js';
import type { KernelAttrs, KernelName } from '../../../src/backend/kernels.js';
import { nativeAddon, nativeInfo, setIsa, setNumThreads, PENDING_KERNELS, SHARED_KERNELS } from '../../../src/backend/native/index.js';
import { KERNEL_NAMES } from '../../../src/backend/kernels.js';
import { batchedTranspose } from '../../../src/backend/native/kernels.js';
import { Generator } from '../../../src/tensor/random.js';

/**
 * Native kernels against the js reference on random shapes, odd sizes included, on every
 * kernel path this CPU supports. (The op suite also runs on native, against PyTorch.)
 */

const addon = nativeAddon();
const skip = addon ? false : 'native addon not built';
const paths = addon ? addon.supportedIsas() : [];
const defaultIsa = addon?.isa() ?? '';
const defaultThreads = addon?.numThreads() ?? 1;

const gen = new Generator(5);
function data(shape: number[], scale = 2, offset = -1): TensorData {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = gen.uniform() * scale + offset;
  return { shape, dtype: 'float32', values };
}

function run<K extends KernelName>(backend: string, name: K, inputs: TensorData[], attrs: KernelAttrs[K]): TensorData {
  return findBackend(backend)!.kernels[name]!(inputs, attrs);
}

/** Runs `name` on both backends and compares shape, dtype and values. */
function compare<K extends KernelName>(name: K, inputs: TensorData[], attrs: KernelAttrs[K], tol = { atol: 1e-5, rtol: 1e-5 }): void {
  const expected = run('js', name, inputs, attrs);
  const actual = run('native', name, inputs, attrs);
  const label = `${name} ${JSON.stringify(inputs.map((t) => t.shape))} ${JSON.stringify(attrs)}`;
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  for (let i = 0; i < expected.values.length; i++) {
    const a = actual.values[i];
    const e = expected.values[i];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (!(Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e))) assert.fail(`${label}: element ${i}: got ${a}, expected ${e}`);
  }
}

const UNARY: KernelName[] = [
  'Neg', 'Abs', 'Sign', 'Exp', 'Log', 'Log1p', 'Expm1', 'Sqrt', 'Rsqrt', 'Square', 'Reciprocal', 'Sin', 'Cos',
  'Tanh', 'Erf', 'Sigmoid', 'Relu', 'Selu', 'Silu', 'Floor', 'Ceil', 'Round',
];
const BINARY: KernelName[] = [
  'Add', 'Sub', 'Mul', 'Div', 'Maximum', 'Minimum', 'Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual',
];

describe('native kernels against the js reference', { skip }, () => {
  afterEach(() => {
    setIsa(defaultIsa);
    setNumThreads(defaultThreads);
  });

  it('every kernel name is in exactly one of the three lists', () => {
    const info = nativeInfo();
    const all = [...info.nativeKernels!, ...info.sharedKernels!, ...info.pendingKernels!].sort();
    assert.deepEqual(all, [...KERNEL_NAMES].sort());
    for (const name of info.sharedKernels!) assert.ok(SHARED_KERNELS.includes(name));
    for (const name of PENDING_KERNELS) assert.ok(!info.nativeKernels!.includes(name));
  });

  for (const path of paths) {
    it(`unary math, including edge values (${path} path)`, () => {
      assert.ok(setIsa(path));
      const x = data([1023], 16, -8);
      const edges: TensorData = {
        shape: [12],
        dtype: 'float32',
        values: Float32Array.from([0, -0, 1e-30, -1e-30, 1e-42, 88.5, -88.5, 100, -100, Infinity, -Infinity, NaN]),
      };
      for (const name of UNARY) {
        compare(name, [x], {} as never, { atol: 1e-6, rtol: 2e-6 });
        compare(name, [edges], {} as never, { atol: 1e-6, rtol: 2e-6 });
      }
      // the halves, for round-half-even
      compare('Round', [{ shape: [6], dtype: 'float32', values: Float32Array.from([0.5, 1.5, 2.5, -0.5, -1.5, 8388609]) }], {});
      compare('LeakyRelu', [x], { alpha: 0.1 });
      compare('Elu', [x], { alpha: 1.3 });
      compare('Clip', [x], { min: -1.5, max: 2 });
      compare('Softplus', [x], { beta: 2, threshold: 5 });
      compare('Gelu', [x], { approximate: 'none' }, { atol: 1e-6, rtol: 2e-6 });
      compare('Gelu', [x], { approximate: 'tanh' }, { atol: 1e-6, rtol: 2e-6 });
      compare('Log', [data([77], 1e3, 0)], {}, { atol: 0, rtol: 2e-7 });
      compare('Exp', [data([77], 170, -85)], {}, { atol: 0, rtol: 3e-7 });
    });

    it(`binary ops with broadcasting (${path} path)`, () => {
      assert.ok(setIsa(path));
      const cases: [number[], number[]][] = [
        [[17], [17]], [[3, 17], [17]], [[3, 17], [3, 1]], [[1], [5, 7]], [[2, 3, 4, 5], [3, 1, 5]],
        [[4, 1, 6], [1, 5, 1]], [[], [3, 2]], [[2, 0, 3], [3]], [[7, 1, 1, 9], [1, 8, 3, 1]], [[1023], []],
      ];
      for (const [sa, sb] of cases) {
        const a = data(sa);
        const b = data(sb);
        // a few equal values so that the comparisons see ties
        if (a.values.length && b.values.length) a.values[0] = b.values[0];
        for (const name of BINARY) compare(name, [a, b], {} as never, { atol: 1e-6, rtol: 1e-6 });
        compare('Pow', [data(sa, 3, 0.1), data(sb, 4, -2)], {}, { atol: 1e-6, rtol: 2e-6 });
      }
      for (const [sc, sa, sb] of [[[17], [17], [17]], [[3, 1], [3, 17], []], [[2, 1, 4], [3, 1], [1, 1, 4]], [[1023], [1], [1023]], [[0, 2], [2], [1]]]) {
        const cond: TensorData = { shape: sc, dtype: 'bool', values: Uint8Array.from({ length: sc.reduce((x, y) => x * y, 1) }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0) };
        compare('Where', [cond, data(sa), data(sb)], {});
      }
      const nan: TensorData = { shape: [3], dtype: 'float32', values: Float32Array.from([NaN, 1, NaN]) };
      const one: TensorData = { shape: [3], dtype: 'float32', values: Float32Array.from([1, NaN, 2]) };
      for (const name of BINARY) compare(name, [nan, one], {} as never);
    });

    it(`reductions over any set of axes, softmax along any axis, softmax cross-entropy (${path} path)`, () => {
      assert.ok(setIsa(path));
      const x = data([3, 4, 5, 6]);
      const axesList = [[], [0], [1], [3], [0, 1], [1, 2], [0, 2], [1, 3], [0, 1, 2, 3], [0, 2, 3]];
      for (const name of ['Sum', 'Prod', 'Max', 'Min'] as const) {
        for (const axes of axesList) {
          for (const keepDims of [false, true]) compare(name, [x], { axes, keepDims }, { atol: 1e-5, rtol: 1e-5 });
        }
        compare(name, [data([1023])], { axes: [0], keepDims: false }, { atol: 1e-4, rtol: 1e-5 });
        compare(name, [data([2, 0, 3])], { axes: [1], keepDims: false });
        compare(name, [data([2, 1, 3])], { axes: [1], keepDims: true });
      }
      const withNaN = data([4, 9]);
      withNaN.values[13] = NaN;
      for (const name of ['Sum', 'Max', 'Min'] as const) compare(name, [withNaN], { axes: [1], keepDims: false });
      const ties: TensorData = { shape: [2, 5], dtype: 'float32', values: Float32Array.from([1, 3, 3, 0, 0, 2, 2, 2, 1, 1]) };
      for (const name of ['ArgMax', 'ArgMin'] as const) {
        for (const axis of [0, 1, 2, 3]) {
          for (const keepDims of [false, true]) compare(name, [x], { axis, keepDims });
        }
        for (const t of [withNaN, ties]) compare(name, [t], { axis: 1, keepDims: false });
      }
      for (const axis of [0, 2, 3]) {
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) compare('Cumsum', [x], { axis, exclusive, reverse });
        }
      }
      compare('Cumsum', [data([5000], 1, 0)], { axis: 0, exclusive: false, reverse: false }, { atol: 0, rtol: 1e-7 });
      for (const name of ['Softmax', 'LogSoftmax'] as const) {
        for (const axis of [0, 1, 2, 3]) compare(name, [data([3, 4, 5, 6], 20, -10)], { axis }, { atol: 1e-6, rtol: 1e-5 });
        compare(name, [data([2, 1023], 60, -30)], { axis: 1 }, { atol: 1e-6, rtol: 1e-5 });
      }
      // the fused cross-entropy; a label out of range (which the op rejects) gives a NaN row
      for (const [N, C] of [[17, 10], [40, 1023], [33, 1], [20, 3]]) {
        const labels: TensorData = { shape: [N], dtype: 'int32', values: Int32Array.from({ length: N }, (_, i) => (i * 7) % C) };
        if (C === 3) labels.values[5] = 3;
        for (const labelSmoothing of [0, 0.2]) {
          const x = data([N, C], 40, -20);
          compare('SparseSoftmaxCrossEntropy', [x, labels], { labelSmoothing }, { atol: 1e-5, rtol: 1e-5 });
          compare('SparseSoftmaxCrossEntropyGrad', [x, labels, data([N])], { labelSmoothing }, { atol: 1e-6, rtol: 1e-5 });
        }
      }
    });

    it(`convolution and its gradients, strides, padding, dilation, groups (${path} path)`, () => {
      assert.ok(setIsa(path));
      const cases = [
        { x: [2, 3, 9, 8], w: [4, 3, 3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
        { x: [1, 4, 11, 7], w: [6, 2, 3, 2], strides: [2, 3], pads: [0, 2, 1, 0], dilations: [1, 2], groups: 2 },
        { x: [3, 1, 28, 28], w: [8, 1, 5, 5], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 },
        // the filter gradient summed in blocks of images, the last one short
        { x: [19, 2, 12, 12], w: [4, 2, 3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 1 },
        { x: [2, 5, 6, 6], w: [3, 5, 1, 1], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 },
        { x: [1, 2, 5, 5], w: [2, 1, 3, 3], strides: [2, 2], pads: [2, 2, 2, 2], dilations: [2, 2], groups: 2 },
        // stride 1 with dilation, uneven padding (larger than the kernel on the left) and groups
        { x: [2, 4, 10, 12], w: [6, 2, 3, 3], strides: [1, 1], pads: [2, 0, 3, 1], dilations: [2, 1], groups: 2 },
        { x: [1, 3, 7, 30], w: [2, 3, 2, 4], strides: [1, 1], pads: [0, 1, 0, 0], dilations: [1, 3], groups: 1 },
        // odd sizes, pads larger than the kernel's reach, 1x1 with and without stride
        { x: [3, 17, 1, 17], w: [3, 17, 1, 3], strides: [1, 2], pads: [0, 0, 1, 1], dilations: [1, 1], groups: 1 },
        { x: [1, 6, 3, 5], w: [9, 2, 3, 3], strides: [1, 1], pads: [3, 1, 0, 4], dilations: [1, 1], groups: 3 },
        { x: [2, 4, 5, 3], w: [8, 4, 1, 1], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 },
        { x: [2, 4, 5, 7], w: [4, 1, 1, 1], strides: [2, 3], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 4 },
        { x: [2, 3, 17, 9], w: [5, 3, 4, 3], strides: [3, 2], pads: [1, 2, 2, 0], dilations: [2, 1], groups: 1 },
      ] as const;
      for (const c of cases) {
        for (const channelsLast of [false, true]) {
          const attrs = { strides: [...c.strides], pads: [...c.pads], dilations: [...c.dilations], groups: c.groups, channelsLast } as KernelAttrs['Conv2D'];
          const toLayout = (t: TensorData): TensorData => (channelsLast ? run('js', 'Transpose', [t], { perm: [0, 2, 3, 1] }) : t);
          const x = toLayout(data([...c.x]));
          const w = data([...c.w]);
          const y = run('js', 'Conv2D', [x, w], attrs);
          compare('Conv2D', [x, w], attrs, { atol: 1e-5, rtol: 1e-5 });
          const dy = data([...y.shape]);
          compare('Conv2DBackpropInput', [dy, w], { ...attrs, inputShape: [...x.shape] }, { atol: 1e-5, rtol: 1e-5 });
          compare('Conv2DBackpropFilter', [x, dy], { ...attrs, filterShape: [...c.w] }, { atol: 2e-5, rtol: 1e-5 });
          // an infinite pixel: only the taps that read it become infinite or NaN
          x.values[7] = Infinity;
          compare('Conv2DBackpropFilter', [x, dy], { ...attrs, filterShape: [...c.w] }, { atol: 2e-5, rtol: 1e-5 });
        }
      }
    });

    it(`max and average pooling and their gradients (${path} path)`, () => {
      assert.ok(setIsa(path));
      const cases = [
        { x: [2, 3, 8, 8], kernelSize: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1] },
        { x: [1, 2, 7, 9], kernelSize: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1] }, // odd sizes: the last row and column are left out
        { x: [1, 2, 7, 9], kernelSize: [3, 2], strides: [2, 1], pads: [1, 1, 0, 1], dilations: [1, 1] },
        { x: [1, 1, 10, 10], kernelSize: [3, 3], strides: [3, 2], pads: [1, 0, 1, 1], dilations: [2, 3] },
      ] as const;
      for (const c of [...cases, { x: [3, 17, 5, 6], kernelSize: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1] }]) {
        for (const channelsLast of [false, true]) {
          const attrs = { kernelSize: [...c.kernelSize], strides: [...c.strides], pads: [...c.pads], dilations: [...c.dilations], channelsLast } as KernelAttrs['MaxPool2D'];
          const x = data([...c.x]);
          x.values[5] = x.values[6]; // a tie: the first maximum takes the gradient
          x.values[x.values.length - 1 - 2 * c.x[3]] = NaN; // NaN wins its window
          if (channelsLast) Object.assign(x, run('js', 'Transpose', [x], { perm: [0, 2, 3, 1] }));
          const y = run('js', 'MaxPool2D', [x], attrs);
          const dy = data([...y.shape]);
          compare('MaxPool2D', [x], attrs);
          compare('MaxPool2DGrad', [x, dy], attrs);
          for (const countIncludePad of [false, true]) {
            compare('AvgPool2D', [x], { ...attrs, countIncludePad });
            compare('AvgPool2DGrad', [dy], { ...attrs, countIncludePad, inputShape: [...x.shape] });
          }
        }
      }
      for (const [xs, size] of [[[2, 3, 7, 9], [3, 4]], [[1, 2, 5, 5], [5, 5]], [[1, 1, 4, 6], [1, 1]], [[2, 2, 3, 3], [5, 4]]] as const) {
        const x = data([...xs]);
        const outputSize = [...size] as [number, number];
        const dy = data([xs[0], xs[1], ...outputSize]);
        compare('AdaptiveAvgPool2D', [x], { outputSize });
        compare('AdaptiveAvgPool2DGrad', [dy], { inputShape: [...xs] });
        compare('AdaptiveMaxPool2D', [x], { outputSize });
        compare('AdaptiveMaxPool2DGrad', [x, dy], { outputSize });
      }
    });
  }

  it('convolutions and pooling give bit-identical results with 1, 2 and 3 threads', () => {
    const attrs = { strides: [1, 1], pads: [2, 2, 2, 2], dilations: [1, 1], groups: 1 } as KernelAttrs['Conv2D'];
    const pool = { kernelSize: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1] } as KernelAttrs['MaxPool2D'];
    const last = { ...attrs, channelsLast: true };
    const cases = [
      [[8, 16, 14, 14], [32, 16, 5, 5], attrs],
      [[1, 16, 30, 30], [16, 16, 3, 3], attrs],
      [[6, 8, 15, 15], [8, 8, 3, 3], { ...attrs, strides: [2, 2] }],
      [[8, 14, 14, 16], [32, 16, 5, 5], last],
      [[6, 15, 15, 8], [8, 8, 3, 3], { ...last, strides: [2, 2] }],
      [[64, 28, 28, 1], [32, 1, 5, 5], last],
      // the direct NCHW filter gradient in several blocks of images, the last one short
      [[19, 1, 28, 28], [32, 1, 5, 5], { ...attrs, pads: [0, 0, 0, 0] }],
    ] as const;
    for (const [xs, ws, a] of cases) {
      const x = data([...xs]);
      const w = data([...ws]);
      const runs = [1, 2, 3].map((n) => {
        setNumThreads(n);
        const y = run('native', 'Conv2D', [x, w], a as KernelAttrs['Conv2D']);
        const dy = { ...y, values: y.values.map((v) => Math.sin(v)) };
        return [
          y.values,
          run('native', 'Conv2DBackpropInput', [dy, w], { ...a, inputShape: [...xs] } as KernelAttrs['Conv2DBackpropInput']).values,
          run('native', 'Conv2DBackpropFilter', [x, dy], { ...a, filterShape: [...ws] } as KernelAttrs['Conv2DBackpropFilter']).values,
          run('native', 'MaxPool2D', [y], { ...pool, channelsLast: a.channelsLast }).values,
          run('native', 'MaxPool2DGrad', [y, dy], { ...pool, channelsLast: a.channelsLast }).values,
        ];
      });
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(runs[1][i], runs[0][i], `${JSON.stringify(xs)} output ${i}: 2 threads`);
        assert.deepEqual(runs[2][i], runs[0][i], `${JSON.stringify(xs)} output ${i}: 3 threads`);
      }
    }
  });

  it('transposes batches of matrices (NHWC <-> NCHW) in C++, other permutations in js, alike', () => {
    const cases: [number[], number[], boolean][] = [
      [[4, 5, 6, 3], [0, 3, 1, 2], true],
      [[4, 3, 5, 6], [0, 2, 3, 1], true],
      [[33, 17], [1, 0], true],
      [[2, 1, 9, 5], [0, 3, 2, 1], true], // a size-1 axis moved along
      [[2, 3, 4, 5], [1, 0, 2, 3], false], // rows of 20 moved whole: js copies runs
      [[3, 4, 5], [2, 1, 0], false],
      [[6, 7, 8], [0, 1, 2], false],
    ];
    for (const [shape, perm, batched] of cases) {
      assert.equal(batchedTranspose(shape, perm) !== null, batched, `${shape} by ${perm}`);
      compare('Transpose', [data(shape)], { perm }, { atol: 0, rtol: 0 });
    }
  });

  it('sends float64, int32 and bool inputs to the js kernels', () => {
    const x64: TensorData = { shape: [3], dtype: 'float64', values: Float64Array.from([0.1, 1e-300, -2]) };
    assert.deepEqual(run('native', 'Exp', [x64], {}).values, run('js', 'Exp', [x64], {}).values);
    const i32: TensorData = { shape: [2], dtype: 'int32', values: Int32Array.from([3, -4]) };
    const sum = run('native', 'Add', [i32, i32], {});
    assert.equal(sum.dtype, 'int32');
    assert.deepEqual([...sum.values], [6, -8]);
    const mm = run('native', 'BatchMatMul', [{ shape: [1, 1, 1], dtype: 'float64', values: Float64Array.from([1 / 3]) }, { shape: [1, 1, 1], dtype: 'float64', values: Float64Array.from([3]) }], { transposeA: false, transposeB: false });
    assert.equal(mm.dtype, 'float64');
    assert.equal(mm.values[0], 1);
  });
});
