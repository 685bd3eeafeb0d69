/** The pure TypeScript backend against the shared kernel conformance suite. */
import { describe, expect, it } from 'vitest';
import { MLArray, getBackend, jsBackend, setBackend } from '../../src/index.js';
import { gemmJs, gemmSmall } from '../../src/kernels/gemm.js';
import { gemmPacked } from '../../src/kernels/gemm-packed.js';
import { gemmTiles } from '../../src/kernels/gemm-tiles.js';
import { describeBackendConformance, naiveGemm } from '@smolml/test-utils';

describeBackendConformance(() => jsBackend);

type Path = (ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array) => void;

/** One gemm path on its own (the dispatch in gemmJs picks by size, so the suite alone does not reach them all). */
function checkPath(path: Path, sizes: readonly (readonly [number, number, number])[]): void {
  for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    for (const [m, n, k] of sizes) {
      const a = Float64Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
      const b = Float64Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
      const c = Float64Array.from({ length: m * n }, (_, i) => i % 3);
      const ref = c.slice();
      path(ta, tb, m, n, k, a, b, c);
      naiveGemm(ta, tb, m, n, k, a, b, ref, true);
      expect(c, `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${m}x${n}x${k}`).toEqual(ref);
    }
  }
}

describe('each gemm path on its own', () => {
  it('gemmSmall (plain loops) matches the reference for every transpose combination', () => {
    checkPath(gemmSmall, [[5, 6, 7], [1, 9, 4], [7, 1, 3]]);
  });
  it('gemmSmall adds the products to each C[i, j] in its documented order, bit for bit (single columns of B included)', () => {
    // gemmSmall's order, element by element: B not transposed, each product added to C[i, j] in
    // turn (p = 0, 1, ...); B transposed, the products summed from 0, then the sum added to C[i, j]
    const reference = (ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array) => {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const product = (p: number) => a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
          if (!tb) for (let p = 0; p < k; p++) c[i * n + j]! += product(p);
          else {
            let s = 0;
            for (let p = 0; p < k; p++) s += product(p);
            c[i * n + j]! += s;
          }
        }
      }
    };
    let seed = 11;
    // random doubles of mixed magnitudes (so rounding depends on the order), with some -0 and 0
    const random = (length: number) => Float64Array.from({ length }, () => {
      seed = (seed * 16807) % 2147483647;
      const r = seed % 13;
      return r === 0 ? -0 : r === 1 ? 0 : ((seed / 2147483647) * 2 - 1) * 10 ** ((seed % 7) - 3);
    });
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      for (const [m, n, k] of [[4, 1, 16], [16, 1, 4], [1, 1, 9], [3, 1, 40], [4, 16, 2], [2, 16, 4], [4, 16, 1], [1, 7, 30], [5, 6, 7]] as const) {
        const a = random(m * k);
        const b = random(k * n);
        for (const start of [random(m * n), new Float64Array(m * n), new Float64Array(m * n).fill(-0)]) {
          const c = start.slice();
          const ref = start.slice();
          gemmSmall(ta, tb, m, n, k, a, b, c);
          reference(ta, tb, m, n, k, a, b, ref);
          const i = c.findIndex((v, j) => !Object.is(v, ref[j]));
          expect(i, `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${m}x${n}x${k}: element ${i} is ${c[i]}, expected ${ref[i]}`).toBe(-1);
        }
        // not accumulating: C is cleared first, whatever it held
        const c = random(m * n);
        const ref = new Float64Array(m * n);
        gemmJs(ta, tb, m, n, k, a, b, c, false);
        reference(ta, tb, m, n, k, a, b, ref);
        expect(c.findIndex((v, j) => !Object.is(v, ref[j])), `gemmJs ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${m}x${n}x${k}`).toBe(-1);
      }
    }
  });
  it('gemmTiles (in-place register tiles) matches it, ragged edges included', () => {
    checkPath(gemmTiles, [[4, 4, 1], [8, 12, 5], [5, 7, 3], [17, 13, 9], [6, 9, 40], [16, 72, 196]]);
  });
  it('gemmPacked (blocked, packed) matches it across cache-block boundaries', () => {
    checkPath(gemmPacked, [[4, 4, 1], [17, 13, 9], [67, 45, 130], [130, 9, 300], [5, 515, 21], [40, 40, 600]]);
  });
  it('gemmTiles gives the bits of gemmPacked: both sum k in blocks of KC (so does @smolml/wasm)', () => {
    let seed = 5;
    const random = (length: number) => Float64Array.from({ length }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      for (const [m, n, k] of [[9, 7, 300], [16, 12, 600], [6, 5, 257], [13, 20, 100]] as const) {
        const a = random(m * k);
        const b = random(k * n);
        const tiles = random(m * n);
        const packed = tiles.slice();
        gemmTiles(ta, tb, m, n, k, a, b, tiles);
        gemmPacked(ta, tb, m, n, k, a, b, packed);
        const i = tiles.findIndex((v, j) => !Object.is(v, packed[j]));
        expect(i, `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${m}x${n}x${k}: element ${i} is ${tiles[i]}, packed ${packed[i]}`).toBe(-1);
      }
    }
  });
  it('gemmJs matches it on a product too large to read in place (the packed path)', () => {
    checkPath((ta, tb, m, n, k, a, b, c) => gemmJs(ta, tb, m, n, k, a, b, c, true), [[300, 150, 150]]);
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
