/** Shape arithmetic and options that the Keras convolution and pooling layers share. */
import { ValueError } from '../errors.js';

/** Keras' layouts of image and sequence batches. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** Output length of a window op along one axis (Keras' conv_output_length); null stays null. */
export function convOutputLength(length: number | null, kernel: number, padding: 'valid' | 'same', stride: number, dilation = 1): number | null {
  if (length === null) return null;
  if (padding === 'same') return Math.ceil(length / stride);
  const span = dilation * (kernel - 1) + 1;
  return Math.floor((length - span) / stride) + 1;
}

/** Output length of a transposed convolution (Keras' deconv_output_length without outputPadding). */
export function deconvOutputLength(length: number | null, kernel: number, padding: 'valid' | 'same', stride: number, dilation = 1): number | null {
  if (length === null) return null;
  const span = dilation * (kernel - 1) + 1;
  return padding === 'same' ? length * stride : length * stride + Math.max(span - stride, 0);
}

/** A size per spatial axis, given as one number or one per axis, as a list of `n`. */
export function tupleArg(cls: string, name: string, value: unknown, n: number): number[] {
  const list = typeof value === 'number' ? Array.from({ length: n }, () => value) : Array.isArray(value) ? [...value] : null;
  if (!list || list.length !== n || !list.every((v) => Number.isInteger(v) && v > 0)) {
    throw new ValueError(`${cls}: ${name} must be a positive integer${n > 1 ? ` or ${n} of them` : ''}, got ${JSON.stringify(value)}`);
  }
  return list as number[];
}

export function paddingArg(cls: string, value: unknown): 'valid' | 'same' {
  const p = value ?? 'valid';
  if (p !== 'valid' && p !== 'same') throw new ValueError(`${cls}: padding must be 'valid' or 'same', got ${JSON.stringify(value)}`);
  return p;
}

export function dataFormatArg(cls: string, value: unknown): DataFormat {
  const f = value ?? 'channelsLast';
  if (f !== 'channelsLast' && f !== 'channelsFirst') {
    throw new ValueError(`${cls}: dataFormat must be 'channelsLast' (NHWC, the default) or 'channelsFirst' (NCHW), got ${JSON.stringify(value)}`);
  }
  return f;
}

/** The ops' name of a Keras layout: 'NHWC' / 'NCHW' for images, 'NWC' / 'NCW' for sequences. */
export function opsFormat(format: DataFormat, spatial: 1 | 2): 'NHWC' | 'NCHW' | 'NWC' | 'NCW' {
  if (spatial === 2) return format === 'channelsLast' ? 'NHWC' : 'NCHW';
  return format === 'channelsLast' ? 'NWC' : 'NCW';
}

/** Channel axis and spatial axes of a batch shape in a layout. */
export function layoutAxes(format: DataFormat, spatial: 1 | 2): { channel: number; spatialAxes: number[] } {
  const rank = spatial + 2;
  return format === 'channelsLast'
    ? { channel: rank - 1, spatialAxes: Array.from({ length: spatial }, (_, i) => i + 1) }
    : { channel: 1, spatialAxes: Array.from({ length: spatial }, (_, i) => i + 2) };
}
