/**
 * The workloads on Shendu, once per backend present (`js`, and `native` where it built).
 */
import * as sd from '../src/index.js';
import { findBackend } from '../src/backend/backend.js';
import type { ConvSpec, Prepare, Repetition, WorkloadCase } from './workloads.js';
import { prepareOverhead, prepareTraining } from './train-shendu.js';

/** The Shendu backends present, best first. */
export function shenduBackends(): string[] {
  return sd.listBackends();
}

/** One line about `backend`: the CPU features and threads its kernels use. */
export function shenduAbout(backend: string): string {
  const features = findBackend(backend)?.features() ?? [];
  return `Shendu, ${backend} backend${features.length > 0 ? `: ${features.join(', ')}` : ''}`;
}

/** Makes `backend` active, seeds the generator, and returns the workload preparer. */
export function shenduOn(backend: string): Prepare {
  sd.setBackend(backend);
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
