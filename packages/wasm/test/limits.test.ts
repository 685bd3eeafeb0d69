/**
 * Issue 10, item 11: a product too large for WebAssembly memory (or whose byte offsets would
 * overflow 32 bits) runs on the TypeScript kernels instead: same bits in float64, never a raw
 * RangeError. The memory limit is lowered through an internal option so no gigabytes are needed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsBackend } from '@smolml/core';
import { createWasmBackendWith } from '../src/backend.js';
import { firstDifference, product } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('products that do not fit in WebAssembly memory', () => {
  it('fall back to the TypeScript kernels, with the same bits', async () => {
    // 4 MiB of memory: the scratch region (1.3 MB) plus small operands fit, 3.8 MB of operands do not
    const backend = await createWasmBackendWith({ minWork: 0 }, { maxMemoryBytes: 4 * 2 ** 20 });
    const js = vi.spyOn(jsBackend, 'gemm');
    const small = product(backend, [100, 100, 100], false, true, true);
    expect(js).not.toHaveBeenCalled();
    const big = product(backend, [400, 400, 400], true, false, true); // 3 x 1.28 MB > what is left
    expect(js).toHaveBeenCalledTimes(1);
    js.mockRestore();
    expect(firstDifference(small, product(jsBackend, [100, 100, 100], false, true, true))).toBe(-1);
    expect(firstDifference(big, product(jsBackend, [400, 400, 400], true, false, true))).toBe(-1);
  });

  it('sizes beyond 4 GiB of operands (32-bit offsets would wrap) go to the TypeScript kernels, not a RangeError', async () => {
    const backend = await createWasmBackendWith({ minWork: 0 }, {});
    const js = vi.spyOn(jsBackend, 'gemm').mockImplementation(() => {}); // the real product would take days
    // operands that say they hold 2^33 numbers (gemm checks lengths first; allocating them would take 64 GiB each)
    class Huge extends Float64Array {
      override get length(): number {
        return 2 ** 33;
      }
    }
    const huge = new Huge(1);
    for (const [m, n, k] of [[70_000, 70_000, 70_000], [2 ** 15, 2 ** 16, 8], [5, 2 ** 28, 4]] as const) {
      expect(() => backend.gemm(false, false, m, n, k, huge, huge, huge, false)).not.toThrow();
    }
    expect(js).toHaveBeenCalledTimes(3);
  });

  it('falls back when the engine refuses to grow the memory', async () => {
    const backend = await createWasmBackendWith({ minWork: 0 }, {});
    vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    const js = vi.spyOn(jsBackend, 'gemm');
    const c = product(backend, [400, 400, 400], false, false, false); // needs 3.8 MB more than the initial memory
    expect(js).toHaveBeenCalledTimes(1);
    js.mockRestore();
    expect(firstDifference(c, product(jsBackend, [400, 400, 400], false, false, false))).toBe(-1);
  });

  it('threads: a shared memory has a maximum, and products past it fall back too', async () => {
    const backend = await createWasmBackendWith({ minWork: 0, threads: 2 }, { maxMemoryBytes: 6 * 2 ** 20 });
    try {
      const js = vi.spyOn(jsBackend, 'gemm');
      product(backend, [200, 200, 200], false, false, false);
      expect(js).not.toHaveBeenCalled();
      const c = product(backend, [500, 500, 500], false, false, false);
      expect(js).toHaveBeenCalledTimes(1);
      js.mockRestore();
      expect(firstDifference(c, product(jsBackend, [500, 500, 500], false, false, false))).toBe(-1);
    } finally {
      backend.dispose();
    }
  });
});
