/** Shape arithmetic shared by ops and kernels: sizes, strides, broadcasting, axes. */
import { ShapeError, ValueError, formatShape } from './errors.js';
import type { Shape } from './shape-types.js';
import { describeValue } from './validate.js';

/** Number of elements of a shape (1 for a 0-d scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The most elements one array may hold: 2^31 - 1 (16 GiB of float64). Shapes are checked
 * against it before anything is allocated, so an absurd shape is a clear ValueError instead
 * of a huge allocation or a raw RangeError.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Throws a ValueError naming the element count when `shape` holds more than MAX_ELEMENTS. */
export function checkSize(op: string, shape: Shape): number {
  const n = sizeOf(shape);
  if (n > MAX_ELEMENTS) {
    throw new ValueError(
      `${op}: shape ${formatShape(shape)} has ${Number.isSafeInteger(n) ? n : n.toExponential(3)} elements, more than the limit of ` +
        `${MAX_ELEMENTS} (2^31 - 1) elements per array`,
    );
  }
  return n;
}

/** A zeroed buffer for `shape` (checked with checkShape and checkSize first); a failed allocation is a ValueError too. */
export function allocate(op: string, shape: Shape): Float64Array {
  checkShape(op, shape);
  const n = checkSize(op, shape);
  try {
    return new Float64Array(n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ValueError(`${op}: could not allocate ${n} elements (${(n * 8 / 2 ** 30).toFixed(1)} GiB) for shape ${formatShape(shape)}: out of memory`);
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that `shape` is an array whose every dimension is a non-negative integer. */
export function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: shape must be an array of integers, got ${describeValue(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid shape ${describeValue(shape)}: every dimension must be a non-negative integer, got ${describeValue(d)}`);
    }
  }
}

/**
 * numpy broadcasting: align trailing axes; each pair must be equal or contain a 1.
 * @example
 * broadcastShapes('add', [4, 1, 3], [5, 1]); // [4, 5, 3]
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  if (sameShape(a, b) || b.length === 0) return a; // a 0-d operand (a scalar) broadcasts to anything
  if (a.length === 0) return b;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: cannot broadcast ${formatShape(a)} with ${formatShape(b)} (axis ${i - n}: ${da} vs ${db}); ` +
          `trailing dimensions must be equal or 1`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  checkSize(op, out);
  return out;
}

/** Resolves a possibly negative axis against `ndim`, or throws a ShapeError naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis)) throw new ShapeError(`${op}: axis must be an integer, got ${axis}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) {
    if (ndim === 0) throw new ShapeError(`${op}: axis ${axis} is out of range: a 0-d array has no axes`);
    throw new ShapeError(`${op}: axis ${axis} is out of range for an array with ${ndim} dimension(s); use -${ndim}..${ndim - 1}`);
  }
  return a;
}

/**
 * The axis of softmax, logSoftmax and logsumexp. A 0-d array accepts 0 or -1 and is one slice
 * of one element (PyTorch's rule: the softmax of a scalar is 1, its logsumexp is itself).
 */
export function sliceAxis(op: string, axis: number, ndim: number): number {
  return ndim === 0 && (axis === 0 || axis === -1) ? 0 : normalizeAxis(op, axis, ndim);
}

/** `axes` (default: reversed) as a permutation of the `ndim` axes of `shape`, or a ShapeError. */
export function normalizePerm(op: string, axes: readonly number[] | undefined, shape: Shape): number[] {
  const nd = shape.length;
  if (axes === undefined) return Array.from({ length: nd }, (_, i) => nd - 1 - i);
  if (!Array.isArray(axes)) throw new ShapeError(`${op}: axes must be an array of integers, got ${describeValue(axes)}`);
  const perm = axes.map((a) => normalizeAxis(op, a, nd));
  if (perm.length !== nd || new Set(perm).size !== nd) {
    const shown = `[${axes.slice(0, 8).join(', ')}${axes.length > 8 ? ', ...' : ''}]`;
    throw new ShapeError(`${op}: axes ${shown} are not a permutation of the ${nd} axes of ${formatShape(shape)}`);
  }
  return perm;
}

/** Indices along an axis of length `n` (negative ones count from the end) as an Int32Array, or a ValueError. */
export function checkIndices(op: string, indices: ArrayLike<number>, n: number, axis: number): Int32Array {
  if (indices === null || typeof indices !== 'object' || !Number.isSafeInteger(indices.length) || indices.length > MAX_ELEMENTS) {
    throw new ValueError(`${op}: indices must be an array of integers, got ${describeValue(indices)}`);
  }
  const idx = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!Number.isInteger(v) || v < -n || v >= n) {
      throw new ValueError(`${op}: index ${describeValue(v)} (position ${i}) is out of range for axis ${axis} of size ${n}`);
    }
    idx[i] = v < 0 ? v + n : v;
  }
  return idx;
}

/**
 * What mean (ddof undefined) or variance divides by: the number of elements in each group
 * reduced over `axes`, minus `ddof`. A ValueError if that is not positive.
 */
export function groupSize(op: string, shape: Shape, axes: readonly number[], ddof?: number): number {
  let n = 1;
  for (const a of axes) n *= shape[a]!;
  if (ddof === undefined && n === 0) throw new ValueError(`${op}: cannot average over an empty axis of shape ${formatShape(shape)}`);
  const d = ddof ?? 0;
  if (!Number.isInteger(d) || d < 0 || n - d <= 0) {
    throw new ValueError(`${op}: need 0 <= ddof < n, got ddof=${describeValue(ddof)} with n=${n} elements per group`);
  }
  return n - d;
}

/** Axes to reduce: `null`/`undefined` means all; returns sorted unique non-negative axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  const uniq = [...new Set(out)].sort((x, y) => x - y);
  if (uniq.length !== out.length) throw new ShapeError(`${op}: repeated axis in [${list.join(', ')}]`);
  return uniq;
}

/** normalizeAxes, refusing an empty axis (max, min and argmax have no value there). */
export function nonEmptyAxes(op: string, axis: number | readonly number[] | null | undefined, shape: Shape): number[] {
  const axes = normalizeAxes(op, axis, shape.length);
  for (const a of axes) {
    if (shape[a] === 0) throw new ValueError(`${op}: cannot reduce an empty axis ${a} of shape ${formatShape(shape)}`);
  }
  return axes;
}

/** Shape after reducing `axes` (sorted), with or without keeping them as 1s. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

/**
 * Splits `shape` around `axis` into the (outer, n, inner) loop bounds used by axis kernels.
 * Axis 0 of a 0-d shape is one slice of one element (see sliceAxis).
 */
export function axisSplit(shape: Shape, axis: number): [outer: number, n: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis] ?? 1, inner];
}

/** Resolves a reshape target (one -1 allowed) for `size` elements, or throws. */
export function resolveReshape(op: string, from: Shape, to: Shape): number[] {
  const size = sizeOf(from);
  let unknown = -1;
  let known = 1;
  const out = [...to];
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!;
    if (d === -1) {
      if (unknown >= 0) throw new ShapeError(`${op}: only one -1 is allowed in the new shape [${to.join(', ')}]`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid dimension ${d} in new shape [${to.join(', ')}]`);
    } else known *= d;
  }
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${formatShape(from)} (${size} elements) into [${to.join(', ')}]`);
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `${op}: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(to)} (${known} elements)`,
    );
  }
  return out;
}
