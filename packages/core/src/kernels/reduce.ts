/**
 * Reductions along one axis, described by the (outer, n, inner) split of the shape:
 * element (o, r, j) lives at (o * n + r) * inner + j and reduces into out[o * inner + j].
 * Several axes are reduced one after another by the ops layer.
 */
import { zeroPrefix } from './layout.js';

export function sumAxis(x: Float64Array, outer: number, n: number, inner: number, out: Float64Array): void {
  zeroPrefix(out, outer * inner);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let r = 0; r < n; r++) {
      const xb = (o * n + r) * inner;
      for (let j = 0; j < inner; j++) out[ob + j]! += x[xb + j]!;
    }
  }
}

/**
 * Sums of the blocks of an (outer, mid, rows, cols) array into out (mid): out[c] = sum over
 * o, r, j of x[((o * mid + c) * rows + r) * cols + j], e.g. the gradient of a per-channel bias
 * (N, C, H, W) -> (C). One pass, no intermediate arrays, and the same additions in the same
 * order as summing the cols axis, then rows, then outer with sumAxis (so the same bits).
 * With `accumulate`, out is not zeroed first: summing the outer blocks one call at a time
 * (conv2d's bias gradient, image by image) then gives the same bits as one call over all.
 */
export function sumBlocks(x: Float64Array, outer: number, mid: number, rows: number, cols: number, out: Float64Array, accumulate = false): void {
  if (!accumulate) out.fill(0, 0, mid);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < mid; c++) {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        let t = 0;
        const end = i + cols;
        for (; i < end; i++) t += x[i]!;
        s += t;
      }
      out[c]! += s;
    }
  }
}

/** Max (sign = 1) or min (sign = -1) along an axis; NaN propagates. */
export function extremumAxis(
  x: Float64Array,
  outer: number,
  n: number,
  inner: number,
  out: Float64Array,
  sign: 1 | -1,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = sign * -Infinity;
      let p = o * n * inner + j;
      for (let r = 0; r < n; r++, p += inner) {
        const v = x[p]!;
        if (v !== v) { best = NaN; break; }
        if (sign * v > sign * best) best = v;
      }
      out[o * inner + j] = best;
    }
  }
}

/** Index of the first maximum along an axis. */
export function argmaxAxis(x: Float64Array, outer: number, n: number, inner: number, out: Float64Array): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = -Infinity;
      let arg = 0;
      let p = o * n * inner + j;
      for (let r = 0; r < n; r++, p += inner) {
        const v = x[p]!;
        if (v > best || (r === 0 && v === -Infinity)) { best = v; arg = r; }
      }
      out[o * inner + j] = arg;
    }
  }
}
