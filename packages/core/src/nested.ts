/** Conversion between nested JS arrays and flat row-major data + shape. */
import { ShapeError, ValueError } from './errors.js';
import type { Nested, Shape } from './shape-types.js';

/** Infers the shape of a nested array and flattens it, rejecting ragged or non-numeric input. */
export function flattenNested(op: string, values: Nested): { data: Float64Array; shape: number[] } {
  const shape: number[] = [];
  let probe: Nested = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0]!;
  }
  let size = 1;
  for (const d of shape) size *= d;
  const data = new Float64Array(size);
  let k = 0;
  // Iterative walk (deeply nested input must not overflow the stack either).
  const stack: { arr: Nested[]; i: number; path: number[] }[] = [];
  if (Array.isArray(values)) stack.push({ arr: values, i: 0, path: [] });
  else data[k++] = checkNumber(op, values, []);
  if (stack.length > 0 && (stack[0]!.arr.length !== shape[0])) throw new ShapeError(`${op}: internal shape error`);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const depth = stack.length - 1;
    if (top.i === 0 && top.arr.length !== shape[depth]) {
      throw new ShapeError(
        `${op}: ragged nested array: the array at index [${top.path.join('][')}] has length ${top.arr.length}, ` +
          `expected ${shape[depth]} like its siblings; every row must have the same length`,
      );
    }
    if (top.i >= top.arr.length) {
      stack.pop();
      continue;
    }
    const v = top.arr[top.i]!;
    const path = [...top.path, top.i];
    top.i++;
    if (depth + 1 < shape.length) {
      if (!Array.isArray(v)) {
        throw new ShapeError(`${op}: ragged nested array: expected an array at index [${path.join('][')}], got ${typeof v}`);
      }
      stack.push({ arr: v, i: 0, path });
    } else {
      if (Array.isArray(v)) {
        throw new ShapeError(`${op}: ragged nested array: unexpected extra nesting at index [${path.join('][')}]`);
      }
      data[k++] = checkNumber(op, v, path);
    }
  }
  return { data, shape };
}

function checkNumber(op: string, v: unknown, path: number[]): number {
  if (typeof v !== 'number') {
    throw new ValueError(`${op}: expected numbers, got ${v === null ? 'null' : typeof v} at index [${path.join('][')}]`);
  }
  return v;
}

/** Rebuilds a nested array (a plain number for 0-d data). */
export function toNested(data: Float64Array, shape: Shape): Nested {
  if (shape.length === 0) return data[0]!;
  const build = (axis: number, offset: number, stride: number): Nested[] => {
    const n = shape[axis]!;
    const inner = stride / (n || 1);
    const out: Nested[] = new Array<Nested>(n);
    for (let i = 0; i < n; i++) {
      out[i] = axis === shape.length - 1 ? data[offset + i]! : build(axis + 1, offset + i * inner, inner);
    }
    return out;
  };
  let size = 1;
  for (const d of shape) size *= d;
  return build(0, 0, size);
}
