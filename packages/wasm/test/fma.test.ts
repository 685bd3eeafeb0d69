/**
 * `fma: true`: fused multiply-adds from WebAssembly relaxed SIMD. This file runs twice (see
 * vitest.config.ts): in the ordinary project, where Node 20 has no relaxed SIMD and the backend
 * must fall back and say why, and in the `relaxed-simd` project, started with
 * --experimental-wasm-relaxed-simd, where the fused kernels must really run. There:
 * - a product whose exact value needs the fused rounding proves that the kernels fuse;
 * - 2 and 3 threads give the bits of 1 thread (threads partition C, never the sum over k);
 * - every element is within the fused error bound of a twice-as-precise reference (Dot2), and
 *   the total error is below that of separate multiplies and adds.
 */
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsBackend } from '@smolml/core';
import { createWasmBackend } from '../src/index.js';
import { relaxedSimdSupport } from '../src/module.js';
import { COMBOS, expectSameBits, filled, firstDifference, product } from './helpers.js';

const flagged = process.execArgv.includes('--experimental-wasm-relaxed-simd');
const runtimeHasIt = relaxedSimdSupport() === undefined;

const one = await createWasmBackend({ minWork: 0, fma: true });
const two = await createWasmBackend({ minWork: 0, fma: true, threads: 2 });
const three = await createWasmBackend({ minWork: 0, fma: true, threads: 3 });
const one32 = await createWasmBackend({ minWork: 0, fma: true, precision: 'float32' });
const two32 = await createWasmBackend({ minWork: 0, fma: true, precision: 'float32', threads: 2 });
const plain = await createWasmBackend({ minWork: 0 });
afterAll(() => {
  for (const b of [one, two, three, one32, two32, plain]) b.dispose();
});

// split between threads (>= 2^18 multiply-adds), odd, crossing KC = 256, MC = 32 and NC = 512
const SHAPES: [number, number, number][] = [[64, 64, 64], [131, 67, 300], [257, 5, 517], [5, 517, 129], [300, 299, 301], [129, 128, 513]];

/**
 * A 16 x 16 x 16 product whose C(0, 0) is 1 * -1 + (1 + 2^-30)(1 - 2^-30) + 0 + ...: exactly
 * -2^-60 with fused multiply-adds, 0 when the product is rounded to 1 before the sum.
 */
function cancellation(backend: { gemm: typeof jsBackend.gemm }): number {
  const s = 16;
  const a = new Float64Array(s * s);
  const b = new Float64Array(s * s);
  a[0] = 1;
  b[0] = -1;
  a[1] = 1 + 2 ** -30; // A(0, 1)
  b[s] = 1 - 2 ** -30; // B(1, 0)
  const c = new Float64Array(s * s);
  backend.gemm(false, false, s, s, s, a, b, c, false);
  return c[0]!;
}

describe('createWasmBackend({ fma: true })', () => {
  it('is off unless asked for, and reports what it uses', async () => {
    expect([plain.fma, plain.fmaNote]).toEqual([false, undefined]);
    const off = await createWasmBackend({ fma: false });
    expect([off.fma, off.fmaNote]).toEqual([false, undefined]);
    expect(cancellation(plain)).toBe(0);
    if (flagged) expect(runtimeHasIt).toBe(true); // the project's flag reached this process
  });

  it.skipIf(runtimeHasIt)('without relaxed SIMD: falls back to separate multiplies and adds, says why, same bits as the TS kernels', () => {
    for (const b of [one, two, one32]) {
      expect(b.fma).toBe(false);
      expect(b.fmaNote).toMatch(/^fma: this runtime does not enable WebAssembly relaxed SIMD \(Node 20 needs the flag --experimental-wasm-relaxed-simd/);
      expect(b.fmaNote).toMatch(/using separate multiplies and adds$/);
    }
    expect(two.threads).toBe(Math.min(2, availableParallelism())); // threads are independent of fma
    expect(cancellation(one)).toBe(0);
    for (const shape of SHAPES) {
      expectSameBits(product(one, shape, false, true, true), product(jsBackend, shape, false, true, true), `fallback ${shape}`);
      expectSameBits(product(two, shape, true, false, false), product(jsBackend, shape, true, false, false), `fallback, 2 threads ${shape}`);
    }
  });

  describe.skipIf(!runtimeHasIt)('with relaxed SIMD', () => {
    it('reports fma, and really fuses: 1 * -1 + (1 + 2^-30)(1 - 2^-30) is -2^-60, not 0', () => {
      for (const b of [one, two, three, one32, two32]) expect([b.fma, b.fmaNote]).toEqual([true, undefined]);
      for (const b of [one, two]) expect(cancellation(b)).toBe(-(2 ** -60));
      expect(cancellation(jsBackend)).toBe(0);
    });

    for (const [ta, tb] of COMBOS) {
      for (const accumulate of [false, true]) {
        it(`float64 ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}${accumulate ? ' accumulate' : ''}: 2 and 3 threads give the bits of 1 thread`, () => {
          for (const shape of SHAPES) {
            const ref = product(one, shape, ta, tb, accumulate);
            expectSameBits(product(two, shape, ta, tb, accumulate), ref, `2 threads ${shape}`);
            expectSameBits(product(three, shape, ta, tb, accumulate), ref, `3 threads ${shape}`);
          }
        });
      }
    }

    it('float32: 2 threads give the bits of 1 thread, within float32 error of the float64 product', () => {
      for (const shape of SHAPES) {
        const single = product(one32, shape, false, true, true);
        expectSameBits(product(two32, shape, false, true, true), single, `float32 ${shape}`);
        const exact = product(jsBackend, shape, false, true, true);
        const k = shape[2];
        // |a|, |b| < 1, |C start| < 1: rounding operands (2u) and k fused steps (k u), u = 2^-24
        for (let i = 0; i < exact.length; i++) expect(Math.abs(single[i]! - exact[i]!)).toBeLessThanOrEqual((k + 3) * k * 2 ** -24);
      }
    });

    it('random shapes, transposes and accumulation: 2 threads = 1 thread (property)', () => {
      const dim = fc.integer({ min: 1, max: 200 });
      fc.assert(
        fc.property(dim, dim, fc.integer({ min: 1, max: 600 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 1000 }), (m, n, k, ta, tb, acc, seed) =>
          firstDifference(product(two, [m, n, k], ta, tb, acc, seed), product(one, [m, n, k], ta, tb, acc, seed)) === -1),
        { numRuns: 60 }, // seeded globally (tests/test-utils/src/fast-check-seed.ts)
      );
    });

    it('is within the fused error bound of a Dot2 reference, and more accurate than separate multiplies and adds', () => {
      const [m, n, k] = [64, 48, 1000]; // k crosses four cache blocks of 256
      const a = filled(m * k, 3);
      const b = filled(k * n, 5);
      const fused = new Float64Array(m * n);
      const separate = new Float64Array(m * n);
      one.gemm(false, false, m, n, k, a, b, fused, false);
      jsBackend.gemm(false, false, m, n, k, a, b, separate, false);
      const u = 2 ** -53;
      let fusedError = 0;
      let separateError = 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const { sum, absSum } = dot2(a, i * k, 1, b, j, n, k);
          const e = Math.abs(fused[i * n + j]! - sum);
          // k fused roundings inside the blocks, plus 4 block sums added to C: gamma_(k+4) |a||b|
          expect(e).toBeLessThanOrEqual(((k + 4) * u) / (1 - (k + 4) * u) * absSum);
          fusedError += e;
          separateError += Math.abs(separate[i * n + j]! - sum);
        }
      }
      expect(fusedError).toBeLessThan(separateError);
    });
  });
});

/**
 * sum_p x[xo + p xs] * y[yo + p ys] in about twice the working precision (Ogita, Rump and
 * Oishi's Dot2: error-free products by Dekker's split and error-free sums), and sum |x y|.
 */
function dot2(x: Float64Array, xo: number, xs: number, y: Float64Array, yo: number, ys: number, k: number): { sum: number; absSum: number } {
  const split = (v: number): [number, number] => {
    const t = 134217729 * v; // 2^27 + 1
    const hi = t - (t - v);
    return [hi, v - hi];
  };
  let s = 0;
  let c = 0;
  let absSum = 0;
  for (let p = 0; p < k; p++) {
    const xv = x[xo + p * xs]!;
    const yv = y[yo + p * ys]!;
    const h = xv * yv;
    const [xh, xl] = split(xv);
    const [yh, yl] = split(yv);
    const l = xl * yl - (((h - xh * yh) - xl * yh) - xh * yl);
    const t = s + h;
    const z = t - s;
    c += (s - (t - z)) + (h - z) + l;
    s = t;
    absSum += Math.abs(h);
  }
  return { sum: s + c, absSum };
}
