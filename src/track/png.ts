/** A small PNG encoder for sample images logged by runs (gray, RGB or RGBA, 8 bits). */
import zlib from 'node:zlib';
import { ValueError } from '../errors.js';

/**
 * Raw pixels: `data` holds height × width × channels values, channels last ('hwc', as
 * Keras images) or first ('chw', as PyTorch images). Uint8 data is taken as 0..255;
 * other data in [0, 1] is scaled by 255, and anything else (e.g. standardized inputs)
 * is stretched from its min..max to 0..255.
 */
export interface RawImage {
  width: number;
  height: number;
  /** 1 (gray), 3 (RGB) or 4 (RGBA); default 1. */
  channels?: number;
  data: ArrayLike<number>;
  layout?: 'hwc' | 'chw';
}

const COLOR_TYPE: Record<number, number> = { 1: 0, 3: 2, 4: 6 };

/** Encodes `image` as a PNG file. */
export function encodePng(image: RawImage): Uint8Array {
  const { width, height, channels = 1, data, layout = 'hwc' } = image;
  if (!(channels in COLOR_TYPE)) throw new ValueError(`encodePng: channels must be 1, 3 or 4, got ${channels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ValueError(`encodePng: width and height must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new ValueError(`encodePng: data has ${data.length} values, expected ${height}x${width}x${channels} = ${width * height * channels}`);
  }
  const toByte = byteScale(data);
  const stride = width * channels;
  // each scanline starts with its filter type (0: none)
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const src = layout === 'hwc' ? (y * width + x) * channels + c : (c * height + y) * width + x;
        raw[row + 1 + x * channels + c] = toByte(Number(data[src]));
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = COLOR_TYPE[channels];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function byteScale(data: ArrayLike<number>): (v: number) => number {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return (v) => v;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= 0 && max <= 1) return (v) => Math.round(v * 255);
  const range = max - min || 1;
  return (v) => Math.round(((v - min) / range) * 255);
}

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
