/** The pure TypeScript backend against the shared kernel conformance suite. */
import { describe, expect, it } from 'vitest';
import { MLArray, getBackend, jsBackend, setBackend } from '../../src/index.js';
import { gemmJs, gemmSmall } from '../../src/kernels/gemm.js';
import { describeBackendConformance, naiveGemm } from '@smolml/test-utils';

describeBackendConformance(() => jsBackend);

describe('gemmSmall (the unpacked path) on its own', () => {
  it('matches the reference for every transpose combination', () => {
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      const [m, n, k] = [5, 6, 7];
      const a = Float64Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
      const b = Float64Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
      const c = new Float64Array(m * n).fill(1);
      const ref = c.slice();
      gemmSmall(ta, tb, m, n, k, a, b, c);
      naiveGemm(ta, tb, m, n, k, a, b, ref, true);
      expect(c).toEqual(ref);
    }
  });
});

describe('backend selection', () => {
  it('defaults to the js backend, and setBackend swaps the kernels matmul uses', () => {
    expect(getBackend()).toBe(jsBackend);
    let calls = 0;
    setBackend({ name: 'counting', gemm: (...args) => { calls++; gemmJs(...args); } });
    try {
      const y = MLArray.from([[1, 2], [3, 4]]).matmul(MLArray.from([[5], [6]]));
      expect(y.toArray()).toEqual([[17], [39]]);
      expect(calls).toBe(1);
    } finally {
      setBackend(jsBackend);
    }
  });
});
