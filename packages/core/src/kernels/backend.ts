/**
 * The backend interface: the few kernels worth swapping for a faster implementation
 * (e.g. WASM SIMD in `@smolml/wasm`). Kernels see only typed arrays and sizes — no
 * MLArray, no graph — so every backend can share one test suite.
 */
import { gemmJs } from './gemm.js';

/**
 * The swappable kernels: a name and a `gemm`. `jsBackend` is the default; `setBackend` swaps it
 * process-wide (e.g. for `@smolml/wasm`'s SIMD backend).
 */
export interface Backend {
  /** Short name shown in summaries and benchmarks, e.g. "js" or "wasm-simd". */
  readonly name: string;
  /** Threads the products run on, when the backend uses more than one (e.g. `@smolml/wasm`). */
  readonly threads?: number;
  /** Precision of the products; float64 when absent. Arrays are Float64Array either way. */
  readonly precision?: 'float64' | 'float32';
  /** Releases what the backend holds (e.g. worker threads); optional. */
  dispose?(): void;
  /**
   * A zero-filled array of `length` numbers that this backend's `gemm` reads and writes where it
   * is, without copying it (e.g. a view of `@smolml/wasm`'s shared WebAssembly memory); optional.
   * Core's compiled training step allocates its buffers with it. The memory is reused once the
   * array is given back with `release`, or garbage-collected: keep the array itself, not only a
   * `subarray` of it, while using it.
   */
  allocate?(length: number): Float64Array;
  /**
   * Gives an array of `allocate` back at once, for the backend to reuse its memory; the array
   * must not be used afterwards. Anything else (and a second release) is ignored. Optional.
   */
  release?(array: Float64Array): void;
  /**
   * General matrix multiply on row-major float64 matrices:
   * `C (m x n) = op(A) @ op(B)` (+ C when `accumulate`), where op(A) is `m x k`
   * (A is stored `k x m` when `transA`) and op(B) is `k x n` (stored `n x k` when `transB`).
   * Reading a transposed operand in place saves materialising transposes in backward.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    accumulate: boolean,
  ): void;
}

/**
 * The pure TypeScript backend: runs everywhere, no setup.
 * @example
 * setBackend(jsBackend); // back to the pure TypeScript kernels
 */
export const jsBackend: Backend = { name: 'js', gemm: gemmJs };

let current: Backend = jsBackend;

/**
 * The backend used by every MLArray operation from now on.
 * @example
 * getBackend().name; // 'js' until setBackend chooses another
 */
export function getBackend(): Backend {
  return current;
}

/**
 * Replaces the kernels used for matrix products (process-wide).
 * @example
 * import { setBackend, jsBackend } from '@smolml/core';
 * setBackend(jsBackend); // back to the pure TypeScript kernels
 */
export function setBackend(backend: Backend): void {
  current = backend;
}
