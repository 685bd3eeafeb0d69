/**
 * Geometry of a window sliding over one (H, W) image plane, shared by convolution and pooling:
 * window size (kh, kw), step (sh, sw), padding (ph, pw) on each side, and the output plane
 * (oh, ow). Output position (i, j) covers input rows i*sh - ph .. i*sh - ph + kh - 1 and
 * columns j*sw - pw .. j*sw - pw + kw - 1 (positions outside the plane are padding).
 */
export interface Window2d {
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly oh: number;
  readonly ow: number;
}

/** Number of window positions along one axis: floor((size + 2 padding - kernel) / stride) + 1 (PyTorch's floor mode). */
export function windowCount(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

export function window2d(
  h: number,
  w: number,
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
  [ph, pw]: readonly [number, number],
): Window2d {
  return { h, w, kh, kw, sh, sw, ph, pw, oh: windowCount(h, kh, sh, ph), ow: windowCount(w, kw, sw, pw) };
}

/**
 * The output columns whose window column `kj` lands inside the plane: j in [lo, hi) with
 * 0 <= j*sw - pw + kj < w. Columns outside read padding. Computing the range once per kernel
 * column keeps the bounds checks out of the inner copy loops.
 */
export function validColumns(g: Window2d, kj: number): [lo: number, hi: number] {
  const lo = Math.min(g.ow, Math.max(0, Math.ceil((g.pw - kj) / g.sw)));
  const hi = Math.min(g.ow, Math.max(lo, Math.ceil((g.w + g.pw - kj) / g.sw)));
  return [lo, hi];
}

/**
 * For each of `count` window positions along one axis, the window clipped to the input:
 * [start, end) at [2i], [2i + 1]. Computed once per call, so the pooling loops do no clipping
 * arithmetic per window.
 */
export function clippedWindows(count: number, size: number, kernel: number, stride: number, padding: number): Int32Array {
  const b = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) {
    b[2 * i] = Math.max(0, i * stride - padding);
    b[2 * i + 1] = Math.min(size, i * stride - padding + kernel);
  }
  return b;
}
