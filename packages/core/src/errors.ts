/**
 * Typed errors. Every message names the operation, what was wrong (shapes or values)
 * and, where it helps, what to do instead.
 */
import type { Shape } from './shape-types.js';

/**
 * Base class of every error smolml throws on purpose.
 * @example
 * try {
 *   MLArray.zeros([2, 3]).matmul(MLArray.zeros([2, 3]));
 * } catch (e) {
 *   if (e instanceof SmolMLError) console.log(e.name); // ShapeError (every smolml error is a SmolMLError)
 * }
 */
export class SmolMLError extends Error {
  override name = 'SmolMLError';
}

/**
 * Shapes that do not fit together: broadcasting, matmul, reshape, axes, ragged input.
 * @example
 * MLArray.zeros([2, 3]).matmul(MLArray.zeros([2, 3])); // throws ShapeError: matmul: cannot multiply (2, 3) by (2, 3)
 */
export class ShapeError extends SmolMLError {
  override name = 'ShapeError';
}

/**
 * A value outside what an operation accepts (NaN/Infinity where not allowed, log of a negative, bad index).
 * @example
 * new Value(NaN); // throws ValueError: Value: data must be a finite number, got NaN
 */
export class ValueError extends SmolMLError {
  override name = 'ValueError';
}

/**
 * Misuse of automatic differentiation (missing upstream gradient, a freed graph, ...).
 * @example
 * MLArray.from([1, 2]).sum().backward(); // throws AutodiffError: it depends on nothing with requiresGrad: true
 */
export class AutodiffError extends SmolMLError {
  override name = 'AutodiffError';
}

/**
 * The runtime lacks a feature the operation needs (e.g. WebAssembly SIMD for @smolml/wasm): the
 * input is fine, the engine is not. The message says what is missing and what to use instead.
 * @example
 * await createWasmBackend(); // throws UnsupportedError where WebAssembly SIMD is missing
 */
export class UnsupportedError extends SmolMLError {
  override name = 'UnsupportedError';
}

/**
 * Formats a shape like numpy does: `(32, 784)`, `(5,)`, `()`.
 * @example
 * formatShape([32, 784]); // '(32, 784)'
 * formatShape([5]); // '(5,)'
 */
export function formatShape(shape: Shape): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}
