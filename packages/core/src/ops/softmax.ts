/**
 * softmax, logSoftmax and logsumexp along one axis, fused for stability and speed
 * (the kernels subtract the maximum first). Their gradients, per slice along the axis:
 *   softmax:    gx = y * (g - sum(g * y))
 *   logSoftmax: gx = g - softmax(x) * sum(g),   softmax(x) = exp(y)
 *   logsumexp:  gx = g * exp(x - out) = g * softmax(x)
 */
import { type SoftmaxMode, logsumexpAxis, softmaxAxis } from '../kernels/softmax.js';
import { axisSplit, reducedShape } from '../shape.js';
import type { PrimitiveParams, Rule, RuleTable, Tensor } from './types.js';

type AxisP = PrimitiveParams['softmax'];

/** Calls fn(start, end, step) for every 1-d slice along `axis`. */
function eachSlice(shape: readonly number[], axis: number, fn: (start: number, end: number, step: number, k: number) => void): void {
  const [outer, n, inner] = axisSplit(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const start = o * n * inner + j;
      fn(start, start + n * inner, inner, o * inner + j);
    }
  }
}

/** Runs the fused softmax / logSoftmax kernel along `axis` into a new array. */
function alongAxis(x: Tensor, axis: number, mode: SoftmaxMode): Tensor {
  const y = new Float64Array(x.data.length);
  const [outer, n, inner] = axisSplit(x.shape, axis);
  softmaxAxis(x.data, outer, n, inner, y, mode);
  return { data: y, shape: x.shape };
}

/** gx = y * (g - sum(g * y)) per slice of the softmax output y: softmax's backward, into gx. */
export function softmaxVjp(g: Float64Array, y: Float64Array, shape: readonly number[], axis: number, gx: Float64Array): void {
  eachSlice(shape, axis, (s, e, st) => {
    let dot = 0;
    for (let p = s; p < e; p += st) dot += g[p]! * y[p]!;
    for (let p = s; p < e; p += st) gx[p] = y[p]! * (g[p]! - dot);
  });
}

/** gx = g - exp(y) * sum(g) per slice of the logSoftmax output y: logSoftmax's backward, into gx. */
export function logSoftmaxVjp(g: Float64Array, y: Float64Array, shape: readonly number[], axis: number, gx: Float64Array): void {
  eachSlice(shape, axis, (s, e, st) => {
    let total = 0;
    for (let p = s; p < e; p += st) total += g[p]!;
    for (let p = s; p < e; p += st) gx[p] = g[p]! - Math.exp(y[p]!) * total;
  });
}

const softmax: Rule<AxisP> = {
  reads: ['out'],
  forward: ([x], { axis }) => alongAxis(x!, axis, 'softmax'),
  backward(g, { out, params: { axis } }) {
    const gx = new Float64Array(g.length);
    softmaxVjp(g, out.data, out.shape, axis, gx);
    return [gx];
  },
};

const logSoftmax: Rule<AxisP> = {
  reads: ['out'],
  forward: ([x], { axis }) => alongAxis(x!, axis, 'logSoftmax'),
  backward(g, { out, params: { axis } }) {
    const gx = new Float64Array(g.length);
    logSoftmaxVjp(g, out.data, out.shape, axis, gx);
    return [gx];
  },
};

const logsumexp: Rule<PrimitiveParams['logsumexp']> = {
  reads: [0],
  forward([x], { axis, keepdims }) {
    const [outer, n, inner] = axisSplit(x!.shape, axis);
    const out = new Float64Array(outer * inner);
    logsumexpAxis(x!.data, outer, n, inner, out);
    return { data: out, shape: reducedShape(x!.shape, [axis], keepdims) };
  },
  backward(g, { inputs: [x], params: { axis } }) {
    // softmax recomputed with the max subtracted: exp(x - out) would carry out's rounding error
    const gx = new Float64Array(x!.data.length);
    const [outer, n, inner] = axisSplit(x!.shape, axis);
    softmaxAxis(x!.data, outer, n, inner, gx, 'softmax');
    eachSlice(x!.shape, axis, (s, e, st, k) => {
      for (let p = s; p < e; p += st) gx[p]! *= g[k]!;
    });
    return [gx];
  },
};

export const softmaxRules = { softmax, logSoftmax, logsumexp } satisfies Partial<RuleTable>;
