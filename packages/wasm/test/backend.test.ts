/** The WASM SIMD backend against the kernel conformance suite shared with the TS backend. */
import { describe, expect, it } from 'vitest';
import { MLArray, type Backend, jsBackend, setBackend } from '@smolml/core';
import { createWasmBackend, isWasmSimdSupported } from '../src/index.js';
import { type KernelExports, backendFrom, gemmLayout } from '../src/backend.js';
import { describeBackendConformance } from '@smolml/test-utils';

// Every size of the suite goes through the WASM kernel (minWork 0), including tiny ones.
const wasm: Backend = await createWasmBackend({ minWork: 0 });
describeBackendConformance(() => wasm);

describe('createWasmBackend', () => {
  it('loads in this runtime and names itself', async () => {
    expect(isWasmSimdSupported()).toBe(true);
    expect((await createWasmBackend()).name).toBe('wasm-simd');
  });

  it('grows its memory for large operands and stays exact afterwards', () => {
    const [m, n, k] = [300, 700, 260]; // 3 MB of operands, crosses every cache block
    const a = Float64Array.from({ length: m * k }, (_, i) => (i % 13) - 6);
    const b = Float64Array.from({ length: k * n }, (_, i) => (i % 7) - 3);
    const c = new Float64Array(m * n);
    const ref = new Float64Array(m * n);
    wasm.gemm(false, false, m, n, k, a, b, c, false);
    jsBackend.gemm(false, false, m, n, k, a, b, ref, false);
    expect(c).toEqual(ref);
  });

  it('drives MLArray.matmul and its gradients through setBackend', () => {
    const x = MLArray.from([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const w = MLArray.from([[1, 0], [0, 1], [1, 1]], { requiresGrad: true });
    setBackend(wasm);
    try {
      const y = x.matmul(w);
      expect(y.toArray()).toEqual([[4, 5], [10, 11]]);
      y.sum().backward();
      expect(x.grad!.toArray()).toEqual([[1, 1, 2], [1, 1, 2]]);
      expect(w.grad!.toArray()).toEqual([[5, 5], [7, 7], [9, 9]]);
    } finally {
      setBackend(jsBackend);
    }
  });
});

describe('products too large for WebAssembly memory (issue 10, defect 11)', () => {
  it('the layout is computed without 32-bit wrap-around, and refused past the 4 GiB address space', () => {
    // A alone is exactly 2^31 bytes: `(x + 15) & ~15` made that offset negative.
    expect(gemmLayout(1024, 16384, 1, 16384)).toEqual({ a: 1024, b: 2 ** 31 + 1024, c: 2 ** 31 + 1024 + 131072, end: 2 ** 31 + 1024 + 131072 + 131072 });
    expect(gemmLayout(0, 2 ** 14, 2 ** 14, 2 ** 14)).toBeNull(); // 3 x 2 GiB
    expect(gemmLayout(16, 1, 1, 2 ** 29 - 1)).toBeNull(); // 8 bytes short of 4 GiB for A and B, C tips it over
    expect(gemmLayout(0, 1, 1, 2 ** 28 - 2)).toEqual({ a: 0, b: 2 ** 31 - 16, c: 2 ** 32 - 32, end: 2 ** 32 - 24 }); // fits, just
  });

  it('when linear memory cannot grow, the product runs on the TypeScript kernels (no RangeError)', () => {
    const global = (v: number) => new WebAssembly.Global({ value: 'i32', mutable: false }, v);
    const kernels: KernelExports = {
      memory: new WebAssembly.Memory({ initial: 1, maximum: 1 }), // 64 KiB, never more
      heapBase: () => 0,
      gemm: () => { throw new Error('the WASM kernel must not run'); },
      KC: global(4),
      MC: global(4),
      NC: global(4),
    };
    const backend = backendFrom(kernels, 0);
    const [m, n, k] = [64, 48, 72]; // 87 KiB of operands: more than the 64 KiB memory
    const a = Float64Array.from({ length: m * k }, (_, i) => (i % 11) - 5);
    const b = Float64Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
    const c = Float64Array.from({ length: m * n }, (_, i) => i % 3);
    const ref = c.slice();
    backend.gemm(false, true, m, n, k, a, b, c, true);
    jsBackend.gemm(false, true, m, n, k, a, b, ref, true);
    expect(c).toEqual(ref);
  });
});
