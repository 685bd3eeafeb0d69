/** The WASM SIMD backend against the kernel conformance suite shared with the TS backend. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MLArray, type Backend, UnsupportedError, jsBackend, setBackend } from '@smolml/core';
import { createWasmBackend, isWasmSimdSupported } from '../src/index.js';
import { describeBackendConformance } from '@smolml/test-utils';

// Every size of the suite goes to the WASM backend (minWork 0), on one thread and on two.
const wasm: Backend = await createWasmBackend({ minWork: 0 });
const threaded = await createWasmBackend({ minWork: 0, threads: 2 });
afterAll(() => threaded.dispose());
describe('one thread', () => describeBackendConformance(() => wasm));
describe('two threads', () => describeBackendConformance(() => threaded));

describe('createWasmBackend', () => {
  it('loads in this runtime and names itself', async () => {
    expect(isWasmSimdSupported()).toBe(true);
    expect((await createWasmBackend()).name).toBe('wasm-simd');
  });

  it('rejects with an UnsupportedError, naming what to do, where WebAssembly SIMD is missing', async () => {
    // an engine without SIMD fails to validate the kernels' bytes
    const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    try {
      expect(isWasmSimdSupported()).toBe(false);
      const error: unknown = await createWasmBackend().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedError);
      expect((error as Error).message).toMatch(/^createWasmBackend: this runtime does not support WebAssembly SIMD.*keep the default js backend/);
    } finally {
      validate.mockRestore();
    }
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

// Products too large for WebAssembly memory (issue 10, defect 11): see limits.test.ts.
