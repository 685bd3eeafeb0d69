/**
 * Batch normalisation kernels over `(N, C, ...)` data seen as N blocks of C channels of `inner`
 * numbers each (inner = H·W for images, 1 for `(N, C)`). Per channel c, over its M = N·inner
 * numbers, in the order and form of PyTorch's CPU kernels:
 *
 *   moments:   mean = Σx / M,  var = Σ(x - mean)² / M  (two passes, the biased variance)
 *   forward:   y = x·α + β',  α = γ·invStd,  β' = β - mean·α,  invStd = 1 / sqrt(var + eps)
 *   backward (xc = x - mean, with the batch's own statistics, so the gradient also flows
 *   through mean and var):
 *              dβ = Σg,  dγ = Σ g·xc · invStd,
 *              dx = (g - Σg / M - xc · (Σ g·xc) · invStd² / M) · invStd·γ
 *   backward with given statistics (running ones, constants): dx = g · invStd·γ.
 *
 * One fused kernel instead of the ten or so broadcast passes (and their temporary arrays) that
 * composing mean, variance, sub, div, mul and add costs.
 */

/** Per-channel mean and biased variance of `x`, into `mean` and `variance` (length C each). */
export function channelMoments(x: Float64Array, n: number, c: number, inner: number, mean: Float64Array, variance: Float64Array): void {
  const m = n * inner;
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    for (let b = 0; b < n; b++) {
      const start = (b * c + ch) * inner;
      for (let p = start; p < start + inner; p++) sum += x[p]!;
    }
    const mu = sum / m;
    let squares = 0;
    for (let b = 0; b < n; b++) {
      const start = (b * c + ch) * inner;
      for (let p = start; p < start + inner; p++) {
        const d = x[p]! - mu;
        squares += d * d;
      }
    }
    mean[ch] = mu;
    variance[ch] = squares / m;
  }
}

/** y = x·α + β' per channel (see the file comment); `y` may not alias `x`. */
export function batchNormForward(
  x: Float64Array, n: number, c: number, inner: number,
  mean: Float64Array, invStd: Float64Array, gamma: Float64Array, beta: Float64Array, y: Float64Array,
): void {
  for (let ch = 0; ch < c; ch++) {
    const alpha = invStd[ch]! * gamma[ch]!;
    const shift = beta[ch]! - mean[ch]! * alpha;
    for (let b = 0; b < n; b++) {
      const start = (b * c + ch) * inner;
      for (let p = start; p < start + inner; p++) y[p] = x[p]! * alpha + shift;
    }
  }
}

/** Where the gradients go: null where one is not needed. */
export interface BatchNormGrads {
  x: Float64Array | null;
  gamma: Float64Array | null;
  beta: Float64Array | null;
}

/**
 * Gradients of the forward pass above from g = dL/dy (see the file comment). `batchStats`:
 * mean and invStd are the batch's own statistics (training) rather than constants.
 */
export function batchNormBackward(
  g: Float64Array, x: Float64Array, n: number, c: number, inner: number,
  mean: Float64Array, invStd: Float64Array, gamma: Float64Array, batchStats: boolean, out: BatchNormGrads,
): void {
  const m = n * inner;
  for (let ch = 0; ch < c; ch++) {
    const mu = mean[ch]!;
    const is = invStd[ch]!;
    let sumG = 0;
    let dot = 0; // Σ g·(x - mean)
    for (let b = 0; b < n; b++) {
      const start = (b * c + ch) * inner;
      for (let p = start; p < start + inner; p++) {
        sumG += g[p]!;
        dot += g[p]! * (x[p]! - mu);
      }
    }
    if (out.beta) out.beta[ch] = sumG;
    if (out.gamma) out.gamma[ch] = dot * is;
    const gx = out.x;
    if (!gx) continue;
    const scale = is * gamma[ch]!;
    if (!batchStats) {
      for (let b = 0; b < n; b++) {
        const start = (b * c + ch) * inner;
        for (let p = start; p < start + inner; p++) gx[p] = g[p]! * scale;
      }
      continue;
    }
    const gMean = sumG / m;
    const k = (dot * is * is) / m;
    for (let b = 0; b < n; b++) {
      const start = (b * c + ch) * inner;
      for (let p = start; p < start + inner; p++) gx[p] = (g[p]! - gMean - (x[p]! - mu) * k) * scale;
    }
  }
}
