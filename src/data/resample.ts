/**
 * Resampling of single image planes (one channel, H×W, row-major, inside a larger typed
 * array at an offset): bilinear resize of a crop, and an affine warp. Used by the image
 * reader (resize on load) and the augmentations (rotation, translation, crop and resize).
 */

/** A plane: `data[offset + y * width + x]`. */
export interface Plane {
  data: ArrayLike<number> & { [i: number]: number };
  offset: number;
  height: number;
  width: number;
}

/** A rectangle of a plane, in pixels. */
export interface Box {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Resizes the `box` of `src` to fill `dst`, bilinearly, with half-pixel centres as
 * PyTorch's interpolate(align_corners=False) and tf.image.resize: output pixel y samples
 * source row top + (y + 0.5)·(box.height / dst.height) − 0.5, clamped to the plane.
 */
export function resizeBilinear(src: Plane, dst: Plane, box: Box = { top: 0, left: 0, height: src.height, width: src.width }): void {
  const sy = box.height / dst.height;
  const sx = box.width / dst.width;
  const xs = axisWeights(dst.width, box.left, sx, src.width);
  for (let y = 0; y < dst.height; y++) {
    const fy = clamp(box.top + (y + 0.5) * sy - 0.5, 0, src.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const wy = fy - y0;
    const r0 = src.offset + y0 * src.width;
    const r1 = src.offset + y1 * src.width;
    const out = dst.offset + y * dst.width;
    for (let x = 0; x < dst.width; x++) {
      const x0 = xs.lo[x];
      const x1 = xs.hi[x];
      const wx = xs.w[x];
      const top = src.data[r0 + x0] * (1 - wx) + src.data[r0 + x1] * wx;
      const bottom = src.data[r1 + x0] * (1 - wx) + src.data[r1 + x1] * wx;
      dst.data[out + x] = top * (1 - wy) + bottom * wy;
    }
  }
}

/** Per output column: the two source columns and the weight of the second. */
function axisWeights(n: number, start: number, scale: number, limit: number) {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = clamp(start + (i + 0.5) * scale - 0.5, 0, limit - 1);
    lo[i] = Math.floor(f);
    hi[i] = Math.min(lo[i] + 1, limit - 1);
    w[i] = f - lo[i];
  }
  return { lo, hi, w };
}

/**
 * Warps `src` into `dst` (same size) by an affine map given as its inverse: output pixel
 * (x, y) takes the source value at (m[0]x + m[1]y + m[2], m[3]x + m[4]y + m[5]),
 * bilinearly, with `fill` outside the source. `nearest` picks the closest pixel instead.
 */
export function warpAffine(src: Plane, dst: Plane, m: readonly number[], fill: number, nearest = false): void {
  const { height: h, width: w } = src;
  const at = (yy: number, xx: number): number =>
    yy >= 0 && yy < h && xx >= 0 && xx < w ? src.data[src.offset + yy * w + xx] : fill;
  for (let y = 0; y < dst.height; y++) {
    for (let x = 0; x < dst.width; x++) {
      const sx = m[0] * x + m[1] * y + m[2];
      const sy = m[3] * x + m[4] * y + m[5];
      let v: number;
      if (nearest) {
        v = at(Math.round(sy), Math.round(sx));
      } else {
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const wx = sx - x0;
        const wy = sy - y0;
        v =
          (at(y0, x0) * (1 - wx) + at(y0, x0 + 1) * wx) * (1 - wy) +
          (at(y0 + 1, x0) * (1 - wx) + at(y0 + 1, x0 + 1) * wx) * wy;
      }
      dst.data[dst.offset + y * dst.width + x] = v;
    }
  }
}

/**
 * The inverse map, for `warpAffine`, of rotating by `degrees` (counter-clockwise on screen)
 * about the image centre and then shifting by (dx, dy) pixels.
 */
export function rotateShiftInverse(height: number, width: number, degrees: number, dx: number, dy: number): number[] {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  // source = R(θ)ᵀ·(out − c − d) + c, with y pointing down so a positive angle turns counter-clockwise
  const ox = -cx - dx;
  const oy = -cy - dy;
  return [cos, -sin, cos * ox - sin * oy + cx, sin, cos, sin * ox + cos * oy + cy];
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
