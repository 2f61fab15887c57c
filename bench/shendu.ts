/**
 * The workloads on Shendu, once per backend present (`js`, and `native` where it built).
 */
import * as sd from '../src/index.js';
import { findBackend } from '../src/backend/backend.js';
import { setNumThreads } from '../src/backend/native/index.js';
import type { ConvSpec, Prepare, Repetition, WorkloadCase } from './workloads.js';
import { prepareOverhead, prepareTraining } from './train-shendu.js';

/** The native backend held to one thread, measured on SGEMM against PyTorch on one thread. */
export const NATIVE_ONE_THREAD = 'native-1t';

/** The Shendu configurations measured: the backends present, best first, and native-1t. */
export function shenduBackends(): string[] {
  const names = sd.listBackends();
  const i = names.indexOf('native');
  return i < 0 ? names : [...names.slice(0, i + 1), NATIVE_ONE_THREAD, ...names.slice(i + 1)];
}

/** One line about `backend`: the CPU features and threads its kernels use. */
export function shenduAbout(backend: string): string {
  if (backend === NATIVE_ONE_THREAD) return `${shenduAbout('native')}; held to 1 thread (SGEMM only)`;
  const features = findBackend(backend)?.features() ?? [];
  return `Shendu, ${backend} backend${features.length > 0 ? `: ${features.join(', ')}` : ''}`;
}

/** Makes `backend` active (with its thread count), seeds the generator, and returns the workload preparer. */
export function shenduOn(backend: string): Prepare {
  const oneThread = backend === NATIVE_ONE_THREAD;
  sd.setBackend(oneThread ? 'native' : backend);
  if (findBackend('native')) setNumThreads(oneThread ? 1 : 0);
  sd.seed(0);
  return (run) => {
    if (run.kind === 'train') return prepareTraining(run.model, run.style, run.spec, run.dataDir, backend === 'js');
    if (run.kind === 'opOverhead') return prepareOverhead(run.ops);
    return { call: prepare(run) };
  };
}

function prepare(run: Exclude<WorkloadCase, { kind: 'train' | 'opOverhead' }>): Repetition['call'] {
  switch (run.kind) {
    case 'gemm': {
      const a = sd.randn([run.n, run.n]);
      const b = sd.randn([run.n, run.n]);
      return () => void sd.matmul(a, b);
    }
    case 'convForward': {
      const { x, weight } = convInputs(run.spec);
      return () => void sd.noGrad(() => sd.conv2d(x, weight, undefined, { stride: 1, padding: 0 }));
    }
    case 'convForwardBackward': {
      const { x, weight } = convInputs(run.spec);
      x.requiresGrad_();
      weight.requiresGrad_();
      return () => {
        // fresh gradients each repetition, so accumulation is not timed
        x.grad = null;
        weight.grad = null;
        sd.sum(sd.conv2d(x, weight, undefined, { stride: 1, padding: 0 })).backward();
      };
    }
  }
}

function convInputs(spec: ConvSpec) {
  const x = sd.randn([spec.batch, spec.channels, spec.height, spec.width]);
  const weight = sd.randn([spec.filters, spec.channels, spec.kernel, spec.kernel]);
  return { x, weight };
}
