/**
 * `MLArray`: an n-d float64 array (row-major `Float64Array`) with reverse-mode autodiff
 * over whole arrays. Methods are thin sugar: validate, then apply a primitive (see ops/)
 * or compose primitives (mean, variance, ...), so every gradient comes from the rule table.
 */
import { AutodiffError, ShapeError, ValueError, assertFinite, formatShape } from './errors.js';
import { type Differentiable, type GraphNode, noGrad, record, runBackward } from './autodiff.js';
import { argmaxAxis } from './kernels/reduce.js';
import { formatArray } from './format.js';
import { type AvgPool2dOptions, type Conv2dOptions, type MaxPool2dOptions, type Size2d, avgPool2dParams, conv2dParams, maxPool2dParams } from './image-args.js';
import { flattenNested, toNested } from './nested.js';
import { RULES } from './ops/table.js';
import type { Primitive, PrimitiveParams, Rule } from './ops/types.js';
import type { Rng } from './rng.js';
import { axisSplit, checkShape, normalizeAxes, normalizeAxis, reducedShape, resolveReshape, sameShape, sizeOf } from './shape.js';
import type { Nested, Shape } from './shape-types.js';

export interface ArrayOptions {
  /** Record operations on this array so `backward()` fills its `.grad`. */
  requiresGrad?: boolean;
}
export interface FromOptions extends ArrayOptions {
  /** The shape to give flat input (or to reshape nested input to). */
  shape?: Shape;
}
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (default false: it is released). */
  retainGraph?: boolean;
}

/** Applies a primitive: forward through its rule, then record it for backward. */
function apply<P extends Primitive>(prim: P, inputs: readonly MLArray[], params: PrimitiveParams[P]): MLArray {
  const rule = RULES[prim] as Rule<PrimitiveParams[P]>;
  const r = rule.forward(inputs, params);
  const out = new MLArray(r.data, r.shape);
  record(out, prim, inputs, params);
  return out;
}

function operand(op: string, x: MLArray | number): MLArray {
  if (x instanceof MLArray) return x;
  if (typeof x === 'number') {
    assertFinite(op, 'scalar operand', x);
    return new MLArray(Float64Array.of(x), []);
  }
  throw new ValueError(`${op}: operand must be an MLArray or a number, got ${typeof x}; wrap arrays with MLArray.from(...)`);
}

export class MLArray implements Differentiable {
  /** The numbers, row-major. */
  readonly data: Float64Array;
  /** Length of each axis. */
  readonly shape: Shape;
  /** Gradient accumulated by backward(), same shape as this array (a plain array, assignable). */
  grad: MLArray | null = null;
  requiresGrad: boolean;
  /** @internal recorded operation that produced this array */
  node: GraphNode | null = null;
  /** @internal */
  freed = false;
  /** @internal */
  retainsGrad = false;
  /** @internal see `version` */
  _version = 0;

  /** Wraps `data` (not copied) with `shape`. Prefer the static factories. */
  constructor(data: Float64Array, shape: Shape, requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`MLArray: ${data.length} values do not fill shape ${formatShape(shape)}`);
    }
    this.data = data;
    this.shape = shape;
    this.requiresGrad = requiresGrad;
  }

  get size(): number { return this.data.length; }
  get ndim(): number { return this.shape.length; }

  // ---- construction ---------------------------------------------------------------

  /**
   * From a number, a nested array or flat numbers (with `opts.shape`).
   * @example
   * const x = MLArray.from([[1, 2], [3, 4]], { requiresGrad: true }); // shape (2, 2)
   * const y = MLArray.from(new Float64Array(6), { shape: [2, 3] });
   */
  static from(values: Nested | ArrayLike<number>, opts: FromOptions = {}): MLArray {
    let data: Float64Array;
    let shape: Shape;
    if (typeof values === 'number' || Array.isArray(values)) {
      ({ data, shape } = flattenNested('MLArray.from', values as Nested));
    } else if (values !== null && typeof values === 'object' && typeof (values as ArrayLike<number>).length === 'number') {
      data = Float64Array.from(values as ArrayLike<number>);
      for (let i = 0; i < data.length; i++) {
        if (typeof (values as ArrayLike<unknown>)[i] !== 'number') {
          throw new ValueError(`MLArray.from: expected numbers, got ${typeof (values as ArrayLike<unknown>)[i]} at index ${i}`);
        }
      }
      shape = [data.length];
    } else {
      throw new ValueError(`MLArray.from: expected a number, a nested array or an array-like of numbers, got ${String(values)}`);
    }
    if (opts.shape !== undefined) {
      checkShape('MLArray.from', opts.shape);
      if (sizeOf(opts.shape) !== data.length) {
        throw new ShapeError(`MLArray.from: ${data.length} values cannot fill shape ${formatShape(opts.shape)} (${sizeOf(opts.shape)} elements)`);
      }
      shape = [...opts.shape];
    }
    return new MLArray(data, shape, opts.requiresGrad ?? false);
  }

  static full(shape: Shape, value: number, opts: ArrayOptions = {}): MLArray {
    checkShape('MLArray.full', shape);
    if (typeof value !== 'number') throw new ValueError(`MLArray.full: value must be a number, got ${typeof value}`);
    return new MLArray(new Float64Array(sizeOf(shape)).fill(value), [...shape], opts.requiresGrad ?? false);
  }
  static zeros(shape: Shape, opts: ArrayOptions = {}): MLArray { return MLArray.full(shape, 0, opts); }
  static ones(shape: Shape, opts: ArrayOptions = {}): MLArray { return MLArray.full(shape, 1, opts); }
  /** A 0-d array holding `x`. */
  static scalar(x: number, opts: ArrayOptions = {}): MLArray { return MLArray.full([], x, opts); }

  /** Uniform samples in [0, 1) from a seeded Rng. */
  static rand(shape: Shape, rng: Rng, opts: ArrayOptions = {}): MLArray {
    const a = MLArray.zeros(shape, opts);
    for (let i = 0; i < a.data.length; i++) a.data[i] = rng.uniform();
    return a;
  }
  /** Standard normal samples from a seeded Rng. */
  static randn(shape: Shape, rng: Rng, opts: ArrayOptions = {}): MLArray {
    const a = MLArray.zeros(shape, opts);
    for (let i = 0; i < a.data.length; i++) a.data[i] = rng.normal();
    return a;
  }

  /** Runs `fn` without recording a graph (same as the exported `noGrad`). */
  static noGrad<T>(fn: () => T): T { return noGrad(fn); }

  // ---- elementwise ----------------------------------------------------------------

  add(other: MLArray | number): MLArray { return apply('add', [this, operand('add', other)], {}); }
  sub(other: MLArray | number): MLArray { return apply('sub', [this, operand('sub', other)], {}); }
  mul(other: MLArray | number): MLArray { return apply('mul', [this, operand('mul', other)], {}); }
  div(other: MLArray | number): MLArray { return apply('div', [this, operand('div', other)], {}); }
  pow(exponent: number): MLArray {
    assertFinite('pow', 'exponent', exponent);
    return apply('pow', [this], { exponent });
  }
  neg(): MLArray { return apply('neg', [this], {}); }
  exp(): MLArray { return apply('exp', [this], {}); }
  log(): MLArray { return apply('log', [this], {}); }
  sqrt(): MLArray { return apply('sqrt', [this], {}); }
  abs(): MLArray { return apply('abs', [this], {}); }
  relu(): MLArray { return apply('relu', [this], {}); }
  sigmoid(): MLArray { return apply('sigmoid', [this], {}); }
  tanh(): MLArray { return apply('tanh', [this], {}); }
  /** log(1 + e^x), computed without overflow; its gradient is sigmoid(x). */
  softplus(): MLArray { return apply('softplus', [this], {}); }
  leakyRelu(alpha = 0.01): MLArray {
    assertFinite('leakyRelu', 'alpha', alpha);
    return apply('leakyRelu', [this], { alpha });
  }
  elu(alpha = 1): MLArray {
    assertFinite('elu', 'alpha', alpha);
    return apply('elu', [this], { alpha });
  }
  /** Limits every element to [min, max]; use ±Infinity for a one-sided clip. */
  clip(min: number, max: number): MLArray {
    if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
      throw new ValueError(`clip: need numbers min <= max, got min=${String(min)}, max=${String(max)}`);
    }
    return apply('clip', [this], { min, max });
  }

  // ---- along an axis ----------------------------------------------------------------

  softmax(axis = -1): MLArray {
    return apply('softmax', [this], { axis: normalizeAxis('softmax', axis, this.ndim) });
  }
  logSoftmax(axis = -1): MLArray {
    return apply('logSoftmax', [this], { axis: normalizeAxis('logSoftmax', axis, this.ndim) });
  }
  /** log(sum(exp(x))) along `axis` (default last), computed without overflow. */
  logsumexp(axis = -1, keepdims = false): MLArray {
    return apply('logsumexp', [this], { axis: normalizeAxis('logsumexp', axis, this.ndim), keepdims });
  }

  // ---- reductions -------------------------------------------------------------------

  /** Sum over `axis` (a number, a list, or null/undefined for all axes). */
  sum(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    return apply('sum', [this], { axes: normalizeAxes('sum', axis, this.ndim), keepdims });
  }
  mean(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    const axes = normalizeAxes('mean', axis, this.ndim);
    const n = axes.reduce((p, a) => p * this.shape[a]!, 1);
    if (n === 0) throw new ValueError(`mean: cannot average over an empty axis of shape ${formatShape(this.shape)}`);
    return this.sum(axes, keepdims).mul(1 / n);
  }
  max(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    return apply('max', [this], { axes: this.nonEmptyAxes('max', axis), keepdims });
  }
  min(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    return apply('min', [this], { axes: this.nonEmptyAxes('min', axis), keepdims });
  }
  /** Variance: mean of squared deviations, divided by (n - ddof). Population variance by default. */
  variance(axis: number | readonly number[] | null = null, keepdims = false, ddof = 0): MLArray {
    const axes = normalizeAxes('variance', axis, this.ndim);
    const n = axes.reduce((p, a) => p * this.shape[a]!, 1);
    if (!Number.isInteger(ddof) || ddof < 0 || n - ddof <= 0) {
      throw new ValueError(`variance: need 0 <= ddof < n, got ddof=${ddof} with n=${n} elements per group`);
    }
    const d = this.sub(this.mean(axes, true));
    return d.mul(d).sum(axes, keepdims).mul(1 / (n - ddof));
  }
  std(axis: number | readonly number[] | null = null, keepdims = false, ddof = 0): MLArray {
    return this.variance(axis, keepdims, ddof).sqrt();
  }
  /** Index of the (first) maximum along `axis`, or of the flattened array when axis is null. No gradient. */
  argmax(axis: number | null = null): MLArray {
    if (axis === null) {
      const flat = new MLArray(this.data, [this.size]);
      return flat.argmax(0).reshape([]);
    }
    const ax = this.nonEmptyAxes('argmax', axis)[0]!;
    const [outer, n, inner] = axisSplit(this.shape, ax);
    const out = new Float64Array(outer * inner);
    argmaxAxis(this.data, outer, n, inner, out);
    return new MLArray(out, reducedShape(this.shape, [ax], false));
  }

  private nonEmptyAxes(op: string, axis: number | readonly number[] | null): number[] {
    const axes = normalizeAxes(op, axis, this.ndim);
    for (const a of axes) {
      if (this.shape[a] === 0) throw new ValueError(`${op}: cannot reduce an empty axis ${a} of shape ${formatShape(this.shape)}`);
    }
    return axes;
  }

  // ---- shape ------------------------------------------------------------------------

  /**
   * Matrix product with numpy semantics: 2-d @ 2-d; a 1-d operand is treated as a row
   * (left) or column (right) vector and that axis is dropped from the result; leading batch
   * axes broadcast: (..., m, k) @ (k, n) gives (..., m, n), (2, 1, m, k) @ (3, k, n) gives (2, 3, m, n).
   */
  matmul(other: MLArray): MLArray {
    const b = operand('matmul', other);
    if (this.ndim === 0 || b.ndim === 0) {
      throw new ShapeError(`matmul: cannot multiply ${formatShape(this.shape)} by ${formatShape(b.shape)}: use mul() for scalars`);
    }
    const k = this.shape[this.ndim - 1]!;
    if (b.shape[b.ndim === 1 ? 0 : b.ndim - 2] !== k) {
      throw new ShapeError(`matmul: cannot multiply ${formatShape(this.shape)} by ${formatShape(b.shape)}`);
    }
    const a2 = this.ndim === 1 ? this.reshape([1, k]) : this;
    const b2 = b.ndim === 1 ? b.reshape([k, 1]) : b;
    let out = apply('matmul', [a2, b2], {});
    if (this.ndim === 1 || b.ndim === 1) {
      const shape = [...out.shape];
      if (b.ndim === 1) shape.pop();
      if (this.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
      out = out.reshape(shape);
    }
    return out;
  }
  /** Permutes axes (default: reverses them). */
  transpose(axes?: readonly number[]): MLArray {
    const nd = this.ndim;
    const perm = axes === undefined ? Array.from({ length: nd }, (_, i) => nd - 1 - i) : axes.map((a) => normalizeAxis('transpose', a, nd));
    if (perm.length !== nd || new Set(perm).size !== nd) {
      throw new ShapeError(`transpose: axes [${axes?.join(', ')}] are not a permutation of the ${nd} axes of ${formatShape(this.shape)}`);
    }
    return apply('transpose', [this], { perm });
  }
  /** The transpose (axes reversed). */
  get T(): MLArray { return this.transpose(); }
  /** Same numbers, new shape; one dimension may be -1 (inferred). */
  reshape(shape: Shape): MLArray {
    const to = resolveReshape('reshape', this.shape, shape);
    return apply('reshape', [this], { shape: to });
  }
  /** Selects entries along `axis` (rows by default); differentiable (the gradient is scattered back). */
  take(indices: ArrayLike<number>, axis = 0): MLArray {
    const ax = normalizeAxis('take', axis, this.ndim);
    const n = this.shape[ax]!;
    const idx = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i]!;
      if (!Number.isInteger(v) || v < -n || v >= n) {
        throw new ValueError(`take: index ${v} (position ${i}) is out of range for axis ${ax} of size ${n}`);
      }
      idx[i] = v < 0 ? v + n : v;
    }
    return apply('take', [this], { indices: idx, axis: ax });
  }

  // ---- images (NCHW; sizes are `number | [h, w]`, checks in image-args.ts) -------------

  /**
   * 2-d convolution (cross-correlation, as PyTorch's `conv2d`, no bias) of `(N, Cin, H, W)`
   * with `weight` `(Cout, Cin, kH, kW)`: gives `(N, Cout, Hout, Wout)`, Hout = floor((H + 2·padding - kH) / stride) + 1.
   * @example
   * const y = x.conv2d(w, { stride: 1, padding: 1 }); // (64, 1, 28, 28) with (8, 1, 3, 3) -> (64, 8, 28, 28)
   */
  conv2d(weight: MLArray, opts?: Conv2dOptions): MLArray { const w = operand('conv2d', weight); return apply('conv2d', [this, w], conv2dParams(this.shape, w.shape, opts)); }
  /**
   * Max over each `kernelSize` window of every `(H, W)` plane (as PyTorch's `max_pool2d`; padding counts as −∞).
   * @example
   * const y = x.maxPool2d(2); // (64, 8, 28, 28) -> (64, 8, 14, 14)
   */
  maxPool2d(kernelSize: Size2d, opts?: MaxPool2dOptions): MLArray { return apply('maxPool2d', [this], maxPool2dParams(this.shape, kernelSize, opts)); }
  /**
   * Mean over each `kernelSize` window of every `(H, W)` plane (as PyTorch's `avg_pool2d`, no padding).
   * @example
   * const y = x.avgPool2d([2, 2], { stride: 2 }); // (1, 3, 8, 8) -> (1, 3, 4, 4)
   */
  avgPool2d(kernelSize: Size2d, opts?: AvgPool2dOptions): MLArray { return apply('avgPool2d', [this], avgPool2dParams(this.shape, kernelSize, opts)); }

  // ---- autodiff -----------------------------------------------------------------------

  /**
   * Backpropagates from this array. `upstream` (dL/d this, same shape) may be omitted for a
   * one-element array (it is then 1). Gradients accumulate into `.grad` of every leaf array
   * created with `requiresGrad: true` (and of intermediates marked with `retainGrad()`).
   * The graph is released afterwards.
   * @example
   * const w = MLArray.from([1, 2, 3], { requiresGrad: true });
   * w.mul(w).sum().backward(); // w.grad = [2, 4, 6]
   */
  backward(upstream?: MLArray, opts: BackwardOptions = {}): void {
    let up: Float64Array;
    if (upstream === undefined) {
      if (this.size !== 1) {
        throw new AutodiffError(
          `backward: an upstream gradient is required for an array of shape ${formatShape(this.shape)}; ` +
            'reduce it to one element (e.g. .sum()) or pass backward(upstream)',
        );
      }
      up = Float64Array.of(1);
    } else {
      if (!(upstream instanceof MLArray) || !sameShape(upstream.shape, this.shape)) {
        throw new ShapeError(
          `backward: upstream gradient of shape ${upstream instanceof MLArray ? formatShape(upstream.shape) : typeof upstream} ` +
            `does not match the array's shape ${formatShape(this.shape)}`,
        );
      }
      up = upstream.data;
    }
    runBackward(this, up, opts.retainGraph ?? false);
  }

  /** @internal adds g into .grad (called by the autodiff engine). */
  accumulateGrad(g: Float64Array): void {
    if (this.grad === null) this.grad = new MLArray(g.slice(), this.shape);
    else {
      const d = this.grad.data;
      for (let i = 0; i < d.length; i++) d[i]! += g[i]!;
    }
  }

  /** Keep `.grad` for this intermediate array too on the next backward(). */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /**
   * How many times this array's numbers were changed in place through the library (optimizer
   * steps, `markModified()`). Backward compares it with the version recorded when the array was
   * used, so a gradient is never computed from numbers that changed after the forward pass.
   * Writing into `.data` yourself does not count: call `markModified()` after doing so.
   */
  get version(): number { return this._version; }
  /** Records that `.data` was changed in place (bumps `version`); optimizers call it after each update. */
  markModified(): void { this._version++; }

  /** Clears `.grad` (sets it to null). */
  zeroGrad(): void { this.grad = null; }
  /** The seed's name for zeroGrad(). */
  restart(): void { this.zeroGrad(); }

  /** The same numbers (shared, not copied), cut from the graph: no gradient flows through. */
  detach(): MLArray { return new MLArray(this.data, this.shape); }
  /** A copy of the numbers, cut from the graph. */
  clone(): MLArray { return new MLArray(this.data.slice(), this.shape); }

  // ---- conversion ---------------------------------------------------------------------

  toArray(): Nested { return toNested(this.data, this.shape); }
  /** The single number of a one-element array. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: only one-element arrays convert to a number, got shape ${formatShape(this.shape)}`);
    return this.data[0]!;
  }
  toString(): string {
    const extra = this.requiresGrad ? ', requiresGrad=true' : '';
    return formatArray(this.data, this.shape, 'MLArray(', `, shape=${formatShape(this.shape)}${extra})`);
  }
}

