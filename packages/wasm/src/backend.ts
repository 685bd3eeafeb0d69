/**
 * The WASM SIMD backend: core's Backend interface over the AssemblyScript kernels of
 * assembly/index.ts (embedded as base64 in kernels.generated.ts, so it loads the same way in
 * Node and in browsers).
 *
 * Each gemm call copies A and B (and C when accumulating) into the module's linear memory,
 * runs the kernel and copies C back. The copies are O(n^2) against O(n^3) arithmetic, so tiny
 * products stay on the pure TypeScript kernels, where they are cheaper.
 */
import { type Backend, jsBackend } from '@smolml/core';
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

/** What the kernel module exports. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number, packA: number, packB: number): void;
  KC: WebAssembly.Global;
  MC: WebAssembly.Global;
  NC: WebAssembly.Global;
}

/** Options of `createWasmBackend`. */
export interface WasmBackendOptions {
  /**
   * Products with fewer multiply-adds (m * n * k) than this run on the TypeScript kernels
   * (default 4096, i.e. 16 x 16 x 16): below it copying in and out costs more than SIMD saves.
   */
  minWork?: number;
}

/** The embedded module's bytes. */
export function wasmBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Whether this runtime can run the kernels (WebAssembly with the SIMD proposal). */
export function isWasmSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes());
}

/** Rounds up to a multiple of 16 in float arithmetic (exact to 2^53; `(x + 15) & ~15` wraps at 2^31). */
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** wasm32 addresses are 32-bit: linear memory never exceeds 4 GiB. */
const ADDRESS_SPACE = 2 ** 32;

/**
 * Where a product's operands go in linear memory, from byte `base` on: A (m x k), B (k x n),
 * C (m x n), each 16-byte aligned, and the end. Null when they do not fit in the 32-bit
 * address space (the backend then runs the product on the TypeScript kernels).
 */
export function gemmLayout(base: number, m: number, n: number, k: number): { a: number; b: number; c: number; end: number } | null {
  const a = base;
  const b = a + align16(m * k * 8);
  const c = b + align16(k * n * 8);
  const end = c + m * n * 8;
  return end <= ADDRESS_SPACE ? { a, b, c, end } : null;
}

/**
 * Compiles the kernels and returns a Backend to pass to core's `setBackend`.
 * Throws when the runtime has no WebAssembly SIMD (Node >= 16.4 and current browsers have it).
 * @example
 * import { setBackend } from '@smolml/core';
 * import { createWasmBackend } from '@smolml/wasm';
 * setBackend(await createWasmBackend()); // matmuls now run on WASM SIMD
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<Backend> {
  if (!isWasmSimdSupported()) {
    throw new Error('createWasmBackend: this runtime does not support WebAssembly SIMD; keep the default js backend');
  }
  const { instance } = await WebAssembly.instantiate(wasmBytes(), {});
  return backendFrom(instance.exports as unknown as KernelExports, options.minWork ?? 16 * 16 * 16);
}

/** @internal The Backend over an instantiated kernel module (exported for tests, not from the package). */
export function backendFrom(wasm: KernelExports, minWork: number): Backend {
  const kc = wasm.KC.value as number;
  const packA = align16(wasm.heapBase());
  const packB = packA + align16((wasm.MC.value as number) * kc * 8);
  const operands = packB + align16(kc * (wasm.NC.value as number) * 8);

  /**
   * Grows linear memory to at least `bytes` (growing detaches old views: make new ones after).
   * False when the engine refuses to grow it (its limit, or no memory left): grow throws a RangeError.
   */
  function reserve(bytes: number): boolean {
    const have = wasm.memory.buffer.byteLength;
    if (bytes <= have) return true;
    try {
      wasm.memory.grow(Math.ceil((bytes - have) / 65536));
      return true;
    } catch {
      return false;
    }
  }

  return {
    name: 'wasm-simd',
    gemm(transA, transB, m, n, k, a, b, c, accumulate) {
      // Tiny products, and products too large for WebAssembly memory, run on the TypeScript kernels.
      const layout = m * n * k < minWork ? null : gemmLayout(operands, m, n, k);
      if (layout === null || !reserve(layout.end)) {
        jsBackend.gemm(transA, transB, m, n, k, a, b, c, accumulate);
        return;
      }
      const { a: aPtr, b: bPtr, c: cPtr } = layout;
      const heap = wasm.memory.buffer;
      new Float64Array(heap, aPtr, m * k).set(a.subarray(0, m * k));
      new Float64Array(heap, bPtr, k * n).set(b.subarray(0, k * n));
      const cView = new Float64Array(heap, cPtr, m * n);
      if (accumulate) cView.set(c.subarray(0, m * n));
      else cView.fill(0);
      wasm.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, aPtr, bPtr, cPtr, packA, packB);
      c.set(cView);
    },
  };
}
