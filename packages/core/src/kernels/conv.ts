/**
 * im2col and col2im: the packing that turns a convolution into one matrix product per image.
 *
 * For an image x (C, H, W) and a kernel of (kh, kw), the patch matrix `cols` is
 * (C·kh·kw) x (oh·ow): row (c, ki, kj) holds, for every output position (i, j), the input
 * number under kernel tap (ki, kj) of channel c, i.e. x[c, i*sh - ph + ki, j*sw - pw + kj]
 * (0 in the padding). Then the convolution of weights W (Cout, C·kh·kw) is W @ cols, laid
 * out (Cout, oh·ow): exactly the NCHW output of that image, no transpose needed.
 * Rows are written one after another, each a strided copy of one input row per output row,
 * so both reads and writes walk memory in order.
 *
 * col2im is the adjoint (the transpose of that linear map): it adds every entry of a patch
 * matrix back onto the input position it was read from. The gradient of the input is
 * col2im(W^T @ g).
 */
import type { Window2d } from './window.js';
import { validColumns } from './window.js';

/** Writes the patch matrix of the image at x[xOff ..] (c planes of g.h x g.w) into cols. */
export function im2col(x: Float64Array, xOff: number, c: number, g: Window2d, cols: Float64Array): void {
  const { h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  if (sh === 1 && sw === 1 && ow === w) {
    im2colSame(x, xOff, c, g, cols);
    return;
  }
  let d = 0;
  for (let ch = 0; ch < c; ch++) {
    const plane = xOff + ch * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const [lo, hi] = validColumns(g, kj);
        for (let i = 0; i < oh; i++, d += ow) {
          const row = i * sh - ph + ki;
          if (row < 0 || row >= h) {
            cols.fill(0, d, d + ow);
            continue;
          }
          for (let j = 0; j < lo; j++) cols[d + j] = 0;
          let s = plane + row * w + lo * sw - pw + kj;
          for (let j = lo; j < hi; j++, s += sw) cols[d + j] = x[s]!;
          for (let j = hi; j < ow; j++) cols[d + j] = 0;
        }
      }
    }
  }
}

/**
 * im2col for stride 1 with as many output columns as input columns (a 'same' convolution such
 * as 3 x 3 with padding 1): then output row i of tap (ki, kj) reads input row i - ph + ki from
 * column kj - pw on, so the rows of a tap that fall inside the plane form one contiguous run of
 * the input, shifted. One block copy per tap (memcpy speed instead of a loop per row), then
 * the at most |kj - pw| entries per row that the shift wrapped in from the neighbouring row are
 * set to the padding's 0, and the rows outside the plane are zero-filled. The same numbers as
 * the general loop, written faster.
 */
function im2colSame(x: Float64Array, xOff: number, c: number, g: Window2d, cols: Float64Array): void {
  const { h, w, kh, kw, ph, pw, oh, ow } = g;
  let d = 0;
  for (let ch = 0; ch < c; ch++) {
    const plane = xOff + ch * h * w;
    for (let ki = 0; ki < kh; ki++) {
      // output rows [i0, i1) read input rows i - ph + ki inside [0, h)
      const i0 = Math.min(oh, Math.max(0, ph - ki));
      const i1 = Math.max(i0, Math.min(oh, h + ph - ki));
      for (let kj = 0; kj < kw; kj++, d += oh * ow) {
        const [lo, hi] = validColumns(g, kj);
        cols.fill(0, d, d + i0 * ow);
        cols.fill(0, d + i1 * ow, d + oh * ow);
        if (i1 === i0 || hi === lo) {
          cols.fill(0, d + i0 * ow, d + i1 * ow);
          continue;
        }
        // cols[d + i*ow + j] = x[plane + (i - ph + ki)*w + j - pw + kj]: a constant offset
        const shift = plane + (ki - ph) * w - pw + kj - d;
        const from = d + i0 * ow + lo;
        const to = d + (i1 - 1) * ow + hi;
        cols.set(x.subarray(from + shift, to + shift), from);
        for (let i = i0; i < i1; i++) {
          const r = d + i * ow;
          for (let j = 0; j < lo; j++) cols[r + j] = 0;
          for (let j = hi; j < ow; j++) cols[r + j] = 0;
        }
      }
    }
  }
}

/**
 * Adds every entry of the patch matrix `cols` onto gx[gxOff ..] where im2col read it (padding
 * entries are dropped). `cols` is scratch: its padding entries may be overwritten with 0.
 * gx must not hold -0 (a fresh zero array never does, nor does any sum added onto one).
 */
export function col2im(cols: Float64Array, c: number, g: Window2d, gx: Float64Array, gxOff: number): void {
  const { h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  if (sh === 1 && sw === 1 && ow === w) {
    col2imSame(cols, c, g, gx, gxOff);
    return;
  }
  let d = 0;
  for (let ch = 0; ch < c; ch++) {
    const plane = gxOff + ch * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const [lo, hi] = validColumns(g, kj);
        for (let i = 0; i < oh; i++, d += ow) {
          const row = i * sh - ph + ki;
          if (row < 0 || row >= h) continue;
          const s = plane + row * w - pw + kj; // + j * sw
          if (sw === 1) for (let j = lo; j < hi; j++) gx[s + j]! += cols[d + j]!;
          else for (let j = lo; j < hi; j++) gx[s + j * sw]! += cols[d + j]!;
        }
      }
    }
  }
}

/**
 * col2im for the geometry of im2colSame: the in-plane rows of a tap are one contiguous run of gx
 * at a constant offset, so after zeroing the entries that the shift wraps onto the neighbouring
 * row (they belong to the padding) one flat loop adds the whole run. Each gx entry receives
 * the same contributions in the same tap order as in the general loop, plus exact zeros, which
 * change nothing (x + 0 = x for every x but -0, see col2im).
 */
function col2imSame(cols: Float64Array, c: number, g: Window2d, gx: Float64Array, gxOff: number): void {
  const { h, w, kh, kw, ph, pw, oh, ow } = g;
  let d = 0;
  for (let ch = 0; ch < c; ch++) {
    const plane = gxOff + ch * h * w;
    for (let ki = 0; ki < kh; ki++) {
      const i0 = Math.min(oh, Math.max(0, ph - ki));
      const i1 = Math.max(i0, Math.min(oh, h + ph - ki));
      for (let kj = 0; kj < kw; kj++, d += oh * ow) {
        const [lo, hi] = validColumns(g, kj);
        if (i1 === i0 || hi === lo) continue;
        for (let i = i0; i < i1; i++) {
          const r = d + i * ow;
          for (let j = 0; j < lo; j++) cols[r + j] = 0;
          for (let j = hi; j < ow; j++) cols[r + j] = 0;
        }
        const shift = plane + (ki - ph) * w - pw + kj - d;
        const to = d + (i1 - 1) * ow + hi;
        for (let t = d + i0 * ow + lo; t < to; t++) gx[t + shift]! += cols[t]!;
      }
    }
  }
}

/**
 * Above this many numbers (8 MiB) a patch buffer is not kept between calls: a one-off huge
 * convolution must not pin its memory for the rest of the program.
 */
export const SCRATCH_LIMIT = 1 << 20;
let scratch = new Float64Array(0);

/**
 * A buffer of `n` numbers for one image's patch matrix. Convolutions are synchronous and use
 * one image's patches at a time, so a single buffer, reused across images, calls and the
 * forward and backward passes, is enough: the graph never holds patches.
 */
export function patchBuffer(n: number): Float64Array {
  if (n > SCRATCH_LIMIT) return new Float64Array(n);
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, Math.min(SCRATCH_LIMIT, 2 * scratch.length)));
  return scratch.subarray(0, n);
}

/** How many numbers the reused patch buffer holds now (for memory tests). */
export function retainedPatchBuffer(): number {
  return scratch.length;
}
