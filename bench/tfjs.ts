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
import type { ConvSpec, Prepare, WorkloadCase } from './workloads.js';

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
  return { prepare: (run) => prepare(tf, run), about };
}

function prepare(tf: typeof TF, run: WorkloadCase): () => void {
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
