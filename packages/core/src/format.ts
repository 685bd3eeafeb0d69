/** numpy-like printing of an array: aligned columns, '...' for large arrays. */
import { formatShape } from './errors.js';
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

export function formatArray(data: Float64Array, shape: Shape, prefix: string, suffix: string): string {
  if (shape.length === 0) return `${prefix}${formatNumber(data[0]!)}${suffix}`;
  const summarise = data.length > THRESHOLD;
  const strs = Array.from(data, formatNumber);
  const width = strs.reduce((w, s) => Math.max(w, s.length), 0);
  const indent = ' '.repeat(prefix.length);
  const rec = (axis: number, offset: number, stride: number): string => {
    const n = shape[axis]!;
    const inner = stride / (n || 1);
    const idx: (number | null)[] = [];
    if (summarise && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    if (axis === shape.length - 1) {
      return '[' + idx.map((i) => (i === null ? '...' : strs[offset + i]!.padStart(width))).join(', ') + ']';
    }
    const sep = ',' + '\n'.repeat(shape.length - 1 - axis) + indent + ' '.repeat(axis + 1);
    return '[' + idx.map((i) => (i === null ? '...' : rec(axis + 1, offset + i * inner, inner))).join(sep) + ']';
  };
  return prefix + rec(0, 0, data.length) + suffix;
}

export function describeShape(shape: Shape): string {
  return formatShape(shape);
}
