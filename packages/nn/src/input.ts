/** Input conversion and checks shared by the network, the training loop and the data helpers. */
import { AutodiffError, MLArray, ShapeError, SmolMLError, ValueError, allFinite, formatShape, type Nested } from '@smolml/core';
import { describeValue } from '@smolml/core/internal';

/** What the API accepts wherever it takes data: an MLArray or nested number arrays. */
export type ArrayLikeInput = MLArray | Nested;

/** Converts nested arrays with MLArray.from; an MLArray is returned as it is. */
export function asArray(op: string, what: string, x: ArrayLikeInput): MLArray {
  if (x instanceof MLArray) return x;
  if (typeof x === 'number' || Array.isArray(x)) return MLArray.from(x);
  throw new ValueError(`${op}: ${what} must be an MLArray or a nested array of numbers, got ${describeValue(x)}`);
}

/** As asArray, and requires a 2-D `(rows, columns)` array. */
export function asMatrix(op: string, what: string, x: ArrayLikeInput): MLArray {
  const a = asArray(op, what, x);
  if (a.ndim !== 2) {
    throw new ShapeError(`${op}: ${what} must be 2-D (samples, features), received shape ${formatShape(a.shape)}; reshape a single sample to (1, n)`);
  }
  return a;
}

/** As asArray, and requires a batch of samples: at least 2-D `(samples, ...features)`. */
export function asSamples(op: string, what: string, x: ArrayLikeInput): MLArray {
  const a = asArray(op, what, x);
  if (a.ndim < 2) {
    throw new ShapeError(`${op}: ${what} must have a first axis of samples, (samples, features), received shape ${formatShape(a.shape)}; reshape a single sample to (1, n)`);
  }
  return a;
}

/** Throws a ValueError naming the first NaN or ±Infinity in `a` (row and column for 2-D data). */
export function assertAllFinite(op: string, what: string, a: MLArray): void {
  const d = a.data;
  if (allFinite(d)) return;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      const cols = a.ndim === 2 ? a.shape[1]! : 0;
      const where = cols > 0 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
      throw new ValueError(`${op}: ${what} contains ${String(d[i])} at ${where}; remove or impute non-finite values first`);
    }
  }
}

/** Throws a ShapeError unless `x` and `y` have the same number of rows. */
export function assertSameRows(op: string, x: MLArray, y: MLArray, xName = 'X', yName = 'y'): void {
  if (y.ndim === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      `${op}: ${xName} has ${x.shape[0]} rows ${formatShape(x.shape)} but ${yName} has shape ${formatShape(y.shape)}; they need one target row per sample`,
    );
  }
}

/**
 * Runs `fn`; a ShapeError, ValueError or AutodiffError it throws is thrown again, of the same
 * class, with `prefix` before its message (the original as `cause`), so a layer's or a loss's
 * own check also says where it happened (which layer, which call) without being repeated.
 */
export function inContext<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof SmolMLError) || e.name === 'TrainingError') throw e;
    const Class = e instanceof ShapeError ? ShapeError : e instanceof ValueError ? ValueError : e instanceof AutodiffError ? AutodiffError : SmolMLError;
    throw new Class(`${prefix}${e.message}`, { cause: e });
  }
}
