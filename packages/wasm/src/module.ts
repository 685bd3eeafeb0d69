/**
 * The embedded kernels: decoding, compiling (once per process), and instantiating them on a
 * memory laid out for the backend: [static data][one scratch region per thread][operands].
 */
import { UnsupportedError } from '@smolml/core';
import { KERNELS_FMA_SHARED_WASM_BASE64, KERNELS_FMA_WASM_BASE64, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels.generated.js';
import { align64 } from './arena.js';

/** Precision of the products: float64 (bit-identical to the TypeScript kernels) or float32 (faster, ~1e-6 relative error). */
export type Precision = 'float64' | 'float32';

/** The kernel functions (arguments as in assembly/index.ts and loops.ts; booleans as 0/1). */
export interface KernelExports {
  heapBase(): number;
  scratchBytes(): number;
  tileRows(): number;
  /** assembly/gemm.ts's KC, MC and NC */
  blockDepth(): number;
  blockRows(): number;
  blockCols(): number;
  gemmF64(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number, accumulate: number): void;
  gemmF32(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number, accumulate: number): void;
  /** gemmF64 computed by a team of threads (assembly/team.ts); does nothing in the builds without threads */
  gemmTeamF64(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number, accumulate: number, packed: number, depth: number, chunkRows: number, colGroups: number, ctl: number): void;
  gemmTeamF32(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number, accumulate: number, packed: number, depth: number, chunkRows: number, colGroups: number, ctl: number): void;
  teamControlBytes(): number;
  teamAbortOffset(): number;
  teamPackedBytes(depth: number, f32: number): number;
  /** assembly/loops.ts: core's StepKernels on byte offsets */
  reluF64(x: number, y: number, n: number): void;
  reluBackwardF64(g: number, x: number, gx: number, n: number): void;
  addRowF64(a: number, b: number, out: number, rows: number, cols: number): void;
  sumAxisF64(x: number, outer: number, n: number, inner: number, out: number): void;
  /** zeroes `bytes` bytes of memory from byte offset `at` */
  zeroBytes(at: number, bytes: number): void;
  /** assembly/update.ts: core's UpdateKernels on byte offsets; each returns the finiteness check */
  sgdF64(theta: number, g: number, next: number, n: number, lr: number, wd: number): number;
  adamF64(
    theta: number, g: number, m: number, v: number, next: number, mNext: number, vNext: number, n: number,
    b1: number, b2: number, c1: number, c2: number, bc1: number, bc2: number, lr: number, eps: number, shrink: number,
  ): number;
}

/** An instance of the kernels with its memory and layout. */
export interface Kernels {
  memory: WebAssembly.Memory;
  exports: KernelExports;
  /** byte offset of thread `t`'s scratch region */
  scratch(t: number): number;
  /** first byte after every thread's scratch: where the operands of a product go */
  operands: number;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * The embedded module's bytes (the build with an ordinary, unshared memory).
 * @example
 * const module = await WebAssembly.compile(wasmBytes()); // the kernels, for your own instantiation
 */
export function wasmBytes(): Uint8Array<ArrayBuffer> {
  return decode(KERNELS_WASM_BASE64);
}

/**
 * Whether this runtime can run the kernels (WebAssembly with the SIMD proposal).
 * @example
 * if (isWasmSimdSupported()) setBackend(await createWasmBackend());
 */
export function isWasmSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes());
}

/**
 * Why this runtime cannot run the fused multiply-add kernels (relaxed SIMD), or undefined when
 * it can.
 */
export function relaxedSimdSupport(): string | undefined {
  if (typeof WebAssembly === 'object' && WebAssembly.validate(decode(KERNELS_FMA_WASM_BASE64))) return undefined;
  return 'this runtime does not enable WebAssembly relaxed SIMD (Node 20 needs the flag --experimental-wasm-relaxed-simd; it is on by default from Node 22 and in Chrome 114 and Firefox 146; Safari does not have it)';
}

/** Compiled modules, once per process: [ordinary, shared memory] x [separate, fused multiply-adds]. */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

function compileOnce(key: string, base64: string): Promise<WebAssembly.Module> {
  let module = compiled.get(key);
  if (!module) compiled.set(key, (module = WebAssembly.compile(decode(base64))));
  return module;
}

/**
 * The kernels on an ordinary memory, compiled once per process; `fma` picks the build with fused
 * multiply-adds (check relaxedSimdSupport() first).
 */
export function plainModule(fma = false): Promise<WebAssembly.Module> {
  if (!isWasmSimdSupported()) {
    return Promise.reject(
      new UnsupportedError('createWasmBackend: this runtime does not support WebAssembly SIMD (fixed-width SIMD shipped in Node 16.4, Chrome 91, Firefox 89, Safari 16.4); keep the default js backend (check isWasmSimdSupported() first)'),
    );
  }
  return fma ? compileOnce('fma', KERNELS_FMA_WASM_BASE64) : compileOnce('plain', KERNELS_WASM_BASE64);
}

/** The kernels on a shared memory (needs WebAssembly threads), compiled once, when SharedArrayBuffer exists. */
export function sharedModule(fma = false): Promise<WebAssembly.Module> {
  return fma ? compileOnce('fma-shared', KERNELS_FMA_SHARED_WASM_BASE64) : compileOnce('shared', KERNELS_SHARED_WASM_BASE64);
}

const PAGE = 65536;

/**
 * Instantiates `module` on a new memory with room for `threads` scratch regions: an ordinary
 * memory when `maxPages` is undefined, else a shared one of at most `maxPages` pages (smaller
 * maxima are tried if the engine cannot reserve that much address space).
 */
export async function memoryFor(module: WebAssembly.Module, threads: number, maxPages: number | undefined): Promise<Kernels> {
  // The layout needs heapBase and scratchBytes, which are constants of the module: read them
  // from a throwaway instance on a one-page memory.
  const probe = (await WebAssembly.instantiate(module, { env: { memory: newMemory(1, maxPages === undefined ? undefined : 1) } })).exports as unknown as KernelExports;
  const first = align64(probe.heapBase());
  const stride = align64(probe.scratchBytes());
  const operands = first + threads * stride;
  const initial = Math.ceil((operands + 1) / PAGE);
  let memory: WebAssembly.Memory | undefined;
  if (maxPages === undefined) memory = newMemory(initial, undefined);
  else {
    let lastError: unknown;
    for (const max of [maxPages, 16384, 4096].filter((p, i, all) => p <= maxPages && p >= initial && all.indexOf(p) === i)) {
      try {
        memory = newMemory(initial, max);
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (!memory) throw lastError ?? new Error(`${operands} bytes of scratch do not fit in ${maxPages} pages`);
  }
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return { memory, exports: instance.exports as unknown as KernelExports, scratch: (t) => first + t * stride, operands };
}

function newMemory(initial: number, maximum: number | undefined): WebAssembly.Memory {
  return maximum === undefined ? new WebAssembly.Memory({ initial }) : new WebAssembly.Memory({ initial, maximum, shared: true });
}
