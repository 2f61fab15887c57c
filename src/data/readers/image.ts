import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type pngjs from 'pngjs';
import type jpeg from 'jpeg-js';
import { ShapeError, ValueError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { Dataset } from '../dataset.js';
import { resizeBilinear } from '../resample.js';
import { readBytes, readBytesSync } from './files.js';
import { lazyRequire } from '../../lazy-require.js';

/**
 * PNG and JPEG images, decoded by pngjs and jpeg-js (pure JavaScript), as float tensors:
 * one image [C,H,W] (or [H,W,C]); a folder with one sub-folder per class (torchvision's
 * ImageFolder layout) as a batch [N,C,H,W] (or [N,H,W,C]) with int32 labels.
 */

export interface ImageOptions {
  /** 1 (grayscale, L = 0.299R + 0.587G + 0.114B as PIL), 3 (RGB, default) or 4 (RGBA). */
  channels?: 1 | 3 | 4;
  /** Resize every image to [height, width] (bilinear); default: keep the size. */
  size?: readonly [number, number];
  /** 'NCHW' (channels first, default, as PyTorch) or 'NHWC' (channels last, as Keras). */
  dataFormat?: 'NCHW' | 'NHWC';
  /** Factor applied to the 0..255 pixel values; default 1/255, giving [0, 1]. */
  scale?: number;
}

/** A decoded image: 8-bit RGBA pixels, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The decoders, loaded at the first image. */
const pngDecoder = lazyRequire<typeof pngjs>('pngjs');
const jpegDecoder = lazyRequire<typeof jpeg>('jpeg-js');

/** Decodes PNG or JPEG bytes (recognised by their magic bytes) to RGBA pixels. */
export function decodeImage(bytes: Uint8Array, source = 'the image'): DecodedImage {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) {
      const png = pngDecoder().PNG.sync.read(b);
      return { width: png.width, height: png.height, data: png.data };
    }
    if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
      return jpegDecoder().decode(b, { useTArray: true, formatAsRGBA: true });
    }
  } catch (e) {
    throw new ValueError(`decodeImage: ${source} could not be decoded: ${(e as Error).message}`, { cause: e });
  }
  throw new ValueError(`decodeImage: ${source} is neither PNG nor JPEG (unrecognised magic bytes)`);
}

function checkOptions(op: string, options: ImageOptions): Required<Omit<ImageOptions, 'size'>> & { size?: readonly [number, number] } {
  const { channels = 3, dataFormat = 'NCHW', scale = 1 / 255, size } = options;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ValueError(`${op}: channels must be 1, 3 or 4, got ${String(channels)}`);
  }
  if (dataFormat !== 'NCHW' && dataFormat !== 'NHWC') {
    throw new ValueError(`${op}: dataFormat must be 'NCHW' or 'NHWC', got '${String(dataFormat)}'`);
  }
  if (size !== undefined && (size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0))) {
    throw new ValueError(`${op}: size must be [height, width] of positive integers, got [${size.join(',')}]`);
  }
  return { channels, dataFormat, scale, size };
}

/**
 * Writes one decoded image into `out` at `offset` as C×H×W or H×W×C floats, converting
 * the channels and resizing to `size` when given.
 */
function writeImage(img: DecodedImage, opts: ReturnType<typeof checkOptions>, out: Float32Array, offset: number): void {
  const { width: w, height: h, data } = img;
  const c = opts.channels;
  const planes = new Float32Array(c * h * w);
  for (let p = 0; p < h * w; p++) {
    const r = data[4 * p];
    const g = data[4 * p + 1];
    const b = data[4 * p + 2];
    if (c === 1) {
      planes[p] = ((r * 299 + g * 587 + b * 114) / 1000) * opts.scale;
    } else {
      for (let k = 0; k < c; k++) planes[k * h * w + p] = data[4 * p + k] * opts.scale;
    }
  }
  const [oh, ow] = opts.size ?? [h, w];
  let chw = planes;
  if (oh !== h || ow !== w) {
    chw = new Float32Array(c * oh * ow);
    for (let k = 0; k < c; k++) {
      resizeBilinear({ data: planes, offset: k * h * w, height: h, width: w }, { data: chw, offset: k * oh * ow, height: oh, width: ow });
    }
  }
  if (opts.dataFormat === 'NCHW') {
    out.set(chw, offset);
  } else {
    for (let k = 0; k < c; k++) for (let p = 0; p < oh * ow; p++) out[offset + p * c + k] = chw[k * oh * ow + p];
  }
}

function imageTensor(img: DecodedImage, opts: ReturnType<typeof checkOptions>): Tensor {
  const [h, w] = opts.size ?? [img.height, img.width];
  const out = new Float32Array(opts.channels * h * w);
  writeImage(img, opts, out, 0);
  const shape = opts.dataFormat === 'NCHW' ? [opts.channels, h, w] : [h, w, opts.channels];
  return new Tensor(out, shape, 'float32');
}

/**
 * Reads one PNG or JPEG file as a float32 tensor [C,H,W] (or [H,W,C]) in [0, 1].
 *
 * ```ts
 * const img = await sd.data.readImage('cat.jpg', { size: [224, 224] }); // [3,224,224]
 * ```
 */
export async function readImage(path: string, options: ImageOptions = {}): Promise<Tensor> {
  const opts = checkOptions('readImage', options);
  return imageTensor(decodeImage(await readBytes('readImage', path), `'${path}'`), opts);
}

/** The synchronous form of `readImage`. */
export function readImageSync(path: string, options: ImageOptions = {}): Tensor {
  const opts = checkOptions('readImage', options);
  return imageTensor(decodeImage(readBytesSync('readImage', path), `'${path}'`), opts);
}

export interface ImageFolderOptions extends ImageOptions {
  /** File extensions to read, lower case; default .png, .jpg, .jpeg. */
  extensions?: readonly string[];
}

/** The files of an image folder: class names (sorted) and, per file, its path and label. */
export interface ImageFolderIndex {
  classes: string[];
  files: string[];
  labels: Int32Array;
}

/** A folder of images read into memory. */
export interface ImageFolder extends ImageFolderIndex {
  /** float32 [N,C,H,W] (or [N,H,W,C]) in [0, 1]. */
  x: Tensor;
  /** int32 [N]: the index of each image's class in `classes`. */
  y: Tensor;
}

/**
 * Lists `root/<class>/<image>` as torchvision's ImageFolder does: classes are the
 * sub-folder names in sorted order, labelled 0, 1, ...; files are sorted within a class.
 */
export function indexImageFolder(root: string, options: ImageFolderOptions = {}): ImageFolderIndex {
  const extensions = (options.extensions ?? ['.png', '.jpg', '.jpeg']).map((e) => e.toLowerCase());
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch (e) {
    throw new ValueError(`readImageFolder: cannot read the folder '${root}': ${(e as Error).message}`, { cause: e });
  }
  const classes = entries.filter((name) => statSync(join(root, name)).isDirectory()).sort();
  if (classes.length === 0) {
    throw new ValueError(`readImageFolder: '${root}' has no class sub-folders (expected ${root}/<class>/<image>.png)`);
  }
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((cls, label) => {
    const dir = join(root, cls);
    const images = readdirSync(dir)
      .filter((f) => extensions.includes(extname(f).toLowerCase()) && statSync(join(dir, f)).isFile())
      .sort();
    if (images.length === 0) {
      throw new ValueError(`readImageFolder: class folder '${dir}' has no images (extensions ${extensions.join(', ')})`);
    }
    for (const f of images) {
      files.push(join(dir, f));
      labels.push(label);
    }
  });
  return { classes, files, labels: Int32Array.from(labels) };
}

/** Stacks decoded images into one batch tensor; all must share a size unless `size` is set. */
function stackImages(index: ImageFolderIndex, decoded: (i: number) => DecodedImage, opts: ReturnType<typeof checkOptions>): ImageFolder {
  const n = index.files.length;
  const first = decoded(0);
  const [h, w] = opts.size ?? [first.height, first.width];
  const per = opts.channels * h * w;
  const out = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    const img = i === 0 ? first : decoded(i);
    if (opts.size === undefined && (img.height !== h || img.width !== w)) {
      throw new ShapeError(
        `readImageFolder: '${index.files[i]}' is ${img.height}x${img.width} but '${index.files[0]}' is ${h}x${w}; ` +
          `pass size: [height, width] to resize every image`,
      );
    }
    writeImage(img, opts, out, i * per);
  }
  const shape = opts.dataFormat === 'NCHW' ? [n, opts.channels, h, w] : [n, h, w, opts.channels];
  return { ...index, x: new Tensor(out, shape, 'float32'), y: new Tensor(index.labels.slice(), [n], 'int32') };
}

/**
 * Reads every image of `root/<class>/<image>` into one float32 batch in [0, 1], with
 * int32 labels in the sorted order of the class folders.
 *
 * Shapes: x [N,C,H,W] (or [N,H,W,C] with dataFormat 'NHWC'), y [N].
 *
 * ```ts
 * const { x, y, classes } = await sd.data.readImageFolder('flowers/train', { size: [64, 64] });
 * ```
 */
export async function readImageFolder(root: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
  const opts = checkOptions('readImageFolder', options);
  const index = indexImageFolder(root, options);
  const bytes = await Promise.all(index.files.map((f) => readBytes('readImageFolder', f)));
  return stackImages(index, (i) => decodeImage(bytes[i], `'${index.files[i]}'`), opts);
}

/** The synchronous form of `readImageFolder`. */
export function readImageFolderSync(root: string, options: ImageFolderOptions = {}): ImageFolder {
  const opts = checkOptions('readImageFolder', options);
  const index = indexImageFolder(root, options);
  return stackImages(index, (i) => decodeImage(readBytesSync('readImageFolder', index.files[i]), `'${index.files[i]}'`), opts);
}

/**
 * An image folder as a dataset that decodes each image when it is asked for, for folders
 * too large for memory: element i is `[image [C,H,W], label]`, with random access, so a
 * DataLoader can shuffle and batch it. Give `size` when the images differ in size.
 *
 * ```ts
 * const ds = sd.data.imageFolderDataset('photos/train', { size: [128, 128] });
 * const loader = new sd.data.DataLoader(ds, { batchSize: 32, shuffle: true });
 * ```
 */
export function imageFolderDataset(root: string, options: ImageFolderOptions = {}): Dataset<[Tensor, number]> & { classes: string[] } {
  const opts = checkOptions('imageFolderDataset', options);
  const index = indexImageFolder(root, options);
  const item = (i: number): [Tensor, number] => [
    imageTensor(decodeImage(readBytesSync('imageFolderDataset', index.files[i]), `'${index.files[i]}'`), opts),
    index.labels[i],
  ];
  const n = index.files.length;
  const ds = new Dataset<[Tensor, number]>(
    function* () {
      for (let i = 0; i < n; i++) yield item(i);
    },
    n,
    item,
  );
  return Object.assign(ds, { classes: index.classes });
}
