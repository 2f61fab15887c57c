/**
 * fit's `track` option: fit adds a tracking callback made by the platform (src/track
 * registers the maker when it loads, so this layer needs nothing of the store), and at
 * the end of training hands it the model's outputs on a sample of the data, for sample
 * images and a confusion matrix.
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { globalGenerator } from '../tensor/random.js';
import { concat } from '../ops/concat.js';
import { noGrad } from '../autograd/mode.js';
import { rowRange } from '../data/collate.js';
import type { LayersModel } from './model.js';
import type { Batch, BatchSource } from './data.js';
import type { CallbackLike } from './callbacks/callback.js';

/** `true` (the default experiment) or where and how to log. */
export type TrackOption = boolean | FitTrackingOptions;

export interface FitTrackingOptions {
  /** Experiment name (default 'default'). */
  experiment?: string;
  runName?: string;
  tags?: Record<string, string>;
  /** The store folder (default $SHENDU_HOME or ./.shendu). */
  home?: string;
  /** Class names for the captions of sample images and the confusion matrix. */
  classNames?: readonly string[];
  /** How many sample images to log (default 16; 0: none). */
  sampleImages?: number;
  /** Log batch metrics every N batches (default 50; 0: never). */
  logEveryNBatches?: number;
  /** Log weight and gradient histograms every N epochs (default 1; 0: never). */
  histogramEveryNEpochs?: number;
  /** Save the model file as an artifact at the end (default true). */
  saveModel?: boolean;
}

/** The model's inputs, targets and outputs (inference mode) on up to `maxSamples` samples. */
export interface PredictionSample {
  /** Where the samples come from: the validation data, or the training data when there is none. */
  source: 'validation' | 'training';
  /** The first input, the first target and the first output, samples on axis 0. */
  inputs: Tensor;
  targets: Tensor;
  outputs: Tensor;
  /** The epoch training ended after (counting from 0). */
  epoch: number;
}

/** What a tracking maker returns: a callback, which may also take the final predictions. */
export type FitTracker = CallbackLike & { logPredictions?(sample: PredictionSample): void | Promise<void> };

type TrackerMaker = (options: FitTrackingOptions) => FitTracker;
let makeTracker: TrackerMaker | null = null;

/** Sets what `fit({ track })` uses (the tracking platform calls this when it loads). */
export function registerFitTracker(maker: TrackerMaker): void {
  makeTracker = maker;
}

/** The tracker for fit's `track` option, or null when it is off. */
export function fitTracker(option: unknown): FitTracker | null {
  if (option === undefined || option === false) return null;
  if (option !== true && (option === null || typeof option !== 'object' || Array.isArray(option))) {
    throw new ValueError(`fit: track must be true, false or { experiment, runName, ... }, got ${JSON.stringify(option)}`);
  }
  if (!makeTracker) throw new ValueError(`fit: track needs the tracking module: import it with the library (import * as sd from 'shendu')`);
  return makeTracker(option === true ? {} : (option as FitTrackingOptions));
}

/**
 * Runs the model in inference mode over the first `maxSamples` samples of `source`
 * (single-input, single-output models only; null otherwise). Reading the data again must
 * not change the run: the global generator (a DataLoader's shuffle) is put back after.
 */
export async function predictionSample(model: LayersModel, source: BatchSource, maxSamples: number): Promise<Omit<PredictionSample, 'source' | 'epoch'> | null> {
  const state = globalGenerator.getState();
  try {
    const parts: { x: Tensor; y: Tensor; out: Tensor }[] = [];
    let count = 0;
    for await (const batch of source.batches() as AsyncIterable<Batch>) {
      if (batch.xs.length !== 1 || batch.ys.length !== 1) return null;
      const take = Math.min(batch.xs[0].shape[0], maxSamples - count);
      const x = rowRange(batch.xs[0], 0, take);
      const [out] = noGrad(() => model.forward([x], false));
      parts.push({ x, y: rowRange(batch.ys[0], 0, take), out });
      count += take;
      if (count >= maxSamples) break;
    }
    if (parts.length === 0) return null;
    const join = (ts: Tensor[]): Tensor => (ts.length === 1 ? ts[0] : concat(ts, 0));
    return { inputs: join(parts.map((p) => p.x)), targets: join(parts.map((p) => p.y)), outputs: join(parts.map((p) => p.out)) };
  } finally {
    globalGenerator.setState(state);
  }
}
