/**
 * precision: 'float32': products in single precision, within float32's error bound of the
 * float64 result, really in float32 (not silently float64), and Float64Array in and out.
 * The default stays float64 and bit-identical to the TypeScript kernels.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, jsBackend, setBackend } from '@smolml/core';
import { createWasmBackend } from '../src/index.js';
import { filled, firstDifference, product } from './helpers.js';

const f32 = await createWasmBackend({ minWork: 0, precision: 'float32' });
const f64 = await createWasmBackend({ minWork: 0 });

const EPS32 = 2 ** -24; // unit roundoff of float32
const KC = 256; // the kernels sum blocks of 256 products in float32, then add blocks in float64

/**
 * Error bound of one element: inputs rounded to f32 (2u), products rounded (u), and a
 * float32 sum of up to KC terms (KC u), all relative to sum |a||b|; the float64 steps add
 * nothing measurable. (Deterministic bound, not a typical error: typical is ~sqrt(k) u.)
 */
function bound(absSum: number, k: number): number {
  return (Math.min(k, KC) + 3) * EPS32 * absSum * 1.01;
}

describe("createWasmBackend({ precision: 'float32' })", () => {
  it('reports its precision; the default is float64', () => {
    expect(f32.precision).toBe('float32');
    expect(f64.precision).toBe('float64');
  });

  for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    it(`${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}: within float32 error of the exact float64 product, and really float32`, () => {
      for (const [m, n, k] of [[17, 13, 9], [64, 10, 128], [67, 45, 600], [130, 515, 31]] as const) {
        const a = filled(m * k, m + 3);
        const b = filled(k * n, n + 5);
        const got = new Float64Array(m * n);
        const exact = new Float64Array(m * n);
        f32.gemm(ta, tb, m, n, k, a, b, got, false);
        jsBackend.gemm(ta, tb, m, n, k, a, b, exact, false);
        let worst = 0;
        let differs = 0;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let absSum = 0;
            for (let p = 0; p < k; p++) absSum += Math.abs(a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!);
            const err = Math.abs(got[i * n + j]! - exact[i * n + j]!);
            worst = Math.max(worst, err / bound(absSum, k));
            if (err > 0) differs++;
          }
        }
        expect(worst, `${m}x${n}x${k}: worst error / bound`).toBeLessThanOrEqual(1);
        // float64 would agree to ~1e-16; float32 rounding shows up in most elements
        expect(differs, `${m}x${n}x${k}: elements that differ from float64`).toBeGreaterThan((m * n) / 2);
      }
    });
  }

  it('is exact when inputs and partial sums are exact in float32 (small integers)', () => {
    const [m, n, k] = [33, 21, 300];
    const a = Float64Array.from({ length: m * k }, (_, i) => (i % 17) - 8);
    const b = Float64Array.from({ length: k * n }, (_, i) => (i % 13) - 6);
    const c = Float64Array.from({ length: m * n }, (_, i) => i * 0.5); // accumulate into float64 C
    const want = c.slice();
    f32.gemm(false, false, m, n, k, a, b, c, true);
    jsBackend.gemm(false, false, m, n, k, a, b, want, true);
    expect(firstDifference(c, want)).toBe(-1);
  });

  it('rounds operands to float32 on the way in (as Math.fround), values outside float32 included', () => {
    const [m, n, k] = [8, 8, 16]; // past core's small-product threshold, so the wasm kernel runs
    const a = new Float64Array(m * k).fill(1 + 2 ** -30); // rounds to 1 in float32
    const b = new Float64Array(k * n).fill(1e39); // above float32's max: Infinity
    b.fill(3, 8); // rows 2.. of B are ordinary numbers
    const c = new Float64Array(m * n);
    f32.gemm(false, false, m, n, k, a, b, c, false);
    expect(c.every((v) => v === Infinity)).toBe(true);
    b.fill(1 + 2 ** -30);
    f32.gemm(false, false, m, n, k, a, b, c, false);
    expect(c.every((v) => v === 16)).toBe(true); // float64 would give 16 * (1 + 2^-30)^2
  });

  it('float64 (the default) stays bit-identical to the TypeScript kernels', () => {
    for (const shape of [[40, 30, 20], [130, 9, 300], [300, 299, 301]] as const) {
      for (const acc of [false, true]) {
        expect(firstDifference(product(f64, shape, true, false, acc), product(jsBackend, shape, true, false, acc))).toBe(-1);
      }
    }
  });

  it('trains through MLArray with Float64Array data in and out', () => {
    const x = MLArray.from(filled(64 * 32, 9), { shape: [64, 32] });
    const w = MLArray.from(filled(32 * 16, 10), { shape: [32, 16], requiresGrad: true });
    const reference = x.matmul(w).data.slice();
    setBackend(f32);
    try {
      const y = x.matmul(w);
      expect(y.data).toBeInstanceOf(Float64Array);
      for (let i = 0; i < y.size; i++) expect(Math.abs(y.data[i]! - reference[i]!)).toBeLessThan(1e-5);
      y.sum().backward();
      expect(w.grad!.data).toBeInstanceOf(Float64Array);
    } finally {
      setBackend(jsBackend);
    }
  });
});
