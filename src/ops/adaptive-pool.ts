import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { TensorLike } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';
import { reshape } from './reshape.js';
import { floatArg, imageLayout, type DataFormat1D, type DataFormat2D, type ImageLayout } from './conv-args.js';

/**
 * Adaptive pools choose their windows from the output size (PyTorch's rule: output i
 * reads [floor(i·H/oH), ceil((i+1)·H/oH))), so any input size pools to a fixed size.
 * Global pools are adaptive pools to 1×1, flattened to [N,C].
 */

/** Output size of an adaptive 2-D pool; null keeps that input dimension. */
export type AdaptiveSize2D = number | [number | null, number | null];

function adaptiveAvg(x: Tensor, outputSize: [number, number]): Tensor {
  return runOp('adaptiveAvgPool2d', 'AdaptiveAvgPool2D', [x], { outputSize }, (dy) => [adaptiveAvgBackward(dy, x.shape)]);
}

/** The gradient of adaptiveAvg; both are linear and each other's transpose. */
function adaptiveAvgBackward(dy: Tensor, inputShape: readonly number[]): Tensor {
  const outputSize: [number, number] = [dy.shape[2], dy.shape[3]];
  return runOp('adaptiveAvgPool2dGrad', 'AdaptiveAvgPool2DGrad', [dy], { inputShape: [...inputShape] }, (g) => [adaptiveAvg(g, outputSize)]);
}

function adaptiveMax(x: Tensor, outputSize: [number, number]): Tensor {
  return runOp('adaptiveMaxPool2d', 'AdaptiveMaxPool2D', [x], { outputSize }, (dy) => [
    runOp('adaptiveMaxPool2dGrad', 'AdaptiveMaxPool2DGrad', [x, dy], { outputSize }),
  ]);
}

function checkNotEmpty(op: string, image: ImageLayout): void {
  const [, , H, W] = image.shape;
  if (H === 0 || W === 0) throw new ShapeError(`${op}: x must have non-empty spatial dimensions, got ${fmtShape(image.shown)}`);
}

function adaptive(
  op: string,
  kind: 'avg' | 'max',
  spatial: 1 | 2,
  x: TensorLike,
  outputSize: AdaptiveSize2D | number | null,
  dataFormat: string | undefined,
): Tensor {
  const xt = floatArg(op, 'x', x);
  const image = imageLayout(op, spatial, xt, dataFormat);
  checkNotEmpty(op, image);
  const [, , H, W] = image.shape;
  let size: (number | null)[];
  if (spatial === 1) size = [1, outputSize as number | null];
  else size = typeof outputSize === 'number' || outputSize === null ? [outputSize, outputSize] : [...outputSize];
  const resolved = [size[0] ?? H, size[1] ?? W];
  const valid = size.length === 2 && resolved.every((s) => Number.isInteger(s) && s > 0);
  if (!valid) {
    const shown = Array.isArray(outputSize) ? fmtShape(outputSize.map((s) => (s === null ? -1 : s))) : String(outputSize);
    throw new ValueError(`${op}: outputSize must be positive integers${spatial === 2 ? ' (or null to keep a dimension)' : ''}, got ${shown}`);
  }
  const x4 = image.toNCHW();
  const out = resolved as [number, number];
  return image.restore(kind === 'avg' ? adaptiveAvg(x4, out) : adaptiveMax(x4, out));
}

/**
 * Adaptive 2-D average pooling to a fixed output size.
 *
 * x [N,C,H,W] (or NHWC) → [N,C,oH,oW]; output (i,j) averages rows [floor(i·H/oH),
 * ceil((i+1)·H/oH)) and the matching columns.
 *
 * ```ts
 * sd.adaptiveAvgPool2d(sd.randn([1, 512, 13, 9]), [7, 7]).shape; // [1,512,7,7]
 * ```
 */
export function adaptiveAvgPool2d(x: TensorLike, outputSize: AdaptiveSize2D, options: { dataFormat?: DataFormat2D } = {}): Tensor {
  return adaptive('adaptiveAvgPool2d', 'avg', 2, x, outputSize, options.dataFormat);
}

/**
 * Adaptive 2-D max pooling to a fixed output size, windows as adaptiveAvgPool2d.
 *
 * ```ts
 * sd.adaptiveMaxPool2d(sd.randn([1, 8, 10, 10]), 3).shape; // [1,8,3,3]
 * ```
 */
export function adaptiveMaxPool2d(x: TensorLike, outputSize: AdaptiveSize2D, options: { dataFormat?: DataFormat2D } = {}): Tensor {
  return adaptive('adaptiveMaxPool2d', 'max', 2, x, outputSize, options.dataFormat);
}

/**
 * Adaptive 1-D average pooling: x [N,C,L] (or NWC) → [N,C,outputSize].
 *
 * ```ts
 * sd.adaptiveAvgPool1d(sd.randn([2, 4, 10]), 3).shape; // [2,4,3]
 * ```
 */
export function adaptiveAvgPool1d(x: TensorLike, outputSize: number, options: { dataFormat?: DataFormat1D } = {}): Tensor {
  return adaptive('adaptiveAvgPool1d', 'avg', 1, x, outputSize, options.dataFormat);
}

/**
 * Adaptive 1-D max pooling: x [N,C,L] (or NWC) → [N,C,outputSize].
 *
 * ```ts
 * sd.adaptiveMaxPool1d(sd.randn([2, 4, 10]), 3).shape; // [2,4,3]
 * ```
 */
export function adaptiveMaxPool1d(x: TensorLike, outputSize: number, options: { dataFormat?: DataFormat1D } = {}): Tensor {
  return adaptive('adaptiveMaxPool1d', 'max', 1, x, outputSize, options.dataFormat);
}

function globalPool(op: string, kind: 'avg' | 'max', spatial: 1 | 2, x: TensorLike, dataFormat: string | undefined): Tensor {
  const xt = floatArg(op, 'x', x);
  const image = imageLayout(op, spatial, xt, dataFormat);
  checkNotEmpty(op, image);
  const [N, C] = image.shape;
  const x4 = image.toNCHW();
  const y = kind === 'avg' ? adaptiveAvg(x4, [1, 1]) : adaptiveMax(x4, [1, 1]);
  return reshape(y, [N, C]);
}

/**
 * Mean over the spatial axes of each channel (Keras GlobalAveragePooling2D).
 * x [N,C,H,W] (or NHWC) → [N,C].
 *
 * ```ts
 * sd.globalAvgPool2d(sd.randn([8, 64, 7, 7])).shape; // [8,64]
 * ```
 */
export function globalAvgPool2d(x: TensorLike, options: { dataFormat?: DataFormat2D } = {}): Tensor {
  return globalPool('globalAvgPool2d', 'avg', 2, x, options.dataFormat);
}

/**
 * Maximum over the spatial axes of each channel (Keras GlobalMaxPooling2D).
 * x [N,C,H,W] (or NHWC) → [N,C].
 *
 * ```ts
 * sd.globalMaxPool2d(sd.randn([8, 64, 7, 7])).shape; // [8,64]
 * ```
 */
export function globalMaxPool2d(x: TensorLike, options: { dataFormat?: DataFormat2D } = {}): Tensor {
  return globalPool('globalMaxPool2d', 'max', 2, x, options.dataFormat);
}

/**
 * Mean over the length of each channel. x [N,C,L] (or NWC) → [N,C].
 *
 * ```ts
 * sd.globalAvgPool1d(sd.randn([8, 16, 100])).shape; // [8,16]
 * ```
 */
export function globalAvgPool1d(x: TensorLike, options: { dataFormat?: DataFormat1D } = {}): Tensor {
  return globalPool('globalAvgPool1d', 'avg', 1, x, options.dataFormat);
}

/**
 * Maximum over the length of each channel. x [N,C,L] (or NWC) → [N,C].
 *
 * ```ts
 * sd.globalMaxPool1d(sd.randn([8, 16, 100])).shape; // [8,16]
 * ```
 */
export function globalMaxPool1d(x: TensorLike, options: { dataFormat?: DataFormat1D } = {}): Tensor {
  return globalPool('globalMaxPool1d', 'max', 1, x, options.dataFormat);
}
