/**
 * The data half of MLArray: construction (the constructor's checks), the gradient slot and the
 * autodiff engine's per-array state, in-place writes and their version counter, and conversion
 * back to plain numbers. mlarray.ts adds the factories, the operations and backward on top;
 * MLArray is the only subclass, the split only keeps each file short enough to read in one go.
 */
import type { GraphNode } from './autodiff.js';
import { assignInto, checkData, checkFill, checkGradShape } from './create.js';
import { ShapeError, ValueError, formatShape } from './errors.js';
import { formatArray } from './format.js';
import type { MLArray } from './mlarray.js';
import { checkedNested, toNested } from './nested.js';
import type { Nested, Shape } from './shape-types.js';
import { describeValue } from './validate.js';

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

/** Numbers, shape, gradient slot and in-place writes of an MLArray (see the module comment; not exported from the package). */
export class MLArrayBase {
  /** The numbers, row-major. Writing into it directly bypasses `version` (see `markModified()`). */
  readonly data: Float64Array;
  /** Length of each axis. */
  readonly shape: Shape;
  /** Whether operations on this array are recorded so `backward()` computes its `.grad`. */
  requiresGrad: boolean;
  // The autodiff engine's state (see Differentiable in autodiff.ts), then the backing fields of `grad` and `version`.
  /** @internal */ node: GraphNode | null = null;
  /** @internal */ freed = false;
  /** @internal */ retainsGrad = false;
  /** @internal */ visit = 0;
  /** @internal */ pending: Float64Array | null = null;
  /** @internal */ ownsPending = false;
  /** @internal */ _grad: MLArray | null = null;
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

  // ---- gradient ---------------------------------------------------------------------

  /**
   * Gradient accumulated by backward(): null, or a plain array of this array's shape. Assigning
   * anything else throws (ShapeError for a wrong shape, ValueError for a non-array).
   */
  get grad(): MLArray | null { return this._grad; }
  set grad(g: MLArray | null) {
    // MLArray is the only subclass: instanceof the base is instanceof MLArray, without importing it here.
    if (g !== null && !(g instanceof MLArrayBase)) throw new ValueError(`grad: must be an MLArray or null, got ${describeValue(g)}`);
    this._grad = g === null ? null : checkGradShape(g, this.shape);
  }
  /** Keep `.grad` for this intermediate array too on the next backward(). */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }
  /** Clears `.grad` (sets it to null); `restart()` is SmolML's original name for it. */
  zeroGrad(): void { this._grad = null; }
  /** SmolML's original name for zeroGrad(). */
  restart(): void { this._grad = null; }

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
