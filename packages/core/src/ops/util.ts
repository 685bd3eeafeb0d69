/** Helpers shared by gradient rules (typed arrays and shapes only). */
import { binaryKernel, type BinaryCode } from '../kernels/broadcast.js';
import { sumAxis, sumBlocks } from '../kernels/reduce.js';
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
  const blocks = blockAxes(shape, axes);
  if (blocks === null) return reduceKeep(x, shape, axes, sumAxis);
  const [outer, mid, rows, cols] = blocks;
  const out = new Float64Array(mid);
  sumBlocks(x, outer, mid, rows, cols, out);
  return { data: out, shape: shape.map((d, i) => (axes.includes(i) ? 1 : d)) };
}

/**
 * [outer, mid, rows, cols] when the kept axes of `shape` are one contiguous run with at most
 * one reduced axis before it and one or two after it (a per-channel sum of (N, C, H, W) or
 * (C, H, W)): sumBlocks then reduces them in one pass, adding in the same order as reduceKeep.
 * Otherwise null.
 */
function blockAxes(shape: Shape, axes: readonly number[]): [number, number, number, number] | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) continue;
    if (first < 0) first = i;
    else if (i !== last + 1) return null; // kept axes not contiguous
    last = i;
  }
  const after = shape.length - 1 - last;
  if (first < 0 || first > 1 || after < 1 || after > 2) return null;
  const mid = sizeOf(shape.slice(first, last + 1));
  return [first === 1 ? shape[0]! : 1, mid, after === 2 ? shape[last + 1]! : 1, shape[shape.length - 1]!];
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
export function negate(g: Float64Array, out: Float64Array = new Float64Array(g.length)): Float64Array {
  for (let i = 0; i < g.length; i++) out[i] = -g[i]!;
  return out;
}
