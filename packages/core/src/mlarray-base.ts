/**
 * The storage half of MLArray: construction (the constructor's checks), the in-place writes and
 * their version counter, and conversion back to plain numbers. mlarray.ts adds the factories,
 * autodiff and the operations on top; MLArray is the only subclass, the split only keeps each
 * file short enough to read in one go.
 */
import { assignInto, checkData, checkFill } from './create.js';
import { ShapeError, formatShape } from './errors.js';
import { formatArray } from './format.js';
import type { MLArray } from './mlarray.js';
import { checkedNested, toNested } from './nested.js';
import type { Nested, Shape } from './shape-types.js';

/**
 * Set by `trustNextArray()` just before an array is constructed whose data and shape are right by
 * construction (a rule's output, a checked factory's buffer, a gradient): the constructor then
 * skips its checks, which would otherwise run on every array every operation creates.
 */
let prechecked = false;

/** The next array constructed skips the constructor's checks (its caller made data and shape itself). */
export function trustNextArray(): void {
  prechecked = true;
}

/** Numbers, shape and in-place writes of an MLArray (see the module comment; not exported from the package). */
export class MLArrayBase {
  /** The numbers, row-major. Writing into it directly bypasses `version` (see `markModified()`). */
  readonly data: Float64Array;
  /** Length of each axis. */
  readonly shape: Shape;
  /** Whether operations on this array are recorded so `backward()` computes its `.grad`. */
  requiresGrad: boolean;
  /** @internal */ _version = 0;

  /** Wraps `data` (a Float64Array, not copied) with `shape`, which it must fill exactly. Prefer the static factories. */
  constructor(data: Float64Array, shape: Shape, requiresGrad = false) {
    if (prechecked) prechecked = false;
    else checkData('MLArray', data, shape);
    this.data = data;
    this.shape = shape;
    this.requiresGrad = requiresGrad;
  }

  /** Number of elements (the product of `shape`; 1 for a 0-d array). */
  get size(): number { return this.data.length; }
  /** Number of axes (0 for a scalar). */
  get ndim(): number { return this.shape.length; }

  // ---- in place -----------------------------------------------------------------------

  /**
   * How many times this array's numbers were changed in place through the library (`assign`,
   * `fill`, optimizer steps, `markModified()`). Backward compares it with the version recorded
   * when the array was used and refuses to compute a gradient from numbers that changed after
   * the forward pass. Writing into `.data` yourself does not count (like PyTorch's `.data`):
   * call `markModified()` after doing so to opt in to the check.
   */
  get version(): number { return this._version; }
  /** Records that `.data` was changed in place (bumps `version`); optimizers call it after each update. */
  markModified(): void { this._version++; }
  /**
   * Copies `values` (an MLArray of this shape, or exactly `size` numbers, row-major) into this
   * array in place and bumps `version`. Not recorded for backward. Throws a ShapeError for a
   * wrong shape or count.
   * @example
   * MLArray.zeros([2, 2]).assign([1, 2, 3, 4]); // [[1, 2], [3, 4]]
   */
  assign(values: MLArray | ArrayLike<number>): this {
    assignInto('assign', this.data, this.shape, values);
    this.markModified();
    return this;
  }
  /** Sets every element to `value` in place and bumps `version`. Not recorded for backward. */
  fill(value: number): this {
    this.data.fill(checkFill('fill', value));
    this.markModified();
    return this;
  }

  // ---- conversion (nested.ts, format.ts) ----------------------------------------------

  /** The numbers as nested arrays (a plain number for a 0-d array); see toArray1D/toArray2D for typed results. */
  toArray(): Nested { return toNested(this.data, this.shape); }
  /** The numbers of a 1-d array as `number[]` (ShapeError for any other ndim). */
  toArray1D(): number[] { return checkedNested<number[]>('toArray1D', this.data, this.shape, 1); }
  /** The rows of a 2-d array as `number[][]` (ShapeError for any other ndim). */
  toArray2D(): number[][] { return checkedNested<number[][]>('toArray2D', this.data, this.shape, 2); }
  /** The single number of a one-element array (ShapeError for any other size). */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: only one-element arrays convert to a number, got shape ${formatShape(this.shape)}`);
    return this.data[0]!;
  }
  /**
   * numpy-style text: aligned columns, `...` past 1000 elements.
   * @example
   * String(MLArray.from([1, 2])); // 'MLArray([1., 2.], shape=(2,))'
   */
  toString(): string {
    const extra = this.requiresGrad ? ', requiresGrad=true' : '';
    return formatArray(this.data, this.shape, 'MLArray(', `, shape=${formatShape(this.shape)}${extra})`);
  }
}
