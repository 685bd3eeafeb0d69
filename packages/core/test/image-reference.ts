/**
 * Naive reference loops for the image ops, written straight from the definitions (PyTorch's
 * docs), independent of im2col, gemm and the window helpers: one output element at a time.
 */
import { MLArray, createRng, type Shape } from '../src/index.js';

type P = readonly [number, number];

/** out[n, o, i, j] = sum_{c, a, b} x[n, c, i*sh - ph + a, j*sw - pw + b] * w[o, c, a, b] (0 outside). */
export function naiveConv2d(x: MLArray, w: MLArray, [sh, sw]: P, [ph, pw]: P): MLArray {
  const [n, c, h, wd] = x.shape as number[] as [number, number, number, number];
  const [o, , kh, kw] = w.shape as number[] as [number, number, number, number];
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((wd + 2 * pw - kw) / sw) + 1;
  const out = new Float64Array(n * o * oh * ow);
  let t = 0;
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < o; q++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++, t++) {
          let s = 0;
          for (let ch = 0; ch < c; ch++) {
            for (let a = 0; a < kh; a++) {
              for (let e = 0; e < kw; e++) {
                const r = i * sh - ph + a;
                const col = j * sw - pw + e;
                if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                s += x.data[((b * c + ch) * h + r) * wd + col]! * w.data[((q * c + ch) * kh + a) * kw + e]!;
              }
            }
          }
          out[t] = s;
        }
      }
    }
  }
  return new MLArray(out, [n, o, oh, ow]);
}

/**
 * Max pooling with −∞ padding: values, and the gradient of sum(out * g) routed to the first
 * maximum of each window in row-major order (or the first NaN).
 */
export function naiveMaxPool2d(x: MLArray, [kh, kw]: P, [sh, sw]: P, [ph, pw]: P, g?: MLArray): { out: MLArray; gx: Float64Array } {
  const [n, c, h, w] = x.shape as number[] as [number, number, number, number];
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  const out = new Float64Array(n * c * oh * ow);
  const gx = new Float64Array(x.size);
  let t = 0;
  for (let p = 0; p < n * c; p++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, t++) {
        let best = -Infinity;
        let at = -1;
        for (let a = 0; a < kh; a++) {
          for (let b = 0; b < kw; b++) {
            const r = i * sh - ph + a;
            const col = j * sw - pw + b;
            const inside = r >= 0 && r < h && col >= 0 && col < w;
            const v = inside ? x.data[(p * h + r) * w + col]! : -Infinity;
            if (at === -1 && inside) at = (p * h + r) * w + col; // PyTorch starts at the first real element
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = (p * h + r) * w + col;
            }
          }
        }
        out[t] = best;
        if (g && at >= 0) gx[at]! += g.data[t]!;
      }
    }
  }
  return { out: new MLArray(out, [n, c, oh, ow]), gx };
}

/** Mean over each window (no padding). */
export function naiveAvgPool2d(x: MLArray, [kh, kw]: P, [sh, sw]: P): MLArray {
  const [n, c, h, w] = x.shape as number[] as [number, number, number, number];
  const oh = Math.floor((h - kh) / sh) + 1;
  const ow = Math.floor((w - kw) / sw) + 1;
  const out = new Float64Array(n * c * oh * ow);
  let t = 0;
  for (let p = 0; p < n * c; p++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, t++) {
        let s = 0;
        for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) s += x.data[(p * h + i * sh + a) * w + j * sw + b]!;
        out[t] = s / (kh * kw);
      }
    }
  }
  return new MLArray(out, [n, c, oh, ow]);
}

/** Seeded data in ±[0.15, 1.65], all values distinct (no max-pool ties, no kinks). */
export function distinctArray(shape: Shape, seed: number): MLArray {
  const rng = createRng(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const mag = 0.15 + 1.5 * rng.uniform() + i * 1e-3;
    data[i] = rng.uniform() < 0.5 ? mag : -mag;
  }
  return new MLArray(data, [...shape]);
}

/** Seeded small integers in [-levels, levels]: many ties. */
export function tiedArray(shape: Shape, seed: number, levels = 1): MLArray {
  const rng = createRng(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  return new MLArray(Float64Array.from({ length: size }, () => Math.floor(rng.uniform() * (2 * levels + 1)) - levels), [...shape]);
}
