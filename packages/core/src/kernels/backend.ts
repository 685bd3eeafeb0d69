/**
 * The backend interface: the few kernels worth swapping for a faster implementation
 * (e.g. WASM SIMD in `@smolml/wasm`). Kernels see only typed arrays and sizes — no
 * MLArray, no graph — so every backend can share one test suite.
 */
import { ValueError } from '../errors.js';
import { describeValue } from '../validate.js';
import { gemmJs } from './gemm.js';

/**
 * The swappable kernels: a name, a `gemm`, and optionally faster loops for compiled training
 * steps. `jsBackend` is the default; `setBackend` swaps it process-wide (e.g. for
 * `@smolml/wasm`'s SIMD backend).
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
   * Faster loops for the element-wise work and sums of core's compiled training step (a dense
   * layer's bias, relu and bias gradient), for the arrays this backend reaches where they are
   * (e.g. `@smolml/wasm`'s, on arrays of its `allocate`); optional. Each gives core's numbers bit
   * for bit.
   */
  readonly stepKernels?: StepKernels;
  /**
   * Faster loops for the built-in optimizers' updates (`@smolml/optim`'s SGD and Adam), for the
   * arrays this backend reaches (e.g. `@smolml/wasm`'s, whose outputs must be arrays of its
   * `allocate`); optional, and so is each function. Each gives the optimizer's numbers bit for bit.
   */
  readonly updateKernels?: UpdateKernels;
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
 * Loops a backend may run in place of core's own, on row-major float64 arrays. Each returns
 * false when it does not take these arrays (e.g. arrays outside its memory, or overlapping ones),
 * and core then runs its own loop; when it returns true, the result holds exactly the numbers
 * core's loop gives (NaN, -0 and Infinity included).
 */
export interface StepKernels {
  /** `out[r * cols + j] = a[r * cols + j] + b[j]` for every row r < rows: a bias added to each row. */
  addRow(a: Float64Array, b: Float64Array, out: Float64Array, rows: number, cols: number): boolean;
  /** `y[i] = x[i] < 0 ? 0 : x[i]` (relu: NaN and -0 pass through), for the length of `x`. */
  relu(x: Float64Array, y: Float64Array): boolean;
  /** `gx[i] = x[i] <= 0 ? 0 : g[i]` (relu's backward), for the length of `g`. */
  reluBackward(g: Float64Array, x: Float64Array, gx: Float64Array): boolean;
  /**
   * `out[o * inner + j] = x[(o * n) * inner + j] + x[(o * n + 1) * inner + j] + ...`, summed from 0
   * in order of the n rows (core's `sumAxis`, e.g. a bias gradient: outer 1, n = batch rows).
   */
  sumAxis(x: Float64Array, outer: number, n: number, inner: number, out: Float64Array): boolean;
}

/**
 * An optimizer's update of one parameter, out of place, as `@smolml/optim` computes it for
 * i < theta.length: the updated parameter goes to `next` and the updated state to the `...Next`
 * arrays, and the inputs are left as they were. Each returns the update's finiteness check, the
 * sum over i of `g[i] * 0 + next[i] * 0` (0 when every gradient and updated value is finite, NaN
 * otherwise), or undefined when it does not take these arrays: the optimizer then runs its own
 * loop. When it returns a number, the outputs hold exactly the numbers that loop writes.
 */
export interface UpdateKernels {
  /**
   * SGD: `next[i] = theta[i] - lr * g[i]`, or `theta[i] - lr * (g[i] + weightDecay * theta[i])`
   * when weightDecay is not 0.
   */
  sgd?(theta: Float64Array, g: Float64Array, next: Float64Array, lr: number, weightDecay: number): number | undefined;
  /**
   * Adam (AdamW with `shrink` = 1 - lr * weightDecay, Adam with 1):
   * `mNext[i] = beta1 * m[i] + (1 - beta1) * g[i]`,
   * `vNext[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]`,
   * `next[i] = theta[i] * shrink - (lr * (mNext[i] / bc1)) / (Math.sqrt(vNext[i] / bc2) + eps)`.
   */
  adam?(theta: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, next: Float64Array, mNext: Float64Array, vNext: Float64Array, c: AdamCoefficients): number | undefined;
}

/** The numbers of one Adam update (UpdateKernels.adam): bc1 = 1 - beta1^t and bc2 = 1 - beta2^t at update t. */
export interface AdamCoefficients {
  readonly beta1: number;
  readonly beta2: number;
  readonly bc1: number;
  readonly bc2: number;
  readonly lr: number;
  readonly eps: number;
  readonly shrink: number;
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
 * Replaces the kernels used for matrix products (process-wide). Throws a ValueError, keeping the
 * current backend, when `backend` is not one: a Promise (await `createWasmBackend()` first), not
 * an object, or a name, gemm, allocate, release, stepKernels or updateKernels of the wrong kind.
 * @example
 * import { setBackend, jsBackend } from '@smolml/core';
 * setBackend(jsBackend); // back to the pure TypeScript kernels
 */
export function setBackend(backend: Backend): void {
  checkBackend(backend);
  current = backend;
}

/** StepKernels' functions, in its order (`satisfies`: a kernel added to the interface and not here fails to compile). */
const STEP_KERNELS = Object.keys({ addRow: 0, relu: 0, reluBackward: 0, sumAxis: 0 } satisfies Record<keyof StepKernels, 0>) as (keyof StepKernels)[];
/** UpdateKernels' functions (each optional), checked against the interface the same way. */
const UPDATE_KERNELS = Object.keys({ sgd: 0, adam: 0 } satisfies Record<keyof UpdateKernels, 0>) as (keyof UpdateKernels)[];

/**
 * Refuses what cannot be a backend before it replaces the current one, so that a mistake shows
 * here and not as a TypeError inside the next matrix product: a Promise (createWasmBackend is
 * async), a value that is not an object, or one whose name, gemm, allocate, release or
 * stepKernels are of the wrong kind.
 */
function checkBackend(backend: unknown): asserts backend is Backend {
  const op = 'setBackend';
  if (backend === null || typeof backend !== 'object') {
    throw new ValueError(`${op}: a backend is an object with a name and a gemm function (e.g. jsBackend), got ${describeValue(backend)}`);
  }
  const b = backend as Record<string, unknown>;
  if (typeof b.then === 'function') {
    throw new ValueError(`${op}: got a Promise, not a backend; creating a backend is asynchronous, so await it first: setBackend(await createWasmBackend())`);
  }
  if (typeof b.name !== 'string') throw new ValueError(`${op}: a backend's name must be a string, got ${describeValue(b.name)}`);
  const name = `'${b.name}'`;
  if (typeof b.gemm !== 'function') throw new ValueError(`${op}: backend ${name} has no gemm function (got ${describeValue(b.gemm)})`);
  for (const key of ['allocate', 'release'] as const) {
    if (b[key] !== undefined && typeof b[key] !== 'function') throw new ValueError(`${op}: backend ${name}'s ${key} must be a function or absent, got ${describeValue(b[key])}`);
  }
  if (b.stepKernels !== undefined) {
    const kernels = b.stepKernels as Record<string, unknown> | null;
    const missing = kernels !== null && typeof kernels === 'object' ? STEP_KERNELS.filter((k) => typeof kernels[k] !== 'function') : STEP_KERNELS;
    if (missing.length > 0) {
      throw new ValueError(`${op}: backend ${name}'s stepKernels must be an object with the functions ${STEP_KERNELS.join(', ')} (or absent); ${missing.join(', ')} missing`);
    }
  }
  if (b.updateKernels !== undefined) {
    const kernels = b.updateKernels as Record<string, unknown> | null;
    const wrong = kernels !== null && typeof kernels === 'object' ? UPDATE_KERNELS.filter((k) => kernels[k] !== undefined && typeof kernels[k] !== 'function') : null;
    if (wrong === null || wrong.length > 0) {
      const what = wrong === null ? `got ${describeValue(kernels)}` : wrong.map((k) => `${k} is ${describeValue(kernels![k])}`).join(', ');
      throw new ValueError(`${op}: backend ${name}'s updateKernels must be an object whose ${UPDATE_KERNELS.join(' and ')} are functions or absent (or absent itself); ${what}`);
    }
  }
}
