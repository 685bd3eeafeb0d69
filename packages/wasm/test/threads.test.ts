/**
 * Threads: every product gives the same bits on 2 (and 3) threads as on one, and as core's
 * TypeScript kernels, for every transpose combination, ragged sizes and sizes crossing the
 * kernel's cache blocks. Threads partition C, never the sum over k, so this is exact equality.
 */
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { jsBackend } from '@smolml/core';
import { type WasmBackend, createWasmBackend } from '../src/index.js';
import { createWasmBackendWith } from '../src/backend.js';
import { Balance, partition } from '../src/split.js';
import { KIND } from '../src/worker.js';
import { COMBOS, expectSameBits, firstDifference, product } from './helpers.js';

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

  it('keeps working on one thread after dispose(), with the same bits', async () => {
    const b: WasmBackend = await createWasmBackend({ minWork: 0, threads: 2 });
    const before = product(b, [100, 90, 300], true, false, true);
    b.dispose();
    b.dispose(); // twice is fine
    expect(b.threads).toBe(1);
    expectSameBits(product(b, [100, 90, 300], true, false, true), before, 'after dispose');
  });
});

describe('partition', () => {
  const job = { kind: KIND.f64, transA: false, transB: false, m: 10, n: 3, k: 5, a: 1000, lda: 5, b: 2000, ldb: 3, c: 3000, ldc: 3, scratch: 0, accumulate: false };

  const tile = { rows: 4, cols: 4 };

  it('cuts the longer side into tile-aligned runs that cover C once', () => {
    const rows = partition(job, 2, tile);
    expect(rows.map((p) => [p.m, p.n, p.a, p.c])).toEqual([[8, 3, 1000, 3000], [2, 3, 1000 + 8 * 5 * 8, 3000 + 8 * 3 * 8]]);
    expect(partition(job, 2, { rows: 5, cols: 4 }).map((p) => p.m)).toEqual([5, 5]);
    expect(partition({ ...job, m: 10, n: 20, ldb: 20, ldc: 20 }, 2, tile).map((p) => [p.m, p.n])).toEqual([[8, 20], [2, 20]]); // rows unless n > 2m
    const cols = partition({ ...job, m: 3, n: 10, ldb: 10, ldc: 10 }, 3, tile);
    expect(cols.map((p) => [p.m, p.n, p.b, p.c])).toEqual([[3, 4, 2000, 3000], [3, 4, 2032, 3032], [3, 2, 2064, 3064]]);
  });

  it('offsets transposed operands along their stored layout', () => {
    const [, second] = partition({ ...job, transA: true, lda: 10 }, 2, tile);
    expect(second!.a).toBe(1000 + 8 * 8); // column 8 of the stored k x m matrix
    const [, right] = partition({ ...job, m: 3, n: 10, transB: true, ldb: 5, ldc: 10 }, 2, tile);
    expect(right!.b).toBe(2000 + 8 * 5 * 8); // row 8 of the stored n x k matrix
  });
});

describe('partition with a share for the calling thread', () => {
  const tile = { rows: 4, cols: 8 };
  it('covers C once, in whole tiles, with the first block about the share asked for (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 2, max: 4 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (m, n, threads, share) => {
        const job = { kind: KIND.f64, transA: false, transB: false, m, n, k: 7, a: 0, lda: 7, b: 1 << 20, ldb: n, c: 1 << 24, ldc: n, scratch: 0, accumulate: false };
        const parts = partition(job, threads, tile, share);
        const byRows = 2 * m >= n;
        const size = byRows ? m : n;
        const unit = byRows ? tile.rows : tile.cols;
        const lens = parts.map((p) => (byRows ? p.m : p.n));
        expect(lens.reduce((x, y) => x + y, 0)).toBe(size);
        expect(parts.length).toBeLessThanOrEqual(threads);
        lens.slice(0, -1).forEach((len) => expect(len % unit).toBe(0));
        lens.forEach((len) => expect(len).toBeGreaterThan(0));
        if (size >= 4 * unit) expect(Math.abs(lens[0]! - size * share)).toBeLessThanOrEqual(unit);
        // each block starts where the previous one ended, in A (rows) or B (columns) and in C
        let start = 0;
        for (const [i, p] of parts.entries()) {
          if (byRows) expect([p.a, p.c]).toEqual([start * 7 * 8, (1 << 24) + start * n * 8]);
          else expect([p.b, p.c]).toEqual([(1 << 20) + start * 8, (1 << 24) + start * 8]);
          start += lens[i]!;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an uneven share gives the bits of one thread (rows and columns, every transpose)', async () => {
    for (const share of [0.25, 0.75]) {
      for (const shape of SHAPES) {
        for (const [ta, tb] of COMBOS) {
          // a new backend per product, so that its first (and only) product uses exactly this share
          const b = await createWasmBackendWith({ minWork: 0, threads: 2 }, { share });
          expectSameBits(product(b, shape, ta, tb, false), product(one, shape, ta, tb, false), `share ${share} ${shape} ${ta}${tb}`);
          b.dispose();
        }
      }
    }
  });
});

describe('Balance', () => {
  it('moves the share towards the faster side, damped, within bounds', () => {
    const b = new Balance(2);
    expect(b.share).toBe(0.5);
    b.observe({ elements: 100, micros: 1000 }, [{ elements: 100, micros: 1000 }]);
    expect(b.share).toBe(0.5); // equal speeds: stays even
    b.observe({ elements: 100, micros: 1000 }, [{ elements: 100, micros: 3000 }]); // this thread 3x as fast: target 0.75
    expect(b.share).toBeCloseTo(0.5 + 0.25 * 0.25, 12);
    for (let i = 0; i < 50; i++) b.observe({ elements: 100, micros: 1000 }, [{ elements: 100, micros: 100_000 }]);
    expect(b.share).toBe(0.75); // bounded: the worker keeps at least half an even share
    for (let i = 0; i < 50; i++) b.observe({ elements: 100, micros: 100_000 }, [{ elements: 100, micros: 1000 }]);
    expect(b.share).toBe(0.25);
  });

  it('ignores products too short to time and workers that did not report', () => {
    const b = new Balance(3);
    b.observe({ elements: 100, micros: 150 }, [{ elements: 100, micros: 9000 }, { elements: 100, micros: 9000 }]);
    b.observe({ elements: 100, micros: 1000 }, [{ elements: 100, micros: 0 }, { elements: 100, micros: 9000 }]);
    expect(b.share).toBe(1 / 3);
  });
});
