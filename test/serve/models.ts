/**
 * Small models for the serving tests, built from plain ops, exported as factories that
 * worker threads call (`{ kind: 'factory', module: MODELS, export: 'affine' }`).
 */
import * as sd from '../../src/index.js';
import type { LoadedModel, ModelSource } from '../../src/serve/index.js';

export const MODELS = new URL('./models.ts', import.meta.url).href;

/** Sleeps without using the CPU (workers may block). */
function sleep(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface AffineOptions {
  /** Inputs per row (default 4). */
  features?: number;
  /** Outputs per row (default 3). */
  classes?: number;
  /** Multiplies the outputs, to tell versions apart (default 1). */
  scale?: number;
  /** Milliseconds each batch takes. */
  delayMs?: number;
  /** Milliseconds loading takes. */
  loadDelayMs?: number;
  classLabels?: string[];
  inputName?: string;
}

/** y[j] = scale * (sum(x) + j): one input `x` [-1, features], one output `y` [-1, classes]. */
export async function affine(options: AffineOptions = {}): Promise<LoadedModel> {
  const { features = 4, classes = 3, scale = 1, delayMs = 0, loadDelayMs = 0, inputName = 'x' } = options;
  if (loadDelayMs > 0) await new Promise((r) => setTimeout(r, loadDelayMs));
  const w = sd.full([features, classes], scale);
  const b = sd.tensor(Array.from({ length: classes }, (_, j) => j * scale));
  return {
    signature: {
      inputs: [{ name: inputName, shape: [-1, features], dtype: 'float32' }],
      outputs: [{ name: 'y', shape: [-1, classes], dtype: 'float32' }],
      ...(options.classLabels ? { classLabels: options.classLabels } : {}),
    },
    predict(inputs) {
      sleep(delayMs);
      return { y: sd.add(sd.matmul(inputs[inputName], w), b) };
    },
  };
}

/**
 * Two inputs and two outputs: `a` float32 [-1, 2], `b` int32 [-1, 3];
 * `total` [-1] = sum(a) + sum(b), `flags` bool [-1, 2] = a > 0.
 */
export function twoInputs(): LoadedModel {
  return {
    signature: {
      inputs: [
        { name: 'a', shape: [-1, 2], dtype: 'float32' },
        { name: 'b', shape: [-1, 3], dtype: 'int32' },
      ],
      outputs: [
        { name: 'total', shape: [-1], dtype: 'float32' },
        { name: 'flags', shape: [-1, 2], dtype: 'bool' },
      ],
    },
    predict({ a, b }) {
      return { total: sd.add(sd.sum(a, 1), sd.sum(sd.cast(b, 'float32'), 1)), flags: sd.gt(a, 0) };
    },
  };
}

/** y = 2x + 1 on scalars: `x` [-1] → `y` [-1] (a regressor). */
export function halfPlusThree(): LoadedModel {
  return {
    signature: { inputs: [{ name: 'x', shape: [-1], dtype: 'float32' }], outputs: [{ name: 'y', shape: [-1], dtype: 'float32' }] },
    predict({ x }) {
      return { y: sd.add(sd.mul(x, 0.5), 3) };
    },
  };
}

/** Fails to load. */
export function broken(): LoadedModel {
  throw new Error('this model cannot be built');
}

export function source(exportName: string, options?: unknown): ModelSource {
  return { kind: 'factory', module: MODELS, export: exportName, options };
}

/** `affine` taking 200 ms per batch (for the command line, which passes no options). */
export function slowAffine(): Promise<LoadedModel> {
  return affine({ delayMs: 200 });
}

/** `affine` whose worker dies (process.exit in a worker ends that thread) when the first input value is 666. */
export async function crashy(): Promise<LoadedModel> {
  const model = await affine();
  return {
    signature: model.signature,
    predict(inputs) {
      if (inputs.x.values[0] === 666) process.exit(3);
      return model.predict(inputs);
    },
  };
}
