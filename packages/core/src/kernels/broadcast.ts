/**
 * Broadcasting loops over typed arrays (numpy rules; shapes already validated).
 * A broadcast operand gets stride 0 along the axes it is stretched over.
 */
import type { Shape } from '../shape-types.js';

export type BinaryCode = 'add' | 'sub' | 'mul' | 'div';

/** Strides of `shape` seen from an output of rank `ndim`: 0 where the axis is broadcast. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const ndim = outShape.length;
  const st = new Array<number>(ndim).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    const oi = ndim - shape.length + i;
    st[oi] = d === 1 && outShape[oi] !== 1 ? 0 : s;
    s *= d;
  }
  return st;
}

/** out = a (op) b with broadcasting; `out` has `outShape`. */
export function binaryKernel(
  code: BinaryCode,
  a: Float64Array,
  aShape: Shape,
  b: Float64Array,
  bShape: Shape,
  out: Float64Array,
  outShape: Shape,
): void {
  const n = out.length;
  if (a.length === n && b.length === n) return sameSize(code, a, b, out, n);
  if (b.length === 1 && a.length === n) return scalarRight(code, a, b[0]!, out, n);
  if (a.length === 1 && b.length === n) return scalarLeft(code, a[0]!, b, out, n);
  if (a.length === n) {
    const split = blockSplit(bShape, outShape);
    if (split !== null) return blockRight(code, a, b, out, split[0], b.length, split[1]);
  }
  if (b.length === n) {
    const split = blockSplit(aShape, outShape);
    if (split !== null) return blockLeft(code, a, b, out, split[0], a.length, split[1]);
  }
  general(code, a, broadcastStrides(aShape, outShape), b, broadcastStrides(bShape, outShape), out, outShape);
}

function sameSize(code: BinaryCode, a: Float64Array, b: Float64Array, out: Float64Array, n: number): void {
  switch (code) {
    case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!; return;
  }
}

function scalarRight(code: BinaryCode, a: Float64Array, s: number, out: Float64Array, n: number): void {
  switch (code) {
    case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + s; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - s; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * s; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = a[i]! / s; return;
  }
}

function scalarLeft(code: BinaryCode, s: number, b: Float64Array, out: Float64Array, n: number): void {
  switch (code) {
    case 'add': for (let i = 0; i < n; i++) out[i] = s + b[i]!; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = s - b[i]!; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = s * b[i]!; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = s / b[i]!; return;
  }
}

/**
 * When `shape`, broadcast to `outShape`, varies along one contiguous run of axes and is 1 on
 * every other axis (a per-channel bias (1, C, 1, 1) or (C, 1, 1) against (N, C, H, W)), the
 * output splits into (outer, shape's size, inner) and element (o, c, j) of the output pairs
 * with element c of the operand: [outer, inner]. Otherwise, or when inner is 1 (the general
 * loop's inner axis is then already contiguous), null.
 */
export function blockSplit(shape: Shape, outShape: Shape): [outer: number, inner: number] | null {
  const lead = outShape.length - shape.length;
  let first = -1;
  let last = -1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    if (first < 0) first = i + lead;
    last = i + lead;
  }
  if (first < 0) return null;
  for (let i = first; i <= last; i++) if (shape[i - lead] !== outShape[i]) return null; // a stretched axis inside the run
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < first; i++) outer *= outShape[i]!;
  for (let i = last + 1; i < outShape.length; i++) inner *= outShape[i]!;
  return inner > 1 ? [outer, inner] : null;
}

/** out = a (op) b where b holds one number per run of `inner` outputs (see blockSplit): one constant per inner loop. */
function blockRight(code: BinaryCode, a: Float64Array, b: Float64Array, out: Float64Array, outer: number, mid: number, inner: number): void {
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < mid; c++) {
      const s = b[c]!;
      const end = i + inner;
      switch (code) {
        case 'add': for (; i < end; i++) out[i] = a[i]! + s; break;
        case 'sub': for (; i < end; i++) out[i] = a[i]! - s; break;
        case 'mul': for (; i < end; i++) out[i] = a[i]! * s; break;
        case 'div': for (; i < end; i++) out[i] = a[i]! / s; break;
      }
    }
  }
}

/** out = a (op) b where a holds one number per run of `inner` outputs. */
function blockLeft(code: BinaryCode, a: Float64Array, b: Float64Array, out: Float64Array, outer: number, mid: number, inner: number): void {
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < mid; c++) {
      const s = a[c]!;
      const end = i + inner;
      switch (code) {
        case 'add': for (; i < end; i++) out[i] = s + b[i]!; break;
        case 'sub': for (; i < end; i++) out[i] = s - b[i]!; break;
        case 'mul': for (; i < end; i++) out[i] = s * b[i]!; break;
        case 'div': for (; i < end; i++) out[i] = s / b[i]!; break;
      }
    }
  }
}

/**
 * For every index of `shape` in row-major order, the offset of the matching element of two
 * operands with strides `sa` and `sb` (from broadcastStrides: 0 where an operand is broadcast).
 * One odometer walk, shared by broadcasting binary ops (over their outer axes) and batched matmul
 * (over the batch axes, in units of matrices).
 */
export function broadcastOffsets(shape: Shape, sa: readonly number[], sb: readonly number[]): [Int32Array, Int32Array] {
  const nd = shape.length;
  let count = 1;
  for (let d = 0; d < nd; d++) count *= shape[d]!;
  const offA = new Int32Array(count);
  const offB = new Int32Array(count);
  const idx = new Array<number>(nd).fill(0);
  let oa = 0;
  let ob = 0;
  for (let t = 0; t < count; t++) {
    offA[t] = oa;
    offB[t] = ob;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      oa += sa[d]!;
      ob += sb[d]!;
      if (idx[d]! < shape[d]!) break;
      oa -= sa[d]! * shape[d]!;
      ob -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return [offA, offB];
}

/** The outer axes (all but the last) through broadcastOffsets; the last axis is the inner loop. */
function general(
  code: BinaryCode,
  a: Float64Array,
  sa: number[],
  b: Float64Array,
  sb: number[],
  out: Float64Array,
  shape: Shape,
): void {
  const nd = shape.length;
  if (out.length === 0) return;
  const inner = nd > 0 ? shape[nd - 1]! : 1;
  const ia = nd > 0 ? sa[nd - 1]! : 0;
  const ib = nd > 0 ? sb[nd - 1]! : 0;
  const [offA, offB] = broadcastOffsets(shape.slice(0, -1), sa, sb);
  for (let t = 0, o = 0; o < out.length; t++, o += inner) {
    let pa = offA[t]!;
    let pb = offB[t]!;
    switch (code) {
      case 'add': for (let j = 0; j < inner; j++, pa += ia, pb += ib) out[o + j] = a[pa]! + b[pb]!; break;
      case 'sub': for (let j = 0; j < inner; j++, pa += ia, pb += ib) out[o + j] = a[pa]! - b[pb]!; break;
      case 'mul': for (let j = 0; j < inner; j++, pa += ia, pb += ib) out[o + j] = a[pa]! * b[pb]!; break;
      case 'div': for (let j = 0; j < inner; j++, pa += ia, pb += ib) out[o + j] = a[pa]! / b[pb]!; break;
    }
  }
}

/** Copies `src` (shape `srcShape`) broadcast to `outShape` into `out`. */
export function broadcastTo(src: Float64Array, srcShape: Shape, out: Float64Array, outShape: Shape): void {
  if (src.length === out.length) {
    out.set(src);
    return;
  }
  if (src.length === 1) {
    out.fill(src[0]!);
    return;
  }
  const split = blockSplit(srcShape, outShape);
  if (split !== null) {
    const [outer, inner] = split;
    for (let o = 0, i = 0; o < outer; o++) for (let c = 0; c < src.length; c++, i += inner) out.fill(src[c]!, i, i + inner);
    return;
  }
  const zero = new Float64Array(1);
  general('add', src, broadcastStrides(srcShape, outShape), zero, new Array<number>(outShape.length).fill(0), out, outShape);
}
