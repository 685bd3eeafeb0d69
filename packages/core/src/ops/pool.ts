/**
 * Pooling over NCHW arrays (each (H, W) plane on its own).
 * maxPool2d: y = max of each window (padding counts as −∞); the gradient flows only to the
 *   element that was picked (PyTorch's: the first maximum in row-major order on ties), so
 *   dx[argmax] += g. The argmax is recomputed in backward rather than kept by the graph.
 * avgPool2d: y = sum of each window / (kh·kw); every element of a window receives g / (kh·kw).
 */
import { avgPoolBackward, avgPoolForward, isPool2x2, maxPool2x2Backward, maxPool2x2Forward, maxPoolArgmax } from '../kernels/pool.js';
import { type Window2d, window2d } from '../kernels/window.js';
import type { Shape } from '../shape-types.js';
import type { MaxPool2dParams, Pool2dParams, Rule, RuleTable, Tensor } from './types.js';

function planes(xs: Shape, { kernel, stride }: Pool2dParams, padding: readonly [number, number]): [number, Window2d, Shape] {
  const [n, c, h, w] = xs as [number, number, number, number];
  const g = window2d(h, w, kernel, stride, padding);
  return [n * c, g, [n, c, g.oh, g.ow]];
}

/** maxPool2d's forward pass into `out` (every number written); also run by a replayed step (trace/replay.ts). */
export function maxPool2dForward(x: Tensor, params: MaxPool2dParams, out: Float64Array): void {
  const [count, g] = planes(x.shape, params, params.padding);
  if (isPool2x2(g)) {
    maxPool2x2Forward(x.data, count, g, out);
    return;
  }
  const idx = new Int32Array(out.length);
  maxPoolArgmax(x.data, count, g, idx);
  for (let o = 0; o < idx.length; o++) out[o] = x.data[idx[o]!]!;
}

/** maxPool2d's backward pass: adds each gradient onto its window's maximum in `gx` (zero on entry). */
export function maxPool2dBackward(gOut: Float64Array, x: Tensor, params: MaxPool2dParams, gx: Float64Array): void {
  const [count, g] = planes(x.shape, params, params.padding);
  if (isPool2x2(g)) {
    maxPool2x2Backward(x.data, gOut, count, g, gx);
    return;
  }
  const idx = new Int32Array(gOut.length);
  maxPoolArgmax(x.data, count, g, idx);
  for (let o = 0; o < idx.length; o++) gx[idx[o]!]! += gOut[o]!;
}

const maxPool2d: Rule<MaxPool2dParams> = {
  forward([x], params) {
    const [count, g, shape] = planes(x!.shape, params, params.padding);
    const out = new Float64Array(count * g.oh * g.ow);
    maxPool2dForward(x!, params, out);
    return { data: out, shape };
  },
  backward(gOut, { inputs: [x], params }) {
    const gx = new Float64Array(x!.data.length);
    maxPool2dBackward(gOut, x!, params, gx);
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
