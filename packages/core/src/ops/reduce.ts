/**
 * Reductions over a set of axes. sum: the gradient is g copied back over the reduced axes.
 * max/min: the gradient goes to the element(s) that attained the extremum, split evenly
 * between ties (as PyTorch's amax/amin).
 */
import { broadcastTo } from '../kernels/broadcast.js';
import { argmaxAxis, extremumAxis } from '../kernels/reduce.js';
import { axisSplit, nonEmptyAxes, reducedShape, sizeOf } from '../shape.js';
import type { Shape } from '../shape-types.js';
import type { AxesParams, Rule, RuleTable, Tensor } from './types.js';
import { type AxisKernel, reduceKeep, sumKeep } from './util.js';

/** Reduces `axes` with `kernel` (or sums them), then drops them unless keepdims. Always returns a new array. */
function reduceAxes(x: Tensor, { axes, keepdims }: AxesParams, kernel: AxisKernel | 'sum'): Tensor {
  const r = kernel === 'sum' ? sumKeep(x.data, x.shape, axes) : reduceKeep(x.data, x.shape, axes, kernel);
  return { data: r.data === x.data ? r.data.slice() : r.data, shape: reducedShape(x.shape, axes, keepdims) };
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
  reads: [], // only x's shape
  forward: ([x], p) => reduceAxes(x!, p, 'sum'),
  backward: (g, { inputs: [x], params }) => [expand(g, x!.shape, params.axes)],
};

function extremum(sign: 1 | -1): Rule<AxesParams> {
  return {
    reads: [0, 'out'],
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

/** Index of the first maximum along `axis`, the axis dropped. Not a primitive: it has no gradient. */
export function argmaxAlong(x: Tensor, axis: number): Tensor {
  axis = nonEmptyAxes('argmax', axis, x.shape)[0]!;
  const [outer, n, inner] = axisSplit(x.shape, axis);
  const out = new Float64Array(outer * inner);
  argmaxAxis(x.data, outer, n, inner, out);
  return { data: out, shape: reducedShape(x.shape, [axis], false) };
}
