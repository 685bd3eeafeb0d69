/** Data movement kernels: transpose (axis permutation), gather and scatter-add, clearing. */
import type { Shape } from '../shape-types.js';

/**
 * `out.fill(0, 0, size)`, with a plain loop for a few numbers, where fill's fixed cost dominates
 * (the tiny products and sums of a small network's training step run thousands of times a second).
 */
export function zeroPrefix(out: Float64Array, size: number): void {
  if (size > 64) out.fill(0, 0, size);
  else for (let t = 0; t < size; t++) out[t] = 0;
}

/** `to.set(from)`, with a plain loop for a few numbers, where set's fixed cost dominates. */
export function copyInto(from: Float64Array, to: Float64Array): void {
  if (from.length > 64) to.set(from);
  else for (let k = 0; k < from.length; k++) to[k] = from[k]!;
}

/** out = x with axes permuted: out axis d is x axis perm[d]. */
export function transposeKernel(x: Float64Array, shape: Shape, perm: readonly number[], out: Float64Array): void {
  const nd = shape.length;
  if (nd === 2 && perm[0] === 1) {
    const r = shape[0]!, c = shape[1]!;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j]!;
    return;
  }
  const inStrides = new Array<number>(nd);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const outShape = perm.map((p) => shape[p]!);
  const st = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[off]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += st[d]!;
      if (idx[d]! < outShape[d]!) break;
      off -= st[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** out[(o, t, j)] = x[(o, indices[t], j)] — row selection along an axis. */
export function gatherKernel(
  x: Float64Array,
  outer: number,
  n: number,
  inner: number,
  indices: Int32Array,
  out: Float64Array,
): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < m; t++) {
      const src = (o * n + indices[t]!) * inner;
      const dst = (o * m + t) * inner;
      for (let j = 0; j < inner; j++) out[dst + j] = x[src + j]!;
    }
  }
}

/** The adjoint of gather: gx[(o, indices[t], j)] += g[(o, t, j)] (repeated indices add up). */
export function scatterAddKernel(
  g: Float64Array,
  outer: number,
  n: number,
  inner: number,
  indices: Int32Array,
  gx: Float64Array,
): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < m; t++) {
      const dst = (o * n + indices[t]!) * inner;
      const src = (o * m + t) * inner;
      for (let j = 0; j < inner; j++) gx[dst + j]! += g[src + j]!;
    }
  }
}
