/**
 * Conversion between nested JS arrays and flat row-major data + shape. Both directions are
 * iterative (no recursion: a deep input cannot overflow the stack) and linear in the size of
 * the input: the walk keeps one index per level, so no per-element index path is copied.
 */
import { ShapeError, ValueError, formatShape } from './errors.js';
import { allocate } from './shape.js';
import type { Nested, Shape } from './shape-types.js';

/** Nested input deeper than this is refused at once (before anything else is walked). */
export const MAX_NESTING = 64;

/** Infers the shape of a nested array and flattens it, rejecting ragged, too deep or non-numeric input. */
export function flattenNested(op: string, values: Nested): { data: Float64Array; shape: number[] } {
  if (!Array.isArray(values)) {
    if (typeof values !== 'number') throw new ValueError(`${op}: expected numbers, got ${values === null ? 'null' : typeof values}`);
    return { data: Float64Array.of(values), shape: [] };
  }
  // The shape is read along the first elements; everything else must agree with it.
  const shape: number[] = [];
  for (let probe: unknown = values; Array.isArray(probe); probe = probe[0]) {
    if (shape.length === MAX_NESTING) {
      throw new ShapeError(
        `${op}: nested input is more than ${MAX_NESTING} levels deep; arrays have at most ${MAX_NESTING} dimensions ` +
          '(pass flat numbers with { shape } for anything unusual)',
      );
    }
    shape.push(probe.length);
    if (probe.length === 0) break;
  }
  // Check every array's length before allocating: a ragged input could claim a huge shape.
  forEachRow(op, values, shape, null);
  const data = allocate(op, shape);
  let k = 0;
  forEachRow(op, values, shape, (row, path) => {
    for (let j = 0; j < row.length; j++) data[k++] = numberAt(op, row[j], path, j);
  });
  return { data, shape };
}

/**
 * Walks the innermost arrays (rows) of `values` in row-major order, checking on the way that
 * every array has the length `shape` gives its level. `path` holds the index of the row (one
 * entry per level above it); it is read only to build an error message.
 */
function forEachRow(op: string, values: unknown[], shape: Shape, onRow: ((row: unknown[], path: number[]) => void) | null): void {
  const last = shape.length - 1;
  const arrays: unknown[][] = [values];
  const path: number[] = [];
  while (arrays.length > 0) {
    const depth = arrays.length - 1;
    const arr = arrays[depth]!;
    if (depth === last) {
      onRow?.(arr, path);
      arrays.pop();
      if (path.length > 0) path[path.length - 1]!++;
      continue;
    }
    const i = path[depth] ?? 0;
    path[depth] = i;
    if (i === arr.length) {
      arrays.pop();
      path.pop();
      if (path.length > 0) path[path.length - 1]!++;
      continue;
    }
    const child = arr[i];
    if (!Array.isArray(child)) {
      throw new ShapeError(`${op}: ragged nested array: expected an array at index ${indexText(path, depth + 1)}, got ${child === null ? 'null' : typeof child}`);
    }
    if (child.length !== shape[depth + 1]) {
      throw new ShapeError(
        `${op}: ragged nested array: the array at index ${indexText(path, depth + 1)} has length ${child.length}, ` +
          `expected ${shape[depth + 1]} like its siblings; every row must have the same length`,
      );
    }
    arrays.push(child);
  }
}

/** `[1][0][2]`: the first `n` entries of `path`, then `extra` if given. */
function indexText(path: readonly number[], n: number, extra?: number): string {
  const parts = path.slice(0, n);
  if (extra !== undefined) parts.push(extra);
  return parts.map((i) => `[${i}]`).join('');
}

/** `v` (element `j` of the row at `path`) if it is a number. */
function numberAt(op: string, v: unknown, path: readonly number[], j: number): number {
  if (typeof v === 'number') return v;
  const at = indexText(path, path.length, j);
  if (Array.isArray(v)) throw new ShapeError(`${op}: ragged nested array: unexpected extra nesting at index ${at}`);
  throw new ValueError(`${op}: expected numbers, got ${v === null ? 'null' : typeof v} at index ${at}`);
}

/** Rebuilds a nested array (a plain number for 0-d data), bottom-up: rows first, then groups of them. */
export function toNested(data: Float64Array, shape: Shape): Nested {
  const nd = shape.length;
  if (nd === 0) return data[0]!;
  // outer[a] = how many arrays there are at level a (the product of the axes before it)
  const outer = new Array<number>(nd);
  outer[0] = 1;
  for (let a = 1; a < nd; a++) outer[a] = outer[a - 1]! * shape[a - 1]!;
  const n = shape[nd - 1]!;
  let items: Nested[] = new Array<Nested>(outer[nd - 1]!);
  for (let r = 0, k = 0; r < items.length; r++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) row[j] = data[k++]!;
    items[r] = row;
  }
  for (let a = nd - 2; a >= 0; a--) {
    const m = shape[a]!;
    const next: Nested[] = new Array<Nested>(outer[a]!);
    for (let o = 0; o < next.length; o++) next[o] = items.slice(o * m, (o + 1) * m);
    items = next;
  }
  return items[0]!;
}

/** The numbers of a 1-d or 2-d array as plain arrays, or a ShapeError naming the shape. */
export function checkedNested<T extends number[] | number[][]>(op: string, data: Float64Array, shape: Shape, ndim: 1 | 2): T {
  if (shape.length !== ndim) {
    throw new ShapeError(`${op}: expected a ${ndim}-d array, got shape ${formatShape(shape)} (${shape.length}-d); use toArray() or reshape first`);
  }
  return toNested(data, shape) as T;
}
