import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Pads2D } from '../backend/kernels.js';
import { toTensor, type TensorLike } from '../tensor/convert.js';
import { isFloatDType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { transpose } from './transpose.js';
import { reshape } from './reshape.js';

/**
 * Argument handling shared by the convolution and pooling ops: window sizes, padding
 * specs, channel-last layouts. Everything here runs at op entry, before any kernel.
 */

/**
 * Padding of a 2-D window op: 'valid' (none), 'same' (TensorFlow's rule: output size
 * ceil(in / stride), extra padding at the bottom and right), one number for every side,
 * [ph, pw] for both sides of each axis, or [top, bottom, left, right].
 */
export type Padding2D = 'valid' | 'same' | number | [number, number] | [number, number, number, number];

/** Padding of a 1-D window op: 'valid', 'same', one number for both ends, or [left, right]. */
export type Padding1D = 'valid' | 'same' | number | [number, number];

/** Layouts of image batches: channels first (PyTorch) or channels last (Keras, TensorFlow). */
export type DataFormat2D = 'NCHW' | 'NHWC';
export type DataFormat1D = 'NCW' | 'NWC';

/** A float tensor argument named `arg` of `op`. */
export function floatArg(op: string, arg: string, value: TensorLike): Tensor {
  const t = toTensor(value, op, arg);
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(`${op}: ${arg} must be float32 or float64, got ${t.dtype} (cast it with sd.cast(${arg}, 'float32'))`);
  }
  return t;
}

/** Checks that two float arguments share a dtype (no silent promotion of parameters). */
export function sameDType(op: string, a: [string, Tensor], b: [string, Tensor]): void {
  if (a[1].dtype !== b[1].dtype) {
    throw new DTypeError(`${op}: ${a[0]} is ${a[1].dtype} but ${b[0]} is ${b[1].dtype}; cast one of them`);
  }
}

/** A per-axis size (stride, dilation, kernel size) given as one number or a pair. */
export function pairArg(op: string, arg: string, value: number | readonly number[]): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : [...value];
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw new ValueError(`${op}: ${arg} must be a positive integer or a pair of them, got ${fmtValue(value)}`);
  }
  return pair as [number, number];
}

/** Positive integer argument (groups). */
export function positiveInt(op: string, arg: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new ValueError(`${op}: ${arg} must be a positive integer, got ${fmtValue(value)}`);
  return value;
}

function fmtValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return Array.isArray(value) ? fmtShape(value) : String(value);
}

/** Lifts a 1-D padding to the 2-D form of a window with height 1. */
export function padding1DTo2D(op: string, padding: Padding1D): Padding2D {
  if (typeof padding === 'string') return padding;
  if (typeof padding === 'number') return [0, 0, padding, padding];
  if (Array.isArray(padding) && padding.length === 2) return [0, 0, padding[0], padding[1]];
  throw new ValueError(`${op}: padding must be 'valid', 'same', a number or [left, right], got ${fmtValue(padding)}`);
}

/**
 * Resolves a padding spec to [top, bottom, left, right] for an input of `inSize` (H, W)
 * and a window of `kernel` taps with `strides` and `dilations`.
 */
export function resolvePads(
  op: string,
  padding: Padding2D,
  inSize: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): Pads2D {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const pads: number[] = [];
    for (let a = 0; a < 2; a++) {
      const out = Math.ceil(inSize[a] / strides[a]);
      const span = dilations[a] * (kernel[a] - 1) + 1;
      const total = Math.max(0, (out - 1) * strides[a] + span - inSize[a]);
      pads.push(Math.floor(total / 2), total - Math.floor(total / 2));
    }
    return pads as Pads2D;
  }
  let pads: number[] | undefined;
  if (typeof padding === 'number') pads = [padding, padding, padding, padding];
  else if (Array.isArray(padding) && padding.length === 2) pads = [padding[0], padding[0], padding[1], padding[1]];
  else if (Array.isArray(padding) && padding.length === 4) pads = [...padding];
  if (!pads) {
    throw new ValueError(`${op}: padding must be 'valid', 'same', a number, [ph, pw] or [top, bottom, left, right], got ${fmtValue(padding)}`);
  }
  if (!pads.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new ValueError(`${op}: padding must be non-negative integers, got ${fmtValue(padding)}`);
  }
  return pads as Pads2D;
}

/**
 * Output size of a window op along each axis: floor((in + pads − span) / stride) + 1,
 * where span = dilation·(k − 1) + 1. Throws when the window does not fit in the padded
 * input; `shown` is the input as the caller gave it, for the message.
 */
export function windowOutput(
  op: string,
  shown: readonly number[],
  inSize: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  pads: Pads2D,
): [number, number] {
  const padded = [inSize[0] + pads[0] + pads[1], inSize[1] + pads[2] + pads[3]];
  const span = [0, 1].map((a) => dilations[a] * (kernel[a] - 1) + 1);
  if (span[0] > padded[0] || span[1] > padded[1]) {
    throw new ShapeError(
      `${op}: kernel ${kernel.join('x')} (dilation ${dilations.join('x')}) is larger than the padded input ` +
        `${padded.join('x')} (input ${fmtShape(shown)}, pads [top,bottom,left,right] ${fmtShape(pads)})`,
    );
  }
  return [0, 1].map((a) => Math.floor((padded[a] - span[a]) / strides[a]) + 1) as [number, number];
}

/** Checks a dataFormat option against the layouts an op knows. */
export function checkFormat<F extends string>(op: string, value: string, allowed: readonly F[]): F {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValueError(`${op}: dataFormat must be ${allowed.map((f) => `'${f}'`).join(' or ')}, got ${fmtValue(value)}`);
  }
  return value as F;
}

/** Checks the rank of an argument, naming its layout: `x must be 4-D [N,C,H,W], got [3,28,28]`. */
export function checkRank(op: string, arg: string, t: Tensor, layout: string): void {
  const rank = layout.split(',').length;
  if (t.rank !== rank) throw new ShapeError(`${op}: ${arg} must be ${rank}-D [${layout}], got ${fmtShape(t.shape)}`);
}

/** Channels-last to channels-first: [N, ...spatial, C] → [N, C, ...spatial]. */
export function channelsFirst(x: Tensor): Tensor {
  const r = x.rank;
  return transpose(x, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
}

/** Channels-first to channels-last: [N, C, ...spatial] → [N, ...spatial, C]. */
export function channelsLast(x: Tensor): Tensor {
  const r = x.rank;
  return transpose(x, [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1]);
}

/** A batch of images (or sequences) seen as NCHW, with the way there and back. */
export interface ImageLayout {
  /** x's shape as [N,C,H,W]; sequences have H = 1. */
  shape: [number, number, number, number];
  /** x's shape as the caller gave it, for messages. */
  shown: readonly number[];
  /** Whether the caller's layout is channels-last (NHWC or NWC). */
  channelsLast: boolean;
  /** x as [N,C,H,W]. Called after all checks, since it may run a transpose kernel. */
  toNCHW: () => Tensor;
  /** Turns an [N,C',H',W'] result back into the caller's rank and layout. */
  restore: (y: Tensor) => Tensor;
  /**
   * x as a 4-D image in the caller's layout ([N,C,H,W] or [N,H,W,C], sequences with
   * H = 1), for kernels called with `channelsLast`: no transpose.
   */
  toKernel: () => Tensor;
  /** Turns a 4-D result of such a kernel back into the caller's rank. */
  fromKernel: (y: Tensor) => Tensor;
}

/**
 * Checks the rank and dataFormat of an image batch (spatial = 2: NCHW or NHWC) or a
 * sequence batch (spatial = 1: NCW or NWC) and describes it as NCHW.
 */
export function imageLayout(op: string, spatial: 1 | 2, x: Tensor, dataFormat: string | undefined): ImageLayout {
  const formats = spatial === 2 ? (['NCHW', 'NHWC'] as const) : (['NCW', 'NWC'] as const);
  const format = checkFormat<string>(op, dataFormat ?? formats[0], formats);
  const last = format === formats[1];
  const layout = { NCHW: 'N,C,H,W', NHWC: 'N,H,W,C', NCW: 'N,C,L', NWC: 'N,L,C' }[format]!;
  checkRank(op, 'x', x, layout);
  const s = x.shape;
  const shape: [number, number, number, number] =
    spatial === 2 ? (last ? [s[0], s[3], s[1], s[2]] : [s[0], s[1], s[2], s[3]]) : [s[0], last ? s[2] : s[1], 1, last ? s[1] : s[2]];
  const toNCHW = (): Tensor => reshape(last ? channelsFirst(x) : x, shape);
  const restore = (y: Tensor): Tensor => {
    const y3 = spatial === 1 ? reshape(y, [y.shape[0], y.shape[1], y.shape[3]]) : y;
    return last ? channelsLast(y3) : y3;
  };
  // a sequence is an image of height 1: [N,C,1,L] or [N,1,L,C]
  const toKernel = (): Tensor => (spatial === 2 ? x : reshape(x, last ? [s[0], 1, s[1], s[2]] : [s[0], s[1], 1, s[2]]));
  const fromKernel = (y: Tensor): Tensor => {
    if (spatial === 2) return y;
    const t = y.shape;
    return reshape(y, last ? [t[0], t[2], t[3]] : [t[0], t[1], t[3]]);
  };
  return { shape, shown: x.shape, channelsLast: last, toNCHW, restore, toKernel, fromKernel };
}

/** Window sizes of a 1-D op (one number) or a 2-D op (number or pair), as [height, width]. */
export function windowArg(op: string, arg: string, spatial: 1 | 2, value: number | readonly number[]): [number, number] {
  if (spatial === 2) return pairArg(op, arg, value);
  if (typeof value !== 'number') throw new ValueError(`${op}: ${arg} must be a positive integer, got ${fmtValue(value)}`);
  return [1, positiveInt(op, arg, value)];
}
