/**
 * Pooling over `planes` consecutive (H, W) planes (N·C of an NCHW array), output planes of
 * (oh, ow) in the same order. Windows are clipped to the plane: for max pooling that is the
 * same as padding with −∞ (every window holds at least one real number because padding is at
 * most half the kernel), and average pooling has no padding.
 */
import { type Window2d, clippedWindows } from './window.js';

/**
 * For every output position, the flat index into x of its window's maximum, as PyTorch picks
 * it: windows are scanned row by row and a number replaces the current maximum only when it is
 * strictly greater (the first of tied maxima wins) or NaN (NaN propagates). Forward reads the
 * maxima through these indices; backward routes each gradient to them.
 */
export function maxPoolArgmax(x: Float64Array, planes: number, g: Window2d, idx: Int32Array): void {
  const { h, w, oh, ow } = g;
  const rows = clippedWindows(oh, h, g.kh, g.sh, g.ph);
  const cols = clippedWindows(ow, w, g.kw, g.sw, g.pw);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < oh; i++) {
      const r0 = rows[2 * i]!;
      const r1 = rows[2 * i + 1]!;
      for (let j = 0; j < ow; j++, o++) {
        const c0 = cols[2 * j]!;
        const c1 = cols[2 * j + 1]!;
        let at = base + r0 * w + c0;
        let best = x[at]!;
        for (let r = r0; r < r1; r++) {
          const row = base + r * w;
          for (let c = c0; c < c1; c++) {
            const v = x[row + c]!;
            if (v > best || v !== v) {
              best = v;
              at = row + c;
            }
          }
        }
        idx[o] = at;
      }
    }
  }
}

/** Whether `g` is the common 2 x 2, stride 2, unpadded window, which has the unrolled kernels below. */
export function isPool2x2(g: Window2d): boolean {
  return g.kh === 2 && g.kw === 2 && g.sh === 2 && g.sw === 2 && g.ph === 0 && g.pw === 0;
}

/**
 * The flat index into x of the maximum of the 2 x 2 window whose top-left number is at `at`,
 * chosen exactly as maxPoolArgmax does (row-major scan, strictly greater or NaN replaces).
 */
function argmax2x2(x: Float64Array, at: number, w: number): number {
  let best = x[at]!;
  let arg = at;
  let v = x[at + 1]!;
  if (v > best || v !== v) { best = v; arg = at + 1; }
  v = x[at + w]!;
  if (v > best || v !== v) { best = v; arg = at + w; }
  v = x[at + w + 1]!;
  if (v > best || v !== v) arg = at + w + 1;
  return arg;
}

/** Max pooling with 2 x 2 windows, stride 2, no padding: out[o] = x[argmax of window o]. */
export function maxPool2x2Forward(x: Float64Array, planes: number, g: Window2d, out: Float64Array): void {
  const { h, w, oh, ow } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      let at = p * h * w + 2 * i * w;
      for (let j = 0; j < ow; j++, o++, at += 2) out[o] = x[argmax2x2(x, at, w)]!;
    }
  }
}

/** The argmax of every 2 x 2 window into idx (what maxPoolArgmax gives for this window, faster). */
export function maxPool2x2Argmax(x: Float64Array, planes: number, g: Window2d, idx: Int32Array): void {
  const { h, w, oh, ow } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      let at = p * h * w + 2 * i * w;
      for (let j = 0; j < ow; j++, o++, at += 2) idx[o] = argmax2x2(x, at, w);
    }
  }
}

/** Its gradient: gx[argmax of window o] += gOut[o] (gx starts at zero; windows do not overlap). */
export function maxPool2x2Backward(x: Float64Array, gOut: Float64Array, planes: number, g: Window2d, gx: Float64Array): void {
  const { h, w, oh, ow } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      let at = p * h * w + 2 * i * w;
      for (let j = 0; j < ow; j++, o++, at += 2) gx[argmax2x2(x, at, w)]! += gOut[o]!;
    }
  }
}

/** out = the mean of each window (sum / (kh·kw)); windows lie inside the plane (no padding). */
export function avgPoolForward(x: Float64Array, planes: number, g: Window2d, out: Float64Array): void {
  const { h, w, kh, kw, sh, sw, oh, ow } = g;
  const area = kh * kw;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o++) {
        let s = 0;
        let row = base + i * sh * w + j * sw;
        for (let r = 0; r < kh; r++, row += w) for (let c = 0; c < kw; c++) s += x[row + c]!;
        out[o] = s / area;
      }
    }
  }
}

/** gx[window] += g / (kh·kw) for every output position: each input shares its window's gradient equally. */
export function avgPoolBackward(gOut: Float64Array, planes: number, g: Window2d, gx: Float64Array): void {
  const { h, w, kh, kw, sh, sw, oh, ow } = g;
  const area = kh * kw;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o++) {
        const v = gOut[o]! / area;
        let row = base + i * sh * w + j * sw;
        for (let r = 0; r < kh; r++, row += w) for (let c = 0; c < kw; c++) gx[row + c]! += v;
      }
    }
  }
}
