/**
 * Construction of array contents: what `new MLArray`, the static factories (`from`, `full`,
 * `rand`, ...) and the in-place writes (`assign`, `fill`) check before they touch memory.
 * Everything here works on plain data + shape; mlarray.ts wraps the results.
 */
import { ShapeError, ValueError, formatShape } from './errors.js';
import { flattenNested } from './nested.js';
import { allocate, checkShape, sameShape, sizeOf } from './shape.js';
import type { Nested, Shape } from './shape-types.js';
import type { Tensor } from './ops/types.js';
import type { Rng } from './rng.js';
import { describeValue } from './validate.js';

/** Options of every MLArray factory. */
export interface ArrayOptions {
  /** Record operations on this array so `backward()` fills its `.grad`. */
  requiresGrad?: boolean;
}
/** Options of `MLArray.from`: those of every factory, plus the shape for flat input. */
export interface FromOptions extends ArrayOptions {
  /** The shape to give flat input (or to reshape nested input to). */
  shape?: Shape;
}

/** What the constructor accepts: a Float64Array that fills a valid shape exactly. */
export function checkData(op: string, data: unknown, shape: Shape): void {
  if (!(data instanceof Float64Array)) {
    throw new ValueError(`${op}: data must be a Float64Array, got ${describeValue(data)}; use MLArray.from(...) for other input`);
  }
  // one pass (this runs for every array an operation creates): valid dimensions and their product
  let n = Array.isArray(shape) ? 1 : NaN;
  if (n === 1) for (let i = 0; i < shape.length && n === n; i++) n = Number.isInteger(shape[i]) && shape[i]! >= 0 ? n * shape[i]! : NaN;
  if (n !== n) checkShape(op, shape); // throws the detailed message
  if (data.length !== n) throw new ShapeError(`${op}: ${data.length} values do not fill shape ${formatShape(shape)} (${n} elements)`);
}

/** `MLArray.from`: a number, nested arrays, or flat numbers (typed or not) with an optional shape. */
export function fromValues(op: string, values: unknown, shape: Shape | undefined): Tensor {
  let data: Float64Array;
  let inferred: Shape;
  if (typeof values === 'number' || Array.isArray(values)) {
    ({ data, shape: inferred } = flattenNested(op, values as Nested));
  } else if (isArrayLike(values)) {
    data = allocate(op, [values.length]);
    copyNumbers(op, values, data);
    inferred = [data.length];
  } else {
    throw new ValueError(`${op}: expected a number, a nested array or an array-like of numbers, got ${describeValue(values)}`);
  }
  if (shape === undefined) return { data, shape: inferred };
  checkShape(op, shape);
  if (sizeOf(shape) !== data.length) {
    throw new ShapeError(`${op}: ${data.length} values cannot fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  return { data, shape: [...shape] };
}

/** `value` if it is a number (NaN and ±Infinity included: `full` and `fill` may write them). */
export function checkFill(op: string, value: unknown): number {
  if (typeof value !== 'number') throw new ValueError(`${op}: value must be a number, got ${describeValue(value)}`);
  return value;
}

/** A new buffer for `shape` with every element `value` (`MLArray.full`, `zeros`, `ones`, `scalar`). */
export function filled(op: string, shape: Shape, value: unknown): Float64Array {
  const v = checkFill(op, value);
  const data = allocate(op, shape);
  return Object.is(v, 0) ? data : data.fill(v); // a new buffer is already +0
}

/** A new buffer for `shape` filled with successive `rng.uniform()` or `rng.normal()` draws (`MLArray.rand`, `randn`). */
export function sampled(op: string, shape: Shape, rng: Rng, kind: 'uniform' | 'normal'): Float64Array {
  if (rng === null || typeof rng !== 'object' || typeof rng[kind] !== 'function') {
    throw new ValueError(`${op}: rng must be an Rng from createRng(seed), got ${describeValue(rng)}`);
  }
  const data = allocate(op, shape);
  for (let i = 0; i < data.length; i++) data[i] = rng[kind]();
  return data;
}

/**
 * `assign`: copies `values` into `target` (of `shape`). An array must have exactly that
 * shape; flat numbers must have exactly that many elements.
 */
export function assignInto(op: string, target: Float64Array, shape: Shape, values: unknown): void {
  if (isTensor(values)) {
    if (!sameShape(values.shape, shape)) {
      throw new ShapeError(`${op}: cannot copy an array of shape ${formatShape(values.shape)} into one of shape ${formatShape(shape)}`);
    }
    target.set(values.data);
  } else if (isArrayLike(values)) {
    if (values.length !== target.length) {
      throw new ShapeError(`${op}: ${values.length} values cannot fill shape ${formatShape(shape)} (${target.length} elements)`);
    }
    copyNumbers(op, values, target);
  } else {
    throw new ValueError(`${op}: expected an MLArray or an array-like of numbers, got ${describeValue(values)}`);
  }
}

/** Copies numbers into `out`, refusing anything else (Float64Array.set would turn 'a' into NaN). */
function copyNumbers(op: string, values: ArrayLike<unknown>, out: Float64Array): void {
  if (ArrayBuffer.isView(values) && !(values instanceof BigInt64Array || values instanceof BigUint64Array)) {
    out.set(values as unknown as ArrayLike<number>); // a numeric typed array: numbers only
    return;
  }
  // all checked before the first write: a refused assign() leaves the array as it was
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new ValueError(`${op}: expected numbers, got ${describeValue(v)} at index ${i}`);
  }
  for (let i = 0; i < out.length; i++) out[i] = values[i] as number;
}

/** A gradient assigned to `.grad` must have the shape of its array. */
export function checkGradShape<T extends Tensor>(g: T, shape: Shape): T {
  if (!sameShape(g.shape, shape)) {
    throw new ShapeError(`grad: an array of shape ${formatShape(g.shape)} cannot be the gradient of an array of shape ${formatShape(shape)}`);
  }
  return g;
}

/** `clip`'s bounds: numbers (±Infinity allowed, for a one-sided clip) with min <= max. */
export function checkClip(op: string, min: unknown, max: unknown): { min: number; max: number } {
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new ValueError(`${op}: need numbers min <= max, got min=${describeValue(min)}, max=${describeValue(max)}`);
  }
  return { min, max };
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as ArrayLike<unknown>).length === 'number';
}

function isTensor(v: unknown): v is Tensor {
  return v !== null && typeof v === 'object' && (v as Tensor).data instanceof Float64Array && Array.isArray((v as Tensor).shape);
}
