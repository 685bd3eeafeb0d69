// MLArray's methods are thin sugar: check the arguments (create.ts, shape.ts), then apply a
// primitive (ops/) or compose primitives, so every gradient comes from the one rule table.
// Storage, the gradient slot, in-place writes and conversion to plain numbers live in mlarray-base.ts.
import { type BackwardOptions, type Differentiable, addInto, backwardFrom, noGrad, record } from './autodiff.js';
import { type ArrayOptions, type FromOptions, checkClip, filled, fromValues, sampled } from './create.js';
import { ValueError } from './errors.js';
import { MLArrayBase, trustNextArray } from './mlarray-base.js';
import { matmulOperands, matmulResultShape } from './ops/matmul.js';
import { argmaxAlong } from './ops/reduce.js';
import { type BatchNormOpOptions, batchNormParams } from './batch-norm-args.js';
import { type AvgPool2dOptions, type Conv2dOptions, type MaxPool2dOptions, type Size2d, avgPool2dParams, conv2dParams, maxPool2dParams } from './image-args.js';
import { RULES } from './ops/table.js';
import type { Primitive, PrimitiveParams, Rule } from './ops/types.js';
import type { Rng } from './rng.js';
import * as S from './shape.js';
import type { Nested, Shape } from './shape-types.js';
import { checkNumber, describeValue, real } from './validate.js';

export type { ArrayOptions, BackwardOptions, BatchNormOpOptions, FromOptions };

/** A new array over data and shape that are right by construction (the constructor's checks are skipped). */
function valid(data: Float64Array, shape: Shape, requiresGrad = false): MLArray {
  trustNextArray();
  return new MLArray(data, shape, requiresGrad);
}

/** Applies a primitive: forward through its rule, then record it for backward. */
function apply<P extends Primitive>(prim: P, inputs: readonly MLArray[], params: PrimitiveParams[P]): MLArray {
  const r = (RULES[prim] as Rule<PrimitiveParams[P]>).forward(inputs, params);
  const out = valid(r.data, r.shape);
  record(out, prim, inputs, params);
  return out;
}

/** A new array over freshly made `data` (the shape is copied: the caller's array may change later). */
function made(data: Float64Array, shape: Shape, opts: ArrayOptions): MLArray {
  return valid(data, [...shape], opts.requiresGrad ?? false);
}

function operand(op: string, x: MLArray | number): MLArray {
  if (x instanceof MLArray) return x;
  if (typeof x === 'number') return valid(Float64Array.of(checkNumber(op, 'scalar operand', x, real)), []);
  throw new ValueError(`${op}: operand must be an MLArray or a number, got ${describeValue(x)}; wrap arrays with MLArray.from(...)`);
}

/**
 * An n-d array of float64 numbers that records the operations applied to it, so `backward()`
 * can compute the gradient of a result with respect to every array created with
 * `requiresGrad: true`. Operations broadcast like numpy and return new arrays.
 * @example
 * const x = MLArray.from([[1, 2], [3, 4]]);
 * const w = MLArray.from([[0.5], [-0.25]], { requiresGrad: true });
 * const loss = x.matmul(w).tanh().pow(2).mean();
 * loss.backward();
 * w.grad?.toArray2D(); // [[1.0903], [1.4537]] (rounded)
 */
export class MLArray extends MLArrayBase implements Differentiable {
  // ---- construction (checks in create.ts) -------------------------------------------

  /**
   * From a number, a nested array (at most 64 levels deep) or flat numbers (with `opts.shape`).
   * @example
   * const x = MLArray.from([[1, 2], [3, 4]], { requiresGrad: true }); // shape (2, 2)
   * const y = MLArray.from(new Float64Array(6), { shape: [2, 3] });
   */
  static from(values: Nested | ArrayLike<number>, opts: FromOptions = {}): MLArray {
    const { data, shape } = fromValues('MLArray.from', values, opts.shape);
    return valid(data, shape, opts.requiresGrad ?? false);
  }
  /** An array of `shape` with every element `value`. */
  static full(shape: Shape, value: number, opts: ArrayOptions = {}): MLArray { return made(filled('MLArray.full', shape, value), shape, opts); }
  /** An array of `shape` filled with 0 (a ValueError naming the size if it is absurd). */
  static zeros(shape: Shape, opts: ArrayOptions = {}): MLArray { return made(filled('MLArray.zeros', shape, 0), shape, opts); }
  /** An array of `shape` filled with 1. */
  static ones(shape: Shape, opts: ArrayOptions = {}): MLArray { return made(filled('MLArray.ones', shape, 1), shape, opts); }
  /** A 0-d array holding `x`. */
  static scalar(x: number, opts: ArrayOptions = {}): MLArray { return made(filled('MLArray.scalar', [], x), [], opts); }
  /** Uniform samples in [0, 1) from a seeded Rng. */
  static rand(shape: Shape, rng: Rng, opts: ArrayOptions = {}): MLArray { return made(sampled('MLArray.rand', shape, rng, 'uniform'), shape, opts); }
  /** Standard normal samples from a seeded Rng. */
  static randn(shape: Shape, rng: Rng, opts: ArrayOptions = {}): MLArray { return made(sampled('MLArray.randn', shape, rng, 'normal'), shape, opts); }
  /** Runs `fn` without recording a graph (same as the exported `noGrad`; synchronous code only). */
  static noGrad<T>(fn: () => T): T { return noGrad(fn); }

  // ---- elementwise ------------------------------------------------------------------

  /**
   * this + other, elementwise with numpy broadcasting (a number acts as a 0-d array).
   * @example
   * MLArray.from([[1, 2], [3, 4]]).add(MLArray.from([10, 20])); // [[11, 22], [13, 24]]
   */
  add(other: MLArray | number): MLArray { return apply('add', [this, operand('add', other)], {}); }
  /** this - other, elementwise with broadcasting. */
  sub(other: MLArray | number): MLArray { return apply('sub', [this, operand('sub', other)], {}); }
  /** this * other, elementwise with broadcasting (for the matrix product see `matmul`). */
  mul(other: MLArray | number): MLArray { return apply('mul', [this, operand('mul', other)], {}); }
  /** this / other, elementwise with broadcasting; x / 0 is ±Infinity, but 0/0 and ±Infinity/±Infinity throw a ValueError. */
  div(other: MLArray | number): MLArray { return apply('div', [this, operand('div', other)], {}); }
  /** Each element to a constant power (a negative base with a fractional exponent throws a ValueError). */
  pow(exponent: number): MLArray { return apply('pow', [this], { exponent: checkNumber('pow', 'exponent', exponent, real) }); }
  /** -this. */
  neg(): MLArray { return apply('neg', [this], {}); }
  /** e^x elementwise. */
  exp(): MLArray { return apply('exp', [this], {}); }
  /** Natural log elementwise (log 0 is -Infinity; a negative element throws a ValueError). */
  log(): MLArray { return apply('log', [this], {}); }
  /** Square root elementwise (a negative element throws a ValueError). */
  sqrt(): MLArray { return apply('sqrt', [this], {}); }
  /** |x| elementwise (gradient 0 at 0, as in PyTorch). */
  abs(): MLArray { return apply('abs', [this], {}); }
  /** max(x, 0) elementwise (gradient 0 at 0). */
  relu(): MLArray { return apply('relu', [this], {}); }
  /** 1 / (1 + e^-x) elementwise, computed without overflow. */
  sigmoid(): MLArray { return apply('sigmoid', [this], {}); }
  /** Hyperbolic tangent elementwise. */
  tanh(): MLArray { return apply('tanh', [this], {}); }
  /** log(1 + e^x), computed without overflow; its gradient is sigmoid(x). */
  softplus(): MLArray { return apply('softplus', [this], {}); }
  /** x for x > 0, alpha·x otherwise. */
  leakyRelu(alpha = 0.01): MLArray { return apply('leakyRelu', [this], { alpha: checkNumber('leakyRelu', 'alpha', alpha, real) }); }
  /** x for x > 0, alpha·(e^x - 1) otherwise. */
  elu(alpha = 1): MLArray { return apply('elu', [this], { alpha: checkNumber('elu', 'alpha', alpha, real) }); }
  /** Limits every element to [min, max]; use ±Infinity for a one-sided clip. */
  clip(min: number, max: number): MLArray { return apply('clip', [this], checkClip('clip', min, max)); }

  // ---- along an axis (a 0-d array accepts axis 0 or -1, as in PyTorch) ----------------

  /**
   * e^x / sum(e^x) along `axis` (default last), computed without overflow.
   * @example
   * MLArray.from([[1, 1], [0, 0]]).softmax(); // [[0.5, 0.5], [0.5, 0.5]]
   */
  softmax(axis = -1): MLArray { return apply('softmax', [this], { axis: S.sliceAxis('softmax', axis, this.ndim) }); }
  /** log(softmax(x)) along `axis` (default last), computed without overflow or log(0). */
  logSoftmax(axis = -1): MLArray { return apply('logSoftmax', [this], { axis: S.sliceAxis('logSoftmax', axis, this.ndim) }); }
  /** log(sum(exp(x))) along `axis` (default last), computed without overflow. */
  logsumexp(axis = -1, keepdims = false): MLArray {
    return apply('logsumexp', [this], { axis: S.sliceAxis('logsumexp', axis, this.ndim), keepdims });
  }

  // ---- reductions (axis: a number, a list, or null/undefined for all axes) ------------

  /**
   * Sum over `axis` (all axes by default); `keepdims` keeps reduced axes with length 1.
   * @example
   * MLArray.from([[1, 2], [3, 4]]).sum(0); // [4, 6]
   */
  sum(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    return apply('sum', [this], { axes: S.normalizeAxes('sum', axis, this.ndim), keepdims });
  }
  /** Mean over `axis` (all axes by default). */
  mean(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    const axes = S.normalizeAxes('mean', axis, this.ndim);
    return this.sum(axes, keepdims).mul(1 / S.groupSize('mean', this.shape, axes));
  }
  /** Maximum over `axis` (all axes by default); tied maxima share the gradient equally. */
  max(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    return apply('max', [this], { axes: S.nonEmptyAxes('max', axis, this.shape), keepdims });
  }
  /** Minimum over `axis` (all axes by default); tied minima share the gradient equally. */
  min(axis: number | readonly number[] | null = null, keepdims = false): MLArray {
    return apply('min', [this], { axes: S.nonEmptyAxes('min', axis, this.shape), keepdims });
  }
  /** Variance: mean of squared deviations, divided by (n - ddof). Population variance by default. */
  variance(axis: number | readonly number[] | null = null, keepdims = false, ddof = 0): MLArray {
    const axes = S.normalizeAxes('variance', axis, this.ndim);
    const divisor = S.groupSize('variance', this.shape, axes, ddof);
    const d = this.sub(this.mean(axes, true));
    return d.mul(d).sum(axes, keepdims).mul(1 / divisor);
  }
  /** Standard deviation: the square root of `variance` (same arguments). */
  std(axis: number | readonly number[] | null = null, keepdims = false, ddof = 0): MLArray { return this.variance(axis, keepdims, ddof).sqrt(); }
  /** Index of the (first) maximum along `axis`, or of the flattened array when axis is null. No gradient. */
  argmax(axis: number | null = null): MLArray {
    const r = argmaxAlong(axis === null ? { data: this.data, shape: [this.size] } : this, axis ?? 0);
    return valid(r.data, r.shape);
  }

  // ---- shape ------------------------------------------------------------------------

  /**
   * Matrix product with numpy semantics: 2-d @ 2-d; a 1-d operand is treated as a row
   * (left) or column (right) vector and that axis is dropped from the result; leading batch
   * axes broadcast: (..., m, k) @ (k, n) gives (..., m, n), (2, 1, m, k) @ (3, k, n) gives (2, 3, m, n).
   */
  matmul(other: MLArray): MLArray {
    const b = operand('matmul', other);
    const [as, bs] = matmulOperands(this.shape, b.shape);
    const out = apply('matmul', [as === this.shape ? this : this.reshape(as), bs === b.shape ? b : b.reshape(bs)], {});
    const squeezed = matmulResultShape(this.ndim, b.ndim, out.shape);
    return squeezed === out.shape ? out : out.reshape(squeezed);
  }
  /** Permutes axes (default: reverses them). */
  transpose(axes?: readonly number[]): MLArray { return apply('transpose', [this], { perm: S.normalizePerm('transpose', axes, this.shape) }); }
  /** The transpose (axes reversed). */
  get T(): MLArray { return this.transpose(); }
  /** Same numbers, new shape; one dimension may be -1 (inferred). */
  reshape(shape: Shape): MLArray { return apply('reshape', [this], { shape: S.resolveReshape('reshape', this.shape, shape) }); }
  /** Selects entries along `axis` (rows by default); differentiable (the gradient is scattered back). */
  take(indices: ArrayLike<number>, axis = 0): MLArray {
    const ax = S.normalizeAxis('take', axis, this.ndim);
    return apply('take', [this], { indices: S.checkIndices('take', indices, this.shape[ax]!, ax), axis: ax });
  }

  // ---- images (NCHW; sizes are `number | [h, w]`, checks in image-args.ts) -------------

  /**
   * 2-d convolution (cross-correlation, as PyTorch's `conv2d`) of `(N, Cin, H, W)` with `weight`
   * `(Cout, Cin, kH, kW)`: gives `(N, Cout, Hout, Wout)`, Hout = floor((H + 2·padding - kH) / stride) + 1.
   * `bias` `(Cout)` is added per output channel, and `relu: true` applies relu, both in the
   * convolution's own pass (the same numbers as `.add(bias.reshape([1, Cout, 1, 1])).relu()`).
   * @example
   * const y = x.conv2d(w, { stride: 1, padding: 1 }); // (64, 1, 28, 28) with (8, 1, 3, 3) -> (64, 8, 28, 28)
   * const z = x.conv2d(w, { padding: 1, bias: b, relu: true }); // b of shape (8)
   */
  conv2d(weight: MLArray, opts?: Conv2dOptions): MLArray {
    const w = operand('conv2d', weight);
    const bias = opts?.bias;
    if (bias != null && !(bias instanceof MLArray)) throw new ValueError(`conv2d: options.bias must be an MLArray of shape [Cout] or null, got ${describeValue(bias)}`);
    const params = conv2dParams(this.shape, w.shape, opts);
    return apply('conv2d', bias == null ? [this, w] : [this, w, bias], params);
  }
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

  /**
   * Batch normalisation of `(N, C, ...)` per channel (axis 1), as PyTorch's `F.batch_norm`:
   * `gamma * (x - mean) / sqrt(var + eps) + beta` with this batch's statistics when
   * `training` (then `runningMean`/`runningVar`, if given, are updated in place), else with
   * `runningMean`/`runningVar`. One fused primitive; gradients flow to x, gamma and beta.
   * @example
   * const y = x.batchNorm(gamma, beta, { training: true, runningMean, runningVar }); // (64, 16, 28, 28) with (16) each
   */
  batchNorm(gamma: MLArray, beta: MLArray, opts?: BatchNormOpOptions | null): MLArray {
    return apply('batchNorm', [this, gamma, beta], batchNormParams(this, gamma, beta, opts));
  }

  // ---- autodiff -----------------------------------------------------------------------

  /**
   * Backpropagates from this array. `upstream` (dL/d this, same shape) may be omitted for a
   * one-element array (it is then 1). Gradients accumulate into `.grad` of every leaf array
   * created with `requiresGrad: true` (and of intermediates marked with `retainGrad()`).
   * The graph is released afterwards unless `retainGraph`; a second backward through a retained
   * graph adds to those gradients again (as PyTorch). Throws an AutodiffError if an array the
   * gradient needs was modified in place since the forward pass (see `version`).
   * @example
   * const w = MLArray.from([1, 2, 3], { requiresGrad: true });
   * w.mul(w).sum().backward(); // w.grad = [2, 4, 6]
   */
  backward(upstream?: MLArray, opts: BackwardOptions = {}): void { backwardFrom(this, upstream, opts.retainGraph ?? false); }
  /** @internal adds g into .grad (called by the autodiff engine). */
  accumulateGrad(g: Float64Array): void {
    if (this._grad === null) this._grad = valid(g.slice(), this.shape);
    else addInto(this._grad.data, g);
  }
  /** The same numbers (shared, not copied), cut from the graph: no gradient flows through. */
  detach(): MLArray { return valid(this.data, this.shape); }
  /** A copy of the numbers, cut from the graph. */
  clone(): MLArray { return valid(this.data.slice(), this.shape); }
}
