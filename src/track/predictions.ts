/**
 * What a tracked fit logs of a classifier's final predictions: the classes (true and
 * predicted) of each sample, and the samples as images when the inputs are pictures.
 */
import type { RawImage } from './png.js';

/** A tensor as read here: values and shape, samples on axis 0. */
interface TensorView {
  values: ArrayLike<number | bigint | boolean>;
  shape: readonly number[];
}

export interface ClassPredictions {
  numClasses: number;
  labels: Int32Array;
  predicted: Int32Array;
}

/**
 * True and predicted classes, or null when the model is not a classifier: outputs [N,C]
 * (C ≥ 2: argmax) with targets of class indices [N] / [N,1] or one-hot rows [N,C]; or one
 * output per sample with 0/1 targets (probabilities above 0.5, or logits above 0 when
 * some output lies outside [0, 1]).
 */
export function classPredictions(targets: TensorView, outputs: TensorView): ClassPredictions | null {
  const n = outputs.shape[0];
  if (n === undefined || n === 0 || targets.shape[0] !== n) return null;
  const width = outputs.shape.length === 1 ? 1 : outputs.shape.length === 2 ? outputs.shape[1] : -1;
  const out = Array.from(outputs.values, Number);
  const truth = Array.from(targets.values, Number);
  const labels = new Int32Array(n);
  const predicted = new Int32Array(n);
  if (width >= 2) {
    const targetWidth = truth.length / n;
    if (targetWidth !== 1 && targetWidth !== width) return null;
    for (let i = 0; i < n; i++) {
      predicted[i] = argmax(out, i * width, width);
      if (targetWidth === 1) {
        const t = truth[i];
        if (!Number.isInteger(t) || t < 0 || t >= width) return null;
        labels[i] = t;
      } else labels[i] = argmax(truth, i * width, width);
    }
    return { numClasses: width, labels, predicted };
  }
  if (width !== 1 || truth.length !== n || !truth.every((t) => t === 0 || t === 1)) return null;
  const threshold = out.every((v) => v >= 0 && v <= 1) ? 0.5 : 0;
  for (let i = 0; i < n; i++) {
    labels[i] = truth[i];
    predicted[i] = out[i] > threshold ? 1 : 0;
  }
  return { numClasses: 2, labels, predicted };
}

function argmax(values: number[], start: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[start + k] > values[start + best]) best = k;
  return best;
}

/**
 * Sample `i` of `inputs` as an image, or null when the samples are not pictures: [H,W]
 * (gray), [H,W,C] with C of 1, 3 or 4 (channels last, Keras), or [C,H,W] with C of 1 or 3
 * (channels first, PyTorch); height and width at least 8.
 */
export function sampleImage(inputs: TensorView, i: number): RawImage | null {
  const shape = inputs.shape.slice(1);
  let layout: { height: number; width: number; channels: number; layout: 'hwc' | 'chw' } | null = null;
  if (shape.length === 2) layout = { height: shape[0], width: shape[1], channels: 1, layout: 'hwc' };
  else if (shape.length === 3 && [1, 3, 4].includes(shape[2])) layout = { height: shape[0], width: shape[1], channels: shape[2], layout: 'hwc' };
  else if (shape.length === 3 && [1, 3].includes(shape[0])) layout = { height: shape[1], width: shape[2], channels: shape[0], layout: 'chw' };
  if (!layout || layout.height < 8 || layout.width < 8) return null;
  const size = layout.height * layout.width * layout.channels;
  const values = inputs.values as ArrayLike<number> & { subarray?: (a: number, b: number) => ArrayLike<number> };
  const data = values.subarray ? values.subarray(i * size, (i + 1) * size) : Array.from({ length: size }, (_, k) => Number(values[i * size + k]));
  return { ...layout, data };
}
