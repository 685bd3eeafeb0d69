/**
 * Threads: every product gives the same bits on 2 (and 3) threads as on one, and as core's
 * TypeScript kernels, for every transpose combination, ragged sizes and sizes crossing the
 * kernel's cache blocks, however the product is cut into pieces. Threads share out pieces of
 * C, never the sum over k, so this is exact equality.
 */
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { jsBackend } from '@smolml/core';
import { type WasmBackend, createWasmBackend } from '../src/index.js';
import { createWasmBackendWith } from '../src/backend.js';
import { PIECES_PER_THREAD, PIECE_WORK, pieces, piecesPerThread } from '../src/split.js';
import { COMBOS, expectSameBits, filled, firstDifference, product } from './helpers.js';

const one = await createWasmBackend({ minWork: 0 });
const two = await createWasmBackend({ minWork: 0, threads: 2 });
const three = await createWasmBackend({ minWork: 0, threads: 3 });
const one32 = await createWasmBackend({ minWork: 0, precision: 'float32' });
const two32 = await createWasmBackend({ minWork: 0, precision: 'float32', threads: 2 });
afterAll(() => {
  for (const b of [one, two, three, one32, two32]) b.dispose();
});

// large enough to be split between threads (>= 2^18 multiply-adds), odd, and crossing
// KC = 256 (k), MC = 32 (m) and NC = 512 (n)
const SHAPES: [number, number, number][] = [
  [64, 64, 64], [67, 131, 33], [131, 67, 300], [257, 5, 517], [5, 517, 129], [33, 1030, 17], [300, 299, 301], [129, 128, 513],
];

describe('createWasmBackend({ threads })', () => {
  it('reports the threads it really uses', () => {
    expect(one.threads).toBe(1);
    expect(one.threadsNote).toBeUndefined();
    const cores = availableParallelism();
    expect(two.threads).toBe(Math.min(2, cores));
    expect(three.threads).toBe(Math.min(3, cores));
    if (cores < 3) expect(three.threadsNote).toMatch(/only \d+ cores? (is|are) available/);
    else expect(three.threadsNote).toBeUndefined();
    expect(two32.precision).toBe('float32');
  });

  for (const [ta, tb] of COMBOS) {
    for (const accumulate of [false, true]) {
      it(`float64 ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}${accumulate ? ' accumulate' : ''}: 2 and 3 threads give the bits of 1 thread and of the TS kernels`, () => {
        for (const shape of SHAPES) {
          const ref = product(jsBackend, shape, ta, tb, accumulate);
          expectSameBits(product(one, shape, ta, tb, accumulate), ref, `1 thread ${shape}`);
          expectSameBits(product(two, shape, ta, tb, accumulate), ref, `2 threads ${shape}`);
          expectSameBits(product(three, shape, ta, tb, accumulate), ref, `3 threads ${shape}`);
        }
      });
      it(`float32 ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}${accumulate ? ' accumulate' : ''}: 2 threads give the bits of 1 thread`, () => {
        for (const shape of SHAPES) {
          expectSameBits(product(two32, shape, ta, tb, accumulate), product(one32, shape, ta, tb, accumulate), `float32 ${shape}`);
        }
      });
    }
  }

  it('random shapes, transposes and accumulation: 2 threads = 1 thread = TS kernels (property)', () => {
    const dim = fc.integer({ min: 1, max: 200 });
    fc.assert(
      fc.property(dim, dim, fc.integer({ min: 1, max: 600 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 1000 }), (m, n, k, ta, tb, acc, seed) => {
        const ref = product(jsBackend, [m, n, k], ta, tb, acc, seed);
        return firstDifference(product(two, [m, n, k], ta, tb, acc, seed), ref) === -1 &&
          firstDifference(product(one, [m, n, k], ta, tb, acc, seed), ref) === -1;
      }),
      { numRuns: 60 }, // seeded globally (tests/test-utils/src/fast-check-seed.ts)
    );
  });

  it.skipIf(two.threads < 2)('hands large products to a worker and keeps small ones on the calling thread', async () => {
    const notify = vi.spyOn(Atomics, 'notify');
    try {
      product(two, [40, 40, 40], false, false, false); // 64,000 multiply-adds: not worth a worker
      expect(notify).not.toHaveBeenCalled();
      // A worker that has not yet let go of a part taken back from it in an earlier test is
      // skipped (that part runs here); on a busy machine that can take a moment, so retry.
      for (let i = 0; i < 500 && notify.mock.calls.length === 0; i++) {
        product(two, [200, 200, 200], false, false, false);
        if (notify.mock.calls.length === 0) await new Promise((done) => setTimeout(done, 20));
      }
      expect(notify).toHaveBeenCalled();
    } finally {
      notify.mockRestore();
    }
  });

  it('runs a product the moment it is created (the worker may not be waiting yet)', async () => {
    // regression: a worker that read the job counter after its first job was posted slept forever
    for (let i = 0; i < 5; i++) {
      const b = await createWasmBackend({ minWork: 0, threads: 2 });
      expectSameBits(product(b, [100, 90, 300], false, false, false), product(jsBackend, [100, 90, 300], false, false, false), `backend ${i}`);
      b.dispose();
    }
  });

  it('writes an ordinary C only within its elements, whose pages the calling thread touches during the product', () => {
    // C is an ordinary array (not allocate()'s): computed in WebAssembly memory and copied out;
    // the calling thread writes a zero into each of C's pages while the workers compute. Here C
    // sits inside a larger array at an offset that is not a page boundary: its neighbours keep
    // their numbers, and C gets the bits of one thread, overwritten or accumulated.
    const [m, n, k] = [131, 517, 300]; // 67,727 numbers: 133 pages and a part
    const a = filled(m * k, 5);
    const b = filled(k * n, 6);
    for (const accumulate of [false, true]) {
      const whole = filled(m * n + 1000, 7);
      const before = whole.slice();
      const c = whole.subarray(333, 333 + m * n);
      const ref = c.slice();
      one.gemm(false, false, m, n, k, a, b, ref, accumulate);
      two.gemm(false, false, m, n, k, a, b, c, accumulate);
      expectSameBits(c, ref, `C${accumulate ? ' accumulated' : ''}`);
      expectSameBits(whole.subarray(0, 333), before.subarray(0, 333), 'the numbers before C');
      expectSameBits(whole.subarray(333 + m * n), before.subarray(333 + m * n), 'the numbers after C');
    }
    // C is A itself, an ordinary array: A is copied in before C's pages are written
    const s = 96;
    const x = filled(s * s, 8);
    const y = filled(s * s, 9);
    const expected = new Float64Array(s * s);
    one.gemm(false, false, s, s, s, x, y, expected, false);
    two.gemm(false, false, s, s, s, x, y, x, false);
    expectSameBits(x, expected, 'C = A');
  });

  it('keeps working on one thread after dispose(), with the same bits', async () => {
    const b: WasmBackend = await createWasmBackend({ minWork: 0, threads: 2 });
    const before = product(b, [100, 90, 300], true, false, true);
    b.dispose();
    b.dispose(); // twice is fine
    expect(b.threads).toBe(1);
    expectSameBits(product(b, [100, 90, 300], true, false, true), before, 'after dispose');
  });
});

describe('pieces', () => {
  const f64 = { rows: 4, cols: 4, blockRows: 32, blockCols: 512 };
  const f32 = { rows: 4, cols: 8, blockRows: 32, blockCols: 512 };

  it('cuts rows into runs of up to 32 (whole tiles), and columns only when rows give too few pieces', () => {
    expect(pieces(512, 512, 2, f64, 4)).toEqual({ chunkRows: 32, colGroups: 1 }); // 16 pieces
    expect(pieces(256, 784, 2, f64, 4)).toEqual({ chunkRows: 32, colGroups: 1 }); // 8 pieces: 4 per thread
    expect(pieces(64, 128, 2, f64, 4)).toEqual({ chunkRows: 8, colGroups: 1 }); // 8 pieces of 8 rows
    expect(pieces(10, 512, 2, f64, 4)).toEqual({ chunkRows: 4, colGroups: 3 }); // 3 runs of rows x 3 of columns
    expect(pieces(1, 700, 3, f32, 4)).toEqual({ chunkRows: 4, colGroups: 12 });
    expect(pieces(1, 6, 2, f64, 4)).toEqual({ chunkRows: 4, colGroups: 2 }); // never more groups than panels
    expect(pieces(64, 128, 2, f64, 16)).toEqual({ chunkRows: 4, colGroups: 2 });
    expect(pieces(256, 512, 2, f64, 16)).toEqual({ chunkRows: 8, colGroups: 1 }); // W3's batch: 32 pieces of 8 rows
  });

  it('asks for more pieces per thread as the work grows, each of PIECE_WORK multiply-adds or more, within 4 to 64', () => {
    expect(piecesPerThread(512 * 512 * 512, 2)).toBe(64); // W4: 128 pieces of 4 rows
    expect(piecesPerThread(256 * 512 * 784, 2)).toBe(49); // W3's first layer
    expect(piecesPerThread(64 * 128 * 784, 2)).toBe(4); // W2's first layer: 6.4M, pieces would be too small
    expect(piecesPerThread(1 << 18, 2)).toBe(PIECES_PER_THREAD.min); // the smallest product threads take
    expect(piecesPerThread(10 * PIECE_WORK * 2, 2)).toBe(10);
    expect(piecesPerThread(10 * PIECE_WORK * 2, 4)).toBe(5); // more threads share the same pieces
    expect(piecesPerThread(2 ** 40, 2)).toBe(PIECES_PER_THREAD.max);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 2, max: 64 }), (work, threads) => {
        const per = piecesPerThread(work, threads);
        expect(Number.isInteger(per)).toBe(true);
        expect(per).toBeGreaterThanOrEqual(PIECES_PER_THREAD.min);
        expect(per).toBeLessThanOrEqual(PIECES_PER_THREAD.max);
        // above the least, every piece keeps at least PIECE_WORK multiply-adds
        if (per > PIECES_PER_THREAD.min) expect(work / (per * threads)).toBeGreaterThanOrEqual(PIECE_WORK);
        // below the most, one more piece per thread would make them smaller than that
        if (per < PIECES_PER_THREAD.max) expect(work / ((per + 1) * threads)).toBeLessThan(PIECE_WORK);
      }),
    );
  });

  it('gives whole tiles, at most 32 rows, and about the pieces asked for (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 2, max: 8 }), fc.constantFrom(f64, f32), fc.integer({ min: 1, max: 16 }), (m, n, threads, tile, per) => {
        const { chunkRows, colGroups } = pieces(m, n, threads, tile, per);
        expect(chunkRows % tile.rows).toBe(0);
        expect(chunkRows).toBeGreaterThanOrEqual(tile.rows);
        expect(chunkRows).toBeLessThanOrEqual(32);
        const panels = Math.ceil(Math.min(n, 512) / tile.cols);
        expect(colGroups).toBeGreaterThanOrEqual(1);
        expect(colGroups).toBeLessThanOrEqual(panels);
        const rowChunks = Math.ceil(m / chunkRows);
        // enough pieces for every thread's share, unless the product has fewer tiles than that
        expect(rowChunks * colGroups).toBeGreaterThanOrEqual(Math.min(per * threads, Math.ceil(m / tile.rows) * panels));
        if (rowChunks >= per * threads) expect(colGroups).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('products cut into several stages along k and into pieces of columns give the bits of one thread', async () => {
    // stages of 256 rows of B (k up to 517: up to 3 stages), and 16 pieces per thread (pieces of columns for short C)
    const cut = await createWasmBackendWith({ minWork: 0, threads: 2 }, { teamDepth: 256, piecesPerThread: 16 });
    const cut3 = await createWasmBackendWith({ minWork: 0, threads: 3 }, { teamDepth: 512, piecesPerThread: 3 });
    const cut32 = await createWasmBackendWith({ minWork: 0, threads: 2, precision: 'float32' }, { teamDepth: 256, piecesPerThread: 16 });
    try {
      for (const shape of [...SHAPES, [4, 600, 700], [600, 9, 1100]] as [number, number, number][]) {
        for (const [ta, tb] of COMBOS) {
          for (const acc of [false, true]) {
            const ref = product(one, shape, ta, tb, acc);
            expectSameBits(product(cut, shape, ta, tb, acc), ref, `2 threads ${shape} ${ta}${tb}${acc}`);
            expectSameBits(product(cut3, shape, ta, tb, acc), ref, `3 threads ${shape} ${ta}${tb}${acc}`);
            expectSameBits(product(cut32, shape, ta, tb, acc), product(one32, shape, ta, tb, acc), `float32 ${shape} ${ta}${tb}${acc}`);
          }
        }
      }
    } finally {
      for (const b of [cut, cut3, cut32]) b.dispose();
    }
  });
});
