/** Helpers shared by gradient rules (typed arrays and shapes only). */
import { binaryKernel, type BinaryCode } from '../kernels/broadcast.js';
import { sumAxis } from '../kernels/reduce.js';
import { axisSplit, broadcastShapes, sizeOf } from '../shape.js';
import type { Shape } from '../shape-types.js';
import type { Tensor } from './types.js';

/** Elementwise binary op with broadcasting into a fresh buffer. */
export function bin(code: BinaryCode, a: Float64Array, aShape: Shape, b: Float64Array, bShape: Shape): Tensor {
  const shape = broadcastShapes(code, aShape, bShape);
  const data = new Float64Array(sizeOf(shape));
  binaryKernel(code, a, aShape, b, bShape, data, shape);
  return { data, shape };
}

/** A reduction along one axis over the (outer, n, inner) split (see kernels/reduce.ts). */
export type AxisKernel = (x: Float64Array, outer: number, n: number, inner: number, out: Float64Array) => void;

/** Reduces `axes` (ascending) of x one at a time with `kernel`, keeping them as size-1 axes. */
export function reduceKeep(x: Float64Array, shape: Shape, axes: readonly number[], kernel: AxisKernel): Tensor {
  let data = x;
  const cur = [...shape];
  for (let i = axes.length - 1; i >= 0; i--) {
    const ax = axes[i]!;
    const [outer, n, inner] = axisSplit(cur, ax);
    const out = new Float64Array(outer * inner);
    kernel(data, outer, n, inner, out);
    data = out;
    cur[ax] = 1;
  }
  return { data, shape: cur };
}

/** Sums `axes` (ascending) of x, keeping them as size-1 axes. */
export function sumKeep(x: Float64Array, shape: Shape, axes: readonly number[]): Tensor {
  return reduceKeep(x, shape, axes, sumAxis);
}

/**
 * Reduces a gradient of the broadcast shape back to an operand's shape: the adjoint of
 * broadcasting is summing over every axis that was stretched (numpy's rules in reverse).
 */
export function sumTo(g: Float64Array, gShape: Shape, target: Shape): Float64Array {
  if (g.length === sizeOf(target) && gShape.length === target.length) return g;
  const lead = gShape.length - target.length;
  const axes: number[] = [];
  for (let i = 0; i < gShape.length; i++) {
    const t = i < lead ? 1 : target[i - lead]!;
    if (t === 1 && gShape[i] !== 1) axes.push(i);
  }
  return sumKeep(g, gShape, axes).data;
}

export function negate(g: Float64Array): Float64Array {
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = -g[i]!;
  return out;
}
