/**
 * The workloads on TensorFlow.js: the `cpu` backend (@tensorflow/tfjs) and the `wasm`
 * backend (@tensorflow/tfjs-backend-wasm, XNNPACK with SIMD; single-threaded in Node).
 * Both are dev dependencies, loaded only when the benchmark runs them.
 *
 * tfjs is NHWC, so x is [batch, height, width, channels] and the filter
 * [kH, kW, inChannels, outChannels]: the same arithmetic in tfjs' own layout.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { trainingData } from './train-shendu.js';
import { trainSamples, type ConvSpec, type Prepare, type Repetition, type TrainSpec, type WorkloadCase } from './workloads.js';

export type TfjsBackend = 'cpu' | 'wasm';

let tfModule: typeof TF | undefined;

async function loadTfjs(): Promise<typeof TF> {
  if (!tfModule) {
    tfModule = await import('@tensorflow/tfjs');
    // prod mode skips debug checks and the "install tfjs-node" banner
    tfModule.enableProdMode();
  }
  return tfModule;
}

/**
 * Makes `backend` the active tfjs backend and returns the workload preparer with a line
 * about it. Throws (package not installed, wasm failed to load) when it cannot run.
 */
export async function tfjsOn(backend: TfjsBackend): Promise<{ prepare: Prepare; about: string }> {
  const tf = await loadTfjs();
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm') | undefined;
  if (backend === 'wasm') {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
    // the .wasm binaries sit beside the package's Node entry point: load them from disk
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialize`);
  await tf.ready();
  let about = `@tensorflow/tfjs ${tf.version.tfjs}, ${backend} backend`;
  if (wasm) {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = wasm.getThreadsCount();
    about += `, XNNPACK ${simd ? 'with' : 'without'} SIMD, ${threads} thread${threads === 1 ? '' : 's'}`;
  } else {
    about += ', plain JavaScript, 1 thread';
  }
  return {
    prepare: (run) => {
      if (run.kind === 'train') return prepareTraining(tf, run.model, run.style, run.spec, run.dataDir, backend === 'cpu');
      if (run.kind === 'opOverhead') return prepareOverhead(tf, run.ops);
      return { call: prepare(tf, run) };
    },
    about,
  };
}

/**
 * The Keras-style rows with tfjs' own model.fit (the layers API); the PyTorch-style rows
 * are not run (tfjs has no such API). The CNN is NHWC, as in Shendu's fit.
 */
async function prepareTraining(
  tf: typeof TF, model: 'mlp' | 'cnn', style: 'fit' | 'loop', spec: TrainSpec, dir: string, slow: boolean,
): Promise<Repetition> {
  if (style === 'loop') throw new Error('not supported (tfjs has no PyTorch-style API; compare its fit row)');
  const n = trainSamples(spec, slow);
  const data = trainingData(dir);
  const shape = model === 'mlp' ? [28, 28] : [28, 28, 1];
  const images = (count: number) => tf.tensor(data.x.values.subarray(0, count * 784) as Float32Array, [count, ...shape]);
  const labels = (count: number) => tf.tensor1d(Float32Array.from(data.y.values.subarray(0, count)));
  const m = tf.sequential({
    layers:
      model === 'mlp'
        ? [
            tf.layers.flatten({ inputShape: [28, 28] }),
            tf.layers.dense({ units: 128, activation: 'relu' }),
            tf.layers.dropout({ rate: 0.2 }),
            tf.layers.dense({ units: 10, activation: 'softmax' }),
          ]
        : [
            tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' }),
            tf.layers.maxPooling2d({ poolSize: 2 }),
            tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' }),
            tf.layers.maxPooling2d({ poolSize: 2 }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 1024, activation: 'relu' }),
            tf.layers.dropout({ rate: 0.4 }),
            tf.layers.dense({ units: 10, activation: 'softmax' }),
          ],
  });
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const fit = (x: TF.Tensor, y: TF.Tensor) => m.fit(x, y, { epochs: 1, batchSize: spec.batchSize, verbose: 0, shuffle: true });
  const warm = Math.min(n, spec.warmupBatches * spec.batchSize);
  const [wx, wy] = [images(warm), labels(warm)];
  await fit(wx, wy);
  tf.dispose([wx, wy]);
  const [x, y] = [images(n), labels(n)];
  return { call: () => fit(x, y), count: n };
}

/** `ops` tf.add of two [4] tensors, each result read back and disposed as a user would. */
function prepareOverhead(tf: typeof TF, ops: number): Repetition {
  const a = tf.randomNormal([4]);
  const b = tf.randomNormal([4]);
  return {
    call: () => {
      for (let i = 0; i < ops; i++) tf.add(a, b).dispose();
    },
    count: ops,
  };
}

function prepare(tf: typeof TF, run: Exclude<WorkloadCase, { kind: 'train' | 'opOverhead' }>): () => void {
  switch (run.kind) {
    case 'gemm': {
      const a = tf.randomNormal([run.n, run.n]);
      const b = tf.randomNormal([run.n, run.n]);
      return () => readAndDispose(tf.matMul(a, b));
    }
    case 'convForward': {
      const { x, filter } = convInputs(tf, run.spec);
      return () => readAndDispose(tf.conv2d(x, filter, 1, 'valid'));
    }
    case 'convForwardBackward': {
      const { x, filter } = convInputs(tf, run.spec);
      const gradients = tf.grads((xs: TF.Tensor, fs: TF.Tensor) =>
        tf.sum(tf.conv2d(xs as TF.Tensor4D, fs as TF.Tensor4D, 1, 'valid')),
      );
      // tidy frees the intermediates of the backward pass
      return () => tf.tidy(() => gradients([x, filter]).forEach((g) => g.dataSync()));
    }
  }
}

function convInputs(tf: typeof TF, spec: ConvSpec): { x: TF.Tensor4D; filter: TF.Tensor4D } {
  const x = tf.randomNormal([spec.batch, spec.height, spec.width, spec.channels]) as TF.Tensor4D;
  const filter = tf.randomNormal([spec.kernel, spec.kernel, spec.channels, spec.filters]) as TF.Tensor4D;
  return { x, filter };
}

function readAndDispose(t: TF.Tensor): void {
  t.dataSync();
  t.dispose();
}
