/**
 * The kernel conformance suite every Backend must pass (the pure TS backend in @smolml/core, the
 * WASM SIMD backend in @smolml/wasm): gemm against a naive triple loop for all four transpose
 * combinations, ragged and block-crossing sizes, accumulate, zero-size dimensions, NaN/Inf, and
 * the products convolution makes (im2col layouts of conv2d's forward and backward).
 * Call it inside a test file: `describeBackendConformance(() => backend)`.
 */
import { describe, expect, it } from 'vitest';
import { expectClose } from './close.js';

/**
 * The part of core's `Backend` the suite exercises, written out structurally so this package
 * needs no dependency on @smolml/core (core's own tests depend on this package): passing a
 * core `Backend` here type-checks only while the two signatures agree.
 */
export interface GemmBackend {
  readonly name: string;
  gemm(...args: [transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean]): void;
}

type Gemm = GemmBackend['gemm'];

/** Reference: C[i, j] (+)= sum_p op(A)(i, p) * op(B)(p, j), summed in order p = 0..k-1. */
export function naiveGemm(...[transA, transB, m, n, k, a, b, c, accumulate]: Parameters<Gemm>): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[transA ? p * m + i : i * k + p]! * b[transB ? j * k + p : p * n + j]!;
      c[i * n + j] = accumulate ? c[i * n + j]! + s : s;
    }
  }
}

/** Deterministic pseudo-random numbers (no dependence on the library's RNG). */
function filled(len: number, seed: number, integers: boolean): Float64Array {
  const out = new Float64Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    const u = s / 4294967296;
    out[i] = integers ? Math.floor(u * 17) - 8 : u * 2 - 1;
  }
  return out;
}

const COMBOS: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];
const tag = (ta: boolean, tb: boolean) => `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`;

// [m, n, k]: tiny, ragged (not multiples of 4), vectors, and sizes crossing the packed
// kernel's cache blocks (k > 256, m > 128, n > 512) so every edge path runs.
const SIZES: [number, number, number][] = [
  [1, 1, 1], [2, 3, 4], [4, 4, 4], [1, 7, 5], [6, 1, 9], [5, 3, 1], [8, 8, 8],
  [17, 13, 9], [33, 65, 31], [64, 10, 128], [67, 45, 130], [130, 9, 300], [5, 515, 21], [40, 40, 600],
];

interface Case { ta: boolean; tb: boolean; m: number; n: number; k: number; integers: boolean; accumulate: boolean }

/** Runs one case on `gemm` and the reference; returns [actual, expected] including guard cells past m*n. */
function run(gemm: Gemm, { ta, tb, m, n, k, integers, accumulate }: Case): [Float64Array, Float64Array] {
  const a = filled(m * k, 7 + m * 31 + k, integers);
  const b = filled(k * n, 11 + n * 17 + k, integers);
  const aCopy = a.slice();
  const bCopy = b.slice();
  const guard = 3;
  const start = accumulate ? filled(m * n + guard, 5 + m + n, integers) : new Float64Array(m * n + guard).fill(NaN);
  start.fill(12345, m * n); // cells past the matrix must not be touched
  const actual = start.slice();
  const expected = start.slice();
  gemm(ta, tb, m, n, k, a, b, actual, accumulate);
  naiveGemm(ta, tb, m, n, k, a, b, expected, accumulate);
  expectIdentical(a, aCopy, 'A is not modified');
  expectIdentical(b, bCopy, 'B is not modified');
  return [actual, expected];
}

/** Bit-for-bit equality (NaN equals NaN), reporting the first difference; fast on large arrays. */
function expectIdentical(actual: Float64Array, expected: Float64Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && actual[i] !== expected[i]) expect.fail(`${label}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

export function describeBackendConformance(getBackend: () => GemmBackend): void {
  describe('Backend conformance: gemm', () => {
    for (const [ta, tb] of COMBOS) {
      it(`${tag(ta, tb)}: integer inputs give exactly the reference, for every size`, () => {
        const { gemm } = getBackend();
        for (const [m, n, k] of SIZES) {
          const [actual, expected] = run(gemm.bind(getBackend()), { ta, tb, m, n, k, integers: true, accumulate: false });
          expect(actual, `${tag(ta, tb)} ${m}x${n}x${k}`).toEqual(expected);
        }
      });

      it(`${tag(ta, tb)}: real inputs match the reference to 1e-12, with and without accumulate`, () => {
        const backend = getBackend();
        for (const accumulate of [false, true]) {
          for (const [m, n, k] of SIZES) {
            const [actual, expected] = run(backend.gemm.bind(backend), { ta, tb, m, n, k, integers: false, accumulate });
            expectClose(actual, expected, 1e-12, 1e-12, `${tag(ta, tb)} ${m}x${n}x${k} accumulate=${accumulate}`);
          }
        }
      });
    }

    // conv2d's products (ops/conv.ts): y_n = W (O x K) @ cols (K x P); dW += G_n (O x P) @ cols^T;
    // dcols = W^T @ G_n. Per image of the W5 net (K = Cin·3·3, P = Hout·Wout), and the same
    // layouts with the whole batch of 64 as columns (8 x 9 @ 9 x 50176, 16 x 72 @ 72 x 12544).
    const CONV: [ta: boolean, tb: boolean, m: number, n: number, k: number, what: string][] = [
      [false, false, 8, 784, 9, 'conv 1 forward, one 28x28 image'],
      [false, true, 8, 9, 784, 'conv 1 weight gradient, one image'],
      [false, false, 16, 196, 72, 'conv 2 forward, one 14x14 image'],
      [false, true, 16, 72, 196, 'conv 2 weight gradient, one image'],
      [true, false, 72, 196, 16, 'conv 2 input gradient (W^T G), one image'],
      [false, false, 8, 50176, 9, 'conv 1 forward, batch of 64 as columns'],
      [false, false, 16, 12544, 72, 'conv 2 forward, batch of 64 as columns'],
      [false, true, 16, 72, 12544, 'conv 2 weight gradient over the batch'],
      [true, false, 72, 12544, 16, 'conv 2 input gradient over the batch'],
      [false, false, 3, 1, 27, 'a 3x3 kernel on a 3x3 input (one output position)'],
      [false, false, 5, 49, 1, 'a 1x1 kernel on one channel'],
    ];
    it('convolution-shaped products (im2col layouts of forward and backward) match the reference', () => {
      const backend = getBackend();
      for (const [ta, tb, m, n, k, what] of CONV) {
        const [exact, expectedExact] = run(backend.gemm.bind(backend), { ta, tb, m, n, k, integers: true, accumulate: false });
        expectIdentical(exact, expectedExact, `${what}: ${m}x${n}x${k}`);
        const [actual, expected] = run(backend.gemm.bind(backend), { ta, tb, m, n, k, integers: false, accumulate: true });
        expectClose(actual, expected, 1e-12, 1e-12, `${what}: ${m}x${n}x${k} accumulate`);
      }
    });

    it('accumulate adds into C exactly (integers)', () => {
      const backend = getBackend();
      for (const [m, n, k] of [[3, 5, 7], [67, 45, 130]] as const) {
        const [actual, expected] = run(backend.gemm.bind(backend), { ta: false, tb: true, m, n, k, integers: true, accumulate: true });
        expect(actual).toEqual(expected);
      }
    });

    it('zero-size dimensions: nothing to do, k = 0 gives zeros (or leaves C when accumulating)', () => {
      const backend = getBackend();
      for (const [ta, tb] of COMBOS) {
        for (const [m, n, k] of [[0, 3, 4], [3, 0, 4], [0, 0, 0], [3, 4, 0], [70, 70, 0]] as const) {
          for (const accumulate of [false, true]) {
            const [actual, expected] = run(backend.gemm.bind(backend), { ta, tb, m, n, k, integers: true, accumulate });
            expect(actual, `${tag(ta, tb)} ${m}x${n}x${k} accumulate=${accumulate}`).toEqual(expected);
          }
        }
      }
    });

    it('propagates NaN and Inf like the naive loop (no skipped zeros)', () => {
      const backend = getBackend();
      for (const [m, n, k] of [[3, 3, 3], [37, 29, 41]] as const) {
        const a = filled(m * k, 3, true);
        const b = filled(k * n, 4, true);
        a[k + 1] = NaN; // row 1 of A
        b[n + 1] = Infinity; // an Inf in B
        const c = new Float64Array(m * n);
        const ref = new Float64Array(m * n);
        backend.gemm(false, false, m, n, k, a, b, c, false);
        naiveGemm(false, false, m, n, k, a, b, ref, false);
        expect(c).toEqual(ref);
      }
    });

    it('gives the same result when called again with reused scratch space', () => {
      const backend = getBackend();
      const first = run(backend.gemm.bind(backend), { ta: true, tb: false, m: 130, n: 9, k: 300, integers: true, accumulate: false })[0];
      run(backend.gemm.bind(backend), { ta: false, tb: false, m: 5, n: 515, k: 21, integers: false, accumulate: true });
      const again = run(backend.gemm.bind(backend), { ta: true, tb: false, m: 130, n: 9, k: 300, integers: true, accumulate: false })[0];
      expect(again).toEqual(first);
    });

    it('refuses operands shorter than the product needs, naming the sizes, and writes nothing', () => {
      const backend = getBackend();
      // large enough for a backend's own kernels (not only a small-product fallback)
      const [m, n, k] = [64, 64, 64];
      const a = filled(m * k, 5, true);
      const b = filled(k * n, 6, true);
      const c = new Float64Array(m * n);
      const shape = expect.objectContaining({ name: 'ShapeError' });
      expect(() => backend.gemm(false, false, m, n, k, a.subarray(1), b, c, false)).toThrowError(shape);
      expect(() => backend.gemm(false, false, m, n, k, a, b.subarray(1), c, false)).toThrow(
        'reads 4096 numbers of A and 4096 of B and writes 4096 of C, but A holds 4096, B 4095 and C 4096',
      );
      expect(() => backend.gemm(true, true, m, n, k, a, b, c.subarray(1), false)).toThrowError(shape);
      expect(() => backend.gemm(false, false, 2, 2, 3, a.subarray(0, 5), b, c, true)).toThrowError(shape);
      expect(c.every((v) => v === 0)).toBe(true);
    });

    it('refuses sizes that are not integers >= 0 and operands that are not Float64Arrays', () => {
      const backend = getBackend();
      const [a, b, c] = [new Float64Array(6), new Float64Array(6), new Float64Array(4)];
      const value = expect.objectContaining({ name: 'ValueError' });
      expect(() => backend.gemm(false, false, -1, 2, 3, a, b, c, false)).toThrow('m must be an integer >= 0, got -1');
      expect(() => backend.gemm(false, false, 2, 1.5, 3, a, b, c, false)).toThrowError(value);
      expect(() => backend.gemm(false, false, 2, 2, Number.NaN, a, b, c, false)).toThrowError(value);
      expect(() => backend.gemm(false, false, 2, 2, 3, [1, 2, 3, 4, 5, 6] as unknown as Float64Array, b, c, false)).toThrow('A must be a Float64Array');
    });

    it('reads only the leading numbers of longer operands, and leaves the rest of C alone', () => {
      const backend = getBackend();
      const c = new Float64Array(5).fill(7);
      backend.gemm(false, false, 2, 2, 3, Float64Array.of(1, 2, 3, 4, 5, 6, 99), Float64Array.of(1, 0, 0, 1, 1, 1, 42), c, false);
      expect([...c]).toEqual([4, 5, 10, 11, 7]);
    });
  });
}
