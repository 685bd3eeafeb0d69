/**
 * Pooling over NCHW arrays (each (H, W) plane on its own).
 * maxPool2d: y = max of each window (padding counts as −∞); the gradient flows only to the
 *   element that was picked (PyTorch's: the first maximum in row-major order on ties), so
 *   dx[argmax] += g. The argmax is recomputed in backward rather than kept by the graph.
 * avgPool2d: y = sum of each window / (kh·kw); every element of a window receives g / (kh·kw).
 */
import { avgPoolBackward, avgPoolForward, isPool2x2, maxPool2x2Argmax, maxPool2x2Backward, maxPool2x2Forward, maxPoolArgmax } from '../kernels/pool.js';
import { type Window2d, window2d } from '../kernels/window.js';
import type { Shape } from '../shape-types.js';
import type { MaxPool2dParams, Pool2dParams, Rule, RuleTable, Tensor } from './types.js';

function planes(xs: Shape, { kernel, stride }: Pool2dParams, padding: readonly [number, number]): [number, Window2d, Shape] {
  const [n, c, h, w] = xs as [number, number, number, number];
  const g = window2d(h, w, kernel, stride, padding);
  return [n * c, g, [n, c, g.oh, g.ow]];
}

/**
 * The flat index into x of every window's maximum, as the rule picks it (first maximum, NaN
 * wins): a replayed step (trace/replay.ts) computes these once in forward and reuses them in
 * backward, where the rule, which keeps nothing in the graph, finds them again.
 */
export function maxPool2dArgmax(x: Tensor, params: MaxPool2dParams, idx: Int32Array): void {
  const [count, g] = planes(x.shape, params, params.padding);
  if (isPool2x2(g)) maxPool2x2Argmax(x.data, count, g, idx);
  else maxPoolArgmax(x.data, count, g, idx);
}

const maxPool2d: Rule<MaxPool2dParams> = {
  forward([x], params) {
    const [count, g, shape] = planes(x!.shape, params, params.padding);
    if (isPool2x2(g)) {
      const out = new Float64Array(count * g.oh * g.ow);
      maxPool2x2Forward(x!.data, count, g, out);
      return { data: out, shape };
    }
    const idx = new Int32Array(count * g.oh * g.ow);
    maxPoolArgmax(x!.data, count, g, idx);
    const out = new Float64Array(idx.length);
    for (let o = 0; o < idx.length; o++) out[o] = x!.data[idx[o]!]!;
    return { data: out, shape };
  },
  backward(gOut, { inputs: [x], params }) {
    const [count, g] = planes(x!.shape, params, params.padding);
    const gx = new Float64Array(x!.data.length);
    if (isPool2x2(g)) {
      maxPool2x2Backward(x!.data, gOut, count, g, gx);
      return [gx];
    }
    const idx = new Int32Array(gOut.length);
    maxPoolArgmax(x!.data, count, g, idx);
    for (let o = 0; o < idx.length; o++) gx[idx[o]!]! += gOut[o]!;
    return [gx];
  },
};

const avgPool2d: Rule<Pool2dParams> = {
  forward([x], params) {
    const [count, g, shape] = planes(x!.shape, params, [0, 0]);
    const out = new Float64Array(count * g.oh * g.ow);
    avgPoolForward(x!.data, count, g, out);
    return { data: out, shape };
  },
  backward(gOut, { inputs: [x], params }) {
    const [count, g] = planes(x!.shape, params, [0, 0]);
    const gx = new Float64Array(x!.data.length);
    avgPoolBackward(gOut, count, g, gx);
    return [gx];
  },
};

export const poolRules = { maxPool2d, avgPool2d } satisfies Partial<RuleTable>;
