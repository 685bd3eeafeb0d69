/** numpy-like printing of an array: aligned columns, '...' for large arrays. */
import type { Shape } from './shape-types.js';

const THRESHOLD = 1000; // print everything below this many elements (numpy's default)
const EDGE = 3; // elements shown at each end of a summarised axis

function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.`;
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return x.toExponential(4).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(8)));
}

/**
 * The numpy-style text of an array. Built iteratively, one level of brackets per axis, so an
 * array with thousands of (size-1) axes prints without overflowing the stack.
 */
export function formatArray(data: Float64Array, shape: Shape, prefix: string, suffix: string): string {
  const nd = shape.length;
  if (nd === 0) return `${prefix}${formatNumber(data[0]!)}${suffix}`;
  const summarise = data.length > THRESHOLD;
  const strs = Array.from(data, formatNumber);
  const width = strs.reduce((w, s) => Math.max(w, s.length), 0);
  const indent = ' '.repeat(prefix.length);
  // Per axis: the indices shown (null for '...'), the stride in elements, and the separator between items.
  const shown: (number | null)[][] = [];
  const strides = new Array<number>(nd);
  const head = Array.from({ length: EDGE }, (_, i) => i);
  for (let a = nd - 1, s = 1; a >= 0; s *= shape[a]!, a--) {
    const n = shape[a]!;
    strides[a] = s;
    shown[a] = summarise && n > 2 * EDGE ? [...head, null, ...head.map((i) => n - EDGE + i)] : Array.from({ length: n }, (_, i) => i);
  }
  const seps = new Map<number, string>(); // built on first use: with thousands of axes most are never needed
  const sep = (a: number): string => {
    if (a === nd - 1) return ', ';
    let t = seps.get(a);
    if (t === undefined) seps.set(a, (t = ',' + '\n'.repeat(nd - 1 - a) + indent + ' '.repeat(a + 1)));
    return t;
  };
  const parts: string[] = [prefix, '['];
  const pos = new Array<number>(nd).fill(0); // which shown index each open bracket is at
  const offset = new Array<number>(nd).fill(0); // element offset of each open bracket's start
  for (let a = 0; a >= 0; ) {
    const list = shown[a]!;
    if (pos[a] === list.length) {
      parts.push(']');
      if (--a >= 0) pos[a]!++;
      continue;
    }
    if (pos[a]! > 0) parts.push(sep(a));
    const i = list[pos[a]!]!;
    if (i === null) {
      parts.push('...');
      pos[a]!++;
    } else if (a === nd - 1) {
      parts.push(strs[offset[a]! + i]!.padStart(width));
      pos[a]!++;
    } else {
      offset[a + 1] = offset[a]! + i * strides[a]!;
      pos[++a] = 0;
      parts.push('[');
    }
  }
  parts.push(suffix);
  return parts.join('');
}
