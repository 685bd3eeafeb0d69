/**
 * Reductions over a set of axes. sum: the gradient is g copied back over the reduced axes.
 * max/min: the gradient goes to the element(s) that attained the extremum, split evenly
 * between ties (as PyTorch's amax/amin).
 */
import { broadcastTo } from '../kernels/broadcast.js';
import { extremumAxis } from '../kernels/reduce.js';
import { axisSplit, reducedShape, sizeOf } from '../shape.js';
import type { Shape } from '../shape-types.js';
import type { AxesParams, Rule, RuleTable, Tensor } from './types.js';
import { sumKeep } from './util.js';

/** Reduces `axes` one at a time with `kernel`, keeping them as 1s; then drops them unless keepdims. */
function reduceAxes(x: Tensor, { axes, keepdims }: AxesParams, kernel: (x: Float64Array, outer: number, n: number, inner: number, out: Float64Array) => void): Tensor {
  let data = x.data;
  const cur = [...x.shape];
  for (let i = axes.length - 1; i >= 0; i--) {
    const ax = axes[i]!;
    const [outer, n, inner] = axisSplit(cur, ax);
    const out = new Float64Array(outer * inner);
    kernel(data, outer, n, inner, out);
    data = out;
    cur[ax] = 1;
  }
  if (data === x.data) data = data.slice(); // reducing no axes still returns a new array
  return { data, shape: reducedShape(x.shape, axes, keepdims) };
}

/** The reduced shape with the reduced axes kept as 1s, to broadcast a gradient back. */
function keptShape(shape: Shape, axes: readonly number[]): Shape {
  return reducedShape(shape, axes, true);
}

function expand(g: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const gx = new Float64Array(sizeOf(shape));
  broadcastTo(g, keptShape(shape, axes), gx, shape);
  return gx;
}

const sum: Rule<AxesParams> = {
  forward: ([x], p) => {
    const r = sumKeep(x!.data, x!.shape, p.axes);
    return { data: r.data === x!.data ? r.data.slice() : r.data, shape: reducedShape(x!.shape, p.axes, p.keepdims) };
  },
  backward: (g, { inputs: [x], params }) => [expand(g, x!.shape, params.axes)],
};

function extremum(sign: 1 | -1): Rule<AxesParams> {
  return {
    forward: ([x], p) => reduceAxes(x!, p, (d, o, n, i, out) => extremumAxis(d, o, n, i, out, sign)),
    backward(g, { inputs: [x], out, params: { axes } }) {
      const xd = x!.data;
      const best = expand(out.data, x!.shape, axes);
      const gb = expand(g, x!.shape, axes);
      const mask = new Float64Array(xd.length);
      for (let i = 0; i < xd.length; i++) mask[i] = xd[i] === best[i] ? 1 : 0;
      const count = expand(sumKeep(mask, x!.shape, axes).data, x!.shape, axes);
      for (let i = 0; i < xd.length; i++) mask[i] = mask[i]! * gb[i]! / count[i]!;
      return [mask];
    },
  };
}

export const reduceRules = { sum, max: extremum(1), min: extremum(-1) } satisfies Partial<RuleTable>;
