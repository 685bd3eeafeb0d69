/**
 * Softmax-family kernels along one axis ((outer, n, inner) split, see reduce.ts).
 * All subtract the running maximum first: exp(x - max) never overflows, and the largest
 * term is exactly 1, so the sum is >= 1 and its log is safe (the log-sum-exp trick).
 */

export type SoftmaxMode = 'softmax' | 'logSoftmax';

export function softmaxAxis(
  x: Float64Array,
  outer: number,
  n: number,
  inner: number,
  out: Float64Array,
  mode: SoftmaxMode,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const start = o * n * inner + j;
      const end = start + n * inner;
      let m = -Infinity;
      for (let p = start; p < end; p += inner) if (x[p]! > m) m = x[p]!;
      if (m === -Infinity || m === Infinity) m = 0; // all -inf, or an inf: let IEEE decide
      let s = 0;
      if (mode === 'softmax') {
        for (let p = start; p < end; p += inner) {
          const e = Math.exp(x[p]! - m);
          out[p] = e;
          s += e;
        }
        const inv = 1 / s;
        for (let p = start; p < end; p += inner) out[p]! *= inv;
      } else {
        for (let p = start; p < end; p += inner) s += Math.exp(x[p]! - m);
        // (x - m) - log(s), not x - (m + log s): the latter cancels catastrophically for large m
        const logS = Math.log(s);
        for (let p = start; p < end; p += inner) out[p] = x[p]! - m - logS;
      }
    }
  }
}

/** out[(o, j)] = log(sum_r exp(x[(o, r, j)])), stably. */
export function logsumexpAxis(x: Float64Array, outer: number, n: number, inner: number, out: Float64Array): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const start = o * n * inner + j;
      const end = start + n * inner;
      let m = -Infinity;
      for (let p = start; p < end; p += inner) if (x[p]! > m) m = x[p]!;
      if (m === -Infinity || m === Infinity) {
        out[o * inner + j] = m;
        continue;
      }
      let s = 0;
      for (let p = start; p < end; p += inner) s += Math.exp(x[p]! - m);
      out[o * inner + j] = m + Math.log(s);
    }
  }
}
