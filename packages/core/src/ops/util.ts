/** Helpers shared by gradient rules (typed arrays and shapes only). */
import { binaryKernel, type BinaryCode } from '../kernels/broadcast.js';
import { sumAxis } from '../kernels/reduce.js';
import { axisSplit, broadcastShapes, reducedShape, sizeOf } from '../shape.js';
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

/**
 * The (outer, n, inner) split of each reduction `reduceKeep` runs, in order: `axes` (ascending)
 * are reduced one at a time from the last, each leaving a size-1 axis. Shared with the replayed
 * step (trace/replay.ts), which runs the same reductions into buffers it keeps.
 */
export function reduceSplits(shape: Shape, axes: readonly number[]): [outer: number, n: number, inner: number][] {
  const cur = [...shape];
  const splits: [number, number, number][] = [];
  for (let i = axes.length - 1; i >= 0; i--) {
    const ax = axes[i]!;
    splits.push(axisSplit(cur, ax));
    cur[ax] = 1;
  }
  return splits;
}

/** Reduces `axes` (ascending) of x one at a time with `kernel`, keeping them as size-1 axes. */
export function reduceKeep(x: Float64Array, shape: Shape, axes: readonly number[], kernel: AxisKernel): Tensor {
  let data = x;
  for (const [outer, n, inner] of reduceSplits(shape, axes)) {
    const out = new Float64Array(outer * inner);
    kernel(data, outer, n, inner, out);
    data = out;
  }
  return { data, shape: reducedShape(shape, axes, true) };
}

/** Sums `axes` (ascending) of x, keeping them as size-1 axes. */
export function sumKeep(x: Float64Array, shape: Shape, axes: readonly number[]): Tensor {
  return reduceKeep(x, shape, axes, sumAxis);
}

/**
 * The axes a gradient of the broadcast shape `gShape` is summed over to get back to an operand's
 * shape `target` (every axis that was stretched, numpy's rules in reverse), or null when it
 * already has the target's size and rank.
 */
export function broadcastAxes(gShape: Shape, target: Shape): number[] | null {
  if (sizeOf(gShape) === sizeOf(target) && gShape.length === target.length) return null;
  const lead = gShape.length - target.length;
  const axes: number[] = [];
  for (let i = 0; i < gShape.length; i++) {
    const t = i < lead ? 1 : target[i - lead]!;
    if (t === 1 && gShape[i] !== 1) axes.push(i);
  }
  return axes;
}

/**
 * Reduces a gradient of the broadcast shape back to an operand's shape: the adjoint of
 * broadcasting is summing over every axis that was stretched.
 */
export function sumTo(g: Float64Array, gShape: Shape, target: Shape): Float64Array {
  const axes = broadcastAxes(gShape, target);
  return axes === null ? g : sumKeep(g, gShape, axes).data;
}

/** -g, into `out` (a fresh buffer unless given). */
export function negate(g: Float64Array, out = new Float64Array(g.length)): Float64Array {
  for (let i = 0; i < g.length; i++) out[i] = -g[i]!;
  return out;
}
