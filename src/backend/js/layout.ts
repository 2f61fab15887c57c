import type { TensorData } from '../backend.js';
import { shapeKernels } from './shape.js';

/**
 * The js image kernels compute in NCHW. A call with `channelsLast` (NHWC images) goes
 * through `acceptChannelsLast`, which transposes the image inputs there and the result
 * back: the reference stays one loop per kernel, and the native backend does the
 * layout-aware work.
 */

const transpose = (t: TensorData, perm: number[]): TensorData => shapeKernels.Transpose!([t], { perm });

/** [N,H,W,C] → [N,C,H,W] of a shape. */
const nchwShape = (s: readonly number[]): number[] => [s[0], s[3], s[1], s[2]];

interface LayoutAttrs {
  channelsLast?: boolean;
  inputShape?: number[];
}

/**
 * Wraps an NCHW kernel so that it also takes NHWC images: inputs at `imageInputs`, the
 * `inputShape` attribute and (when `imageOutput`) the result are in the caller's layout.
 */
export function acceptChannelsLast<A extends LayoutAttrs>(
  kernel: (inputs: TensorData[], attrs: A) => TensorData,
  imageInputs: readonly number[],
  imageOutput: boolean,
): (inputs: TensorData[], attrs: A) => TensorData {
  return (inputs, attrs) => {
    if (!attrs.channelsLast) return kernel(inputs, attrs);
    const nchw = inputs.map((t, i) => (imageInputs.includes(i) ? transpose(t, [0, 3, 1, 2]) : t));
    const inner: A = { ...attrs, channelsLast: false };
    if (attrs.inputShape) inner.inputShape = nchwShape(attrs.inputShape);
    const y = kernel(nchw, inner);
    return imageOutput ? transpose(y, [0, 2, 3, 1]) : y;
  };
}
