/**
 * Data helpers: one-hot encoding, a seeded train/test split, standardisation and accuracy.
 * Every helper takes MLArrays or nested number arrays and returns MLArrays.
 */
import { MLArray, ShapeError, ValueError, createRng, formatShape, noGrad } from '@smolml/core';
import { checkInteger, describeValue } from '@smolml/core/internal';
import { type ArrayLikeInput, asArray, asMatrix, assertAllFinite, assertSameRows } from './input.js';

/** Labels of a 1-D array, or of a `(n, 1)` column; every label a non-negative integer. */
function labelVector(op: string, labels: ArrayLikeInput): Float64Array {
  const a = asArray(op, 'labels', labels);
  if (!(a.ndim === 1 || (a.ndim === 2 && a.shape[1] === 1))) {
    throw new ShapeError(`${op}: labels must be 1-D (n,) or a column (n, 1), received ${formatShape(a.shape)}`);
  }
  for (let i = 0; i < a.size; i++) {
    const v = a.data[i]!;
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`${op}: labels must be non-negative integers, got ${v} at index ${i}`);
  }
  return a.data;
}

/**
 * One-hot encodes integer class labels: `(n,)` labels to an `(n, numClasses)` array of 0/1.
 * `numClasses` defaults to the largest label + 1.
 * @example
 * oneHot([0, 2, 1]).toArray(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 */
export function oneHot(labels: ArrayLikeInput, numClasses?: number): MLArray {
  const l = labelVector('oneHot', labels);
  let k = numClasses;
  if (k === undefined) k = l.reduce((m, v) => Math.max(m, v), -1) + 1;
  else checkInteger('oneHot', 'numClasses', k);
  if (k <= 0) throw new ValueError('oneHot: no labels to encode');
  const out = MLArray.zeros([l.length, k]);
  for (let i = 0; i < l.length; i++) {
    const c = l[i]!;
    if (c >= k) throw new ValueError(`oneHot: label ${c} at index ${i} is out of range for ${k} classes (labels are 0..${k - 1})`);
    out.data[i * k + c] = 1;
  }
  return out;
}

/** Options of `trainTestSplit`. */
export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) of the samples for the test set (rounded up), or a sample count. Default 0.25. */
  testSize?: number;
  /** Seed of the shuffle (default 0, so splits are reproducible). */
  seed?: number;
  /** Shuffle before splitting (default true); false takes the last rows as the test set. */
  shuffle?: boolean;
}

/** The four arrays `trainTestSplit` returns. */
export interface TrainTestSplit {
  XTrain: MLArray;
  XTest: MLArray;
  yTrain: MLArray;
  yTest: MLArray;
}

/**
 * Splits samples (rows of X and y) into a training and a test set, after a seeded shuffle.
 * @example
 * const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.2, seed: 42 });
 */
export function trainTestSplit(X: ArrayLikeInput, y: ArrayLikeInput, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const x = asArray('trainTestSplit', 'X', X);
  const t = asArray('trainTestSplit', 'y', y);
  if (x.ndim === 0) throw new ShapeError('trainTestSplit: X must have at least one axis of samples');
  assertSameRows('trainTestSplit', x, t);
  const n = x.shape[0]!;
  const size = options.testSize ?? 0.25;
  let nTest: number;
  if (typeof size === 'number' && size > 0 && size < 1) nTest = Math.ceil(size * n);
  else if (typeof size === 'number' && Number.isInteger(size) && size >= 1) nTest = size;
  else throw new ValueError(`trainTestSplit: testSize must be a fraction in (0, 1) or a positive integer count, got ${describeValue(size)}`);
  if (nTest >= n) throw new ValueError(`trainTestSplit: a test set of ${nTest} samples leaves none of the ${n} for training`);
  const order = options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : createRng(options.seed ?? 0).permutation(n);
  const train = order.subarray(0, n - nTest);
  const test = order.subarray(n - nTest);
  return noGrad(() => ({ XTrain: x.take(train), XTest: x.take(test), yTrain: t.take(train), yTest: t.take(test) }));
}

/**
 * Standardises each column to zero mean and unit variance: `(x - mean) / std`, with the
 * population standard deviation (ddof 0, as SmolML and scikit-learn). A constant column has
 * std 0; it is only centred (its scale is taken as 1), so no NaN appears.
 * @example
 * const scaler = new StandardScaler();
 * const XTrainS = scaler.fitTransform(XTrain);
 * const XTestS = scaler.transform(XTest); // with the training set's mean and std
 */
export class StandardScaler {
  /** Per-column mean, set by fit(). */
  mean: MLArray | null = null;
  /** Per-column divisor (std, or 1 for a constant column), set by fit(). */
  scale: MLArray | null = null;

  /**
   * Learns each column's mean and standard deviation. Each column is first divided by a power
   * of two near its largest magnitude (exact in floating point), so squares cannot overflow:
   * data of +-1e200 gets finite statistics, and ordinary data the same bits as without it.
   */
  fit(X: ArrayLikeInput): this {
    const x = asMatrix('StandardScaler.fit', 'X', X);
    assertAllFinite('StandardScaler.fit', 'X', x);
    const [n, f] = x.shape as [number, number];
    if (n === 0) throw new ValueError('StandardScaler.fit: X has no rows');
    const mean = new Float64Array(f);
    const scale = new Float64Array(f);
    const d = x.data;
    for (let j = 0; j < f; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = d[i * f + j]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (lo === hi) {
        // Constant column: centre exactly (a computed mean could be off by rounding) and do not scale.
        mean[j] = lo;
        scale[j] = 1;
        continue;
      }
      const k = 2 ** Math.floor(Math.log2(Math.max(-lo, hi)));
      let s = 0;
      for (let i = 0; i < n; i++) s += d[i * f + j]! / k;
      const m = s / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (d[i * f + j]! / k - m) ** 2;
      const std = Math.sqrt(ss / n) * k;
      mean[j] = m * k;
      scale[j] = std > 0 ? std : 1;
    }
    this.mean = new MLArray(mean, [f]);
    this.scale = new MLArray(scale, [f]);
    return this;
  }

  /** `(X - mean) / scale` column by column, with the statistics learned by fit(). */
  transform(X: ArrayLikeInput): MLArray {
    // v - m can overflow for values near the float64 limit; v / s - m / s cannot (rarely needed)
    return this.apply('transform', X, (v, m, s) => {
      const r = (v - m) / s;
      return Number.isFinite(r) ? r : v / s - m / s;
    });
  }

  /** fit(X) then transform(X). */
  fitTransform(X: ArrayLikeInput): MLArray {
    return this.fit(X).transform(X);
  }

  /** Undoes transform(): `X * scale + mean`. */
  inverseTransform(X: ArrayLikeInput): MLArray {
    return this.apply('inverseTransform', X, (v, m, s) => {
      const r = v * s + m;
      return Number.isFinite(r) ? r : (v + m / s) * s;
    });
  }

  private apply(op: string, X: ArrayLikeInput, f: (v: number, mean: number, scale: number) => number): MLArray {
    const name = `StandardScaler.${op}`;
    if (this.mean === null || this.scale === null) throw new ValueError(`${name}: call fit() first`);
    const x = asMatrix(name, 'X', X);
    const cols = this.mean.size;
    if (x.shape[1] !== cols) {
      throw new ShapeError(`${name}: the scaler was fitted on ${cols} columns, received X of shape ${formatShape(x.shape)}`);
    }
    const out = new Float64Array(x.size);
    const m = this.mean.data;
    const s = this.scale.data;
    for (let i = 0; i < x.size; i++) out[i] = f(x.data[i]!, m[i % cols]!, s[i % cols]!);
    return new MLArray(out, [...x.shape]);
  }
}

/** Options of `accuracy`. */
export interface AccuracyOptions {
  /** Decision threshold for a single output column (default 0.5; use 0 for logits). */
  threshold?: number;
}

/**
 * Class labels from labels, scores or one-hot rows: a 1-D array holds labels; rows of a 2-D
 * array with several columns give their argmax; a single column gives `value > threshold`.
 * @example
 * toLabels(MLArray.from([[0.1, 0.9], [0.8, 0.2]])); // Float64Array [1, 0]
 * toLabels(MLArray.from([[0.7], [0.2]])); // Float64Array [1, 0]
 */
export function toLabels(a: MLArray, threshold = 0.5): Float64Array {
  if (a.ndim === 1) return a.data;
  if (a.ndim !== 2) throw new ShapeError(`accuracy: expected labels (n,) or scores (n, classes), received ${formatShape(a.shape)}`);
  if (a.shape[1] === 1) return a.data.map((v) => (v > threshold ? 1 : 0));
  return noGrad(() => a.argmax(1)).data;
}

/**
 * Fraction of samples whose predicted class equals the true class. Each side may hold labels
 * `(n,)`, one-hot or score rows `(n, classes)` (compared by argmax), or one column `(n, 1)` of
 * probabilities or 0/1 targets (thresholded: `> 0.5` is class 1).
 * @example
 * accuracy([[0.9, 0.1], [0.2, 0.8]], [0, 0]); // 0.5
 */
export function accuracy(yPred: ArrayLikeInput, yTrue: ArrayLikeInput, options: AccuracyOptions = {}): number {
  const p = asArray('accuracy', 'yPred', yPred);
  const t = asArray('accuracy', 'yTrue', yTrue);
  assertSameRows('accuracy', p, t, 'yPred', 'yTrue');
  if (p.shape[0] === 0) throw new ValueError('accuracy: no samples');
  return countHits(p, t, options.threshold ?? 0.5) / p.shape[0]!;
}

/** Number of samples whose predicted class (see toLabels; `threshold` for a single column) is the target's. */
export function countHits(pred: MLArray, y: MLArray, threshold: number): number {
  if (isColumn(pred) && isColumn(y) && pred.size === y.size) {
    // toLabels of both sides compared row by row, without building the label arrays (the
    // training loop counts hits after every batch): a 1-D array holds labels, a column is thresholded.
    const p = pred.data;
    const t = y.data;
    const pColumn = pred.ndim === 2;
    const tColumn = y.ndim === 2;
    let hits = 0;
    for (let i = 0; i < p.length; i++) {
      const lp = pColumn ? (p[i]! > threshold ? 1 : 0) : p[i]!;
      const lt = tColumn ? (t[i]! > 0.5 ? 1 : 0) : t[i]!;
      if (lp === lt) hits++;
    }
    return hits;
  }
  const lp = toLabels(pred, threshold);
  const lt = toLabels(y, 0.5);
  let hits = 0;
  for (let i = 0; i < lp.length; i++) if (lp[i] === lt[i]) hits++;
  return hits;
}

/** Labels `(n,)` or a single column `(n, 1)`. */
function isColumn(a: MLArray): boolean {
  return a.ndim === 1 || (a.ndim === 2 && a.shape[1] === 1);
}
