/**
 * allocate(): arrays in the threads' shared memory, which products read and write where they
 * are. Whatever mix of operands lives there, every product gives the TypeScript kernels' bits;
 * a C that overlaps A or B still gets the result of copying them first; memory of arrays that
 * were released or garbage-collected is reused, zeroed; and where the memory is not shared or is
 * full, the arrays are ordinary ones.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ValueError, jsBackend } from '@smolml/core';
import { createWasmBackend } from '../src/index.js';
import { createWasmBackendWith } from '../src/backend.js';
import { COMBOS, expectSameBits, filled } from './helpers.js';

const two = await createWasmBackend({ minWork: 0, threads: 2 });
const one = await createWasmBackend({ minWork: 0 });
afterAll(() => {
  two.dispose();
  one.dispose();
});
const threaded = two.threads > 1; // a machine with one core gets one thread
const inShared = (x: Float64Array) => typeof SharedArrayBuffer !== 'undefined' && x.buffer instanceof SharedArrayBuffer;

/** `values` in an array of `backend.allocate` (when `inMemory`) or an ordinary one. */
function place(values: Float64Array, inMemory: boolean): Float64Array {
  const out = inMemory ? two.allocate(values.length) : new Float64Array(values.length);
  out.set(values);
  return out;
}

// split between threads (>= 2^18 multiply-adds), ragged, and crossing KC = 256 along k
const SHAPES: [number, number, number][] = [[67, 131, 300], [300, 299, 301], [257, 9, 517], [16, 16, 16]];

describe('WasmBackend.allocate', () => {
  it.runIf(threaded)('gives zero-filled arrays in shared memory on 2 threads', () => {
    const x = two.allocate(10_000);
    expect(x).toHaveLength(10_000);
    expect(inShared(x)).toBe(true);
    expect(x.every((v) => Object.is(v, 0))).toBe(true);
    const y = two.allocate(10_000);
    x.fill(1);
    expect(y.every((v) => v === 0)).toBe(true); // distinct memory
  });

  it('gives ordinary arrays for small lengths', () => {
    for (const x of [two.allocate(100), one.allocate(100), two.allocate(0)]) {
      expect(inShared(x)).toBe(false);
      expect(x.every((v) => v === 0)).toBe(true);
    }
    expect(one.allocate(3)).toHaveLength(3);
  });

  it('gives arrays in shared memory on one thread too, which its products read and write in place', () => {
    const x = one.allocate(10_000);
    expect(inShared(x)).toBe(true); // Node always has SharedArrayBuffer (see platform.test.ts for engines without)
    expect(x.every((v) => Object.is(v, 0))).toBe(true);
    const [m, n, k] = [40, 50, 60];
    const a = one.allocate(m * k);
    const b = one.allocate(k * n);
    const c = one.allocate(m * n);
    a.set(filled(m * k, 1));
    b.set(filled(k * n, 2));
    one.gemm(false, false, m, n, k, a, b, c, false);
    const want = new Float64Array(m * n);
    jsBackend.gemm(false, false, m, n, k, a.slice(), b.slice(), want, false);
    expectSameBits(c, want, 'one thread, A, B and C in memory');
  });

  it('refuses a length that is not a non-negative integer, naming it', () => {
    expect(() => two.allocate(-1)).toThrow(ValueError);
    expect(() => two.allocate(1.5)).toThrow(/allocate: length/);
  });

  it('refuses more numbers than an array may hold with a ValueError naming the length, on one thread and two', () => {
    for (const backend of [one, two]) {
      // 2^31 would be a 16 GiB ordinary array, 2^40 more than any engine gives: both are refused before anything is allocated
      for (const length of [2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
        expect(() => backend.allocate(length), `${backend.threads} thread(s), ${length}`).toThrow(ValueError);
        expect(() => backend.allocate(length)).toThrow(`allocate: shape (${length},) has ${length} elements, more than the limit of 2147483647`);
      }
      expect(backend.allocate(3)).toHaveLength(3); // still usable afterwards
    }
  });

  for (const [ta, tb] of COMBOS) {
    for (const accumulate of [false, true]) {
      it(`${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}${accumulate ? ' accumulate' : ''}: any of A, B and C in memory gives the TS kernels' bits`, () => {
        for (const [m, n, k] of SHAPES) {
          const a = filled(m * k, m);
          const b = filled(k * n, n);
          const c0 = accumulate ? filled(m * n, k) : new Float64Array(m * n).fill(NaN);
          const ref = c0.slice();
          jsBackend.gemm(ta, tb, m, n, k, a, b, ref, accumulate);
          for (let mask = 0; mask < 8; mask++) {
            const c = place(c0, (mask & 4) !== 0);
            two.gemm(ta, tb, m, n, k, place(a, (mask & 1) !== 0), place(b, (mask & 2) !== 0), c, accumulate);
            expectSameBits(c, ref, `${[m, n, k]} A${mask & 1 ? ' in memory' : ''}, B${mask & 2 ? ' in memory' : ''}, C${mask & 4 ? ' in memory' : ''}`);
          }
        }
      });
    }
  }

  it('a C that overlaps A or B in memory gets the product of A and B as they were', () => {
    const [m, n, k] = [96, 96, 96];
    const a = filled(m * k, 5);
    const b = filled(k * n, 6);
    const ref = new Float64Array(m * n);
    jsBackend.gemm(false, false, m, n, k, a, b, ref, false);
    // C is A itself
    const aliased = place(a, true);
    two.gemm(false, false, m, n, k, aliased, place(b, true), aliased, false);
    expectSameBits(aliased, ref, 'C = A');
    // C starts halfway through B (one allocation holds both). Repeated: on two threads, C's rows
    // written back while the worker still reads B would show only in some runs.
    for (let run = 0; run < 20; run++) {
      const both = two.allocate(k * n + m * n / 2);
      const bIn = both.subarray(0, k * n);
      bIn.set(b);
      const c = both.subarray(k * n - m * n / 2);
      two.gemm(false, false, m, n, k, place(a, true), bIn, c, false);
      expectSameBits(c.slice(), ref, `C overlapping the end of B (run ${run})`);
    }
  });

  it.runIf(threaded)('release() hands the memory out again at once, zeroed; other arrays and second releases are ignored', () => {
    const x = two.allocate(1 << 17);
    x.fill(3);
    two.release(x);
    two.release(x); // ignored: released already
    two.release(new Float64Array(1 << 17)); // ignored: not one of allocate()'s
    two.release(two.allocate(100)); // ignored: an ordinary array (under 4 KiB)
    const y = two.allocate(1 << 17);
    expect(y.byteOffset).toBe(x.byteOffset);
    expect(y.every((v) => v === 0)).toBe(true);
    const z = two.allocate(1 << 17);
    expect(z.byteOffset).not.toBe(y.byteOffset); // y is still in use
    two.release(y);
    two.release(z);
  });

  it.runIf(threaded)('a synchronous loop that releases what it allocates stays in shared memory', async () => {
    // 6 MiB hold only a few 1 MiB arrays: without release, allocate would fall back to ordinary
    // arrays (finalizers cannot run while this loop holds the thread)
    const small = await createWasmBackendWith({ threads: 2 }, { maxMemoryBytes: 6 << 20 });
    try {
      for (let i = 0; i < 200; i++) {
        const x = small.allocate(1 << 17);
        expect(inShared(x), `array ${i} in shared memory`).toBe(true);
        small.release(x);
      }
    } finally {
      small.dispose();
    }
  });

  it.runIf(threaded && typeof globalThis.gc === 'function')('an array released and then collected is not freed twice', async () => {
    let x: Float64Array | null = two.allocate(1 << 17);
    const at = x.byteOffset;
    two.release(x);
    x = null;
    globalThis.gc!();
    await new Promise((resolve) => setTimeout(resolve, 10)); // a finalizer would run now (and find the range free)
    // Arrays of earlier tests collected by the same gc() may have freed lower ranges, which are
    // handed out first, and merged with the released one, so that it comes back inside a larger
    // range at another offset: allocate until an array covers its first byte, then a few more.
    // Freed twice, it would be handed out twice, and two arrays would overlap.
    const covers = (a: Float64Array) => a.buffer instanceof SharedArrayBuffer && a.byteOffset <= at && at < a.byteOffset + a.byteLength;
    const got: Float64Array[] = [];
    while (got.length < 256 && !got.some(covers)) got.push(two.allocate(1 << 17));
    for (let i = 0; i < 4; i++) got.push(two.allocate(1 << 17));
    expect(got.filter(covers)).toHaveLength(1);
    const ranges = got.filter((a) => a.buffer instanceof SharedArrayBuffer).map((a) => [a.byteOffset, a.byteOffset + a.byteLength] as const).sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0], 'arrays do not overlap').toBeGreaterThanOrEqual(ranges[i - 1]![1]);
    for (const a of got) two.release(a);
  });

  it.runIf(threaded && typeof globalThis.gc === 'function')('reuses the memory of collected arrays, zeroed again', async () => {
    // 8 MiB of memory holds at most a few 1 MiB arrays at once: without reuse, allocate would soon
    // fall back to ordinary arrays.
    const small = await createWasmBackendWith({ threads: 2 }, { maxMemoryBytes: 8 << 20 });
    try {
      for (let i = 0; i < 40; i++) {
        let x = small.allocate(1 << 17);
        for (let tries = 0; !inShared(x) && tries < 50; tries++) {
          globalThis.gc!();
          await new Promise((resolve) => setTimeout(resolve, 1)); // finalizers run in a later task
          x = small.allocate(1 << 17);
        }
        expect(inShared(x), `array ${i} in shared memory`).toBe(true);
        expect(x.every((v) => v === 0), `array ${i} zeroed`).toBe(true);
        x.fill(i + 1);
      }
    } finally {
      small.dispose();
    }
  });

  it.runIf(threaded)('gives ordinary arrays once memory is full, and products still run', async () => {
    const small = await createWasmBackendWith({ threads: 2, minWork: 0 }, { maxMemoryBytes: 6 << 20 });
    try {
      const kept: Float64Array[] = [];
      let x = small.allocate(1 << 17);
      while (inShared(x)) {
        kept.push(x);
        x = small.allocate(1 << 17);
      }
      expect(kept.length).toBeGreaterThan(0);
      expect(x).toHaveLength(1 << 17);
      expect(x.every((v) => v === 0)).toBe(true);
      // a product whose operands no longer fit in memory runs on the TypeScript kernels: same bits
      const [m, n, k] = [256, 256, 256];
      const a = filled(m * k, 1);
      const b = filled(k * n, 2);
      const ref = new Float64Array(m * n);
      jsBackend.gemm(false, false, m, n, k, a, b, ref, false);
      const c = kept[0]!.subarray(0, m * n);
      small.gemm(false, false, m, n, k, a, b, c, false);
      expectSameBits(c.slice(), ref, 'product into memory, operands outside');
    } finally {
      small.dispose();
    }
  });

  it.runIf(threaded)('arrays stay valid after dispose(), and products on one thread still use them', () => {
    const [m, n, k] = [128, 128, 128];
    const backend = two;
    const a = place(filled(m * k, 3), true);
    const b = place(filled(k * n, 4), true);
    const ref = new Float64Array(m * n);
    jsBackend.gemm(false, false, m, n, k, a, b, ref, false);
    const c = backend.allocate(m * n);
    backend.dispose();
    expect(backend.threads).toBe(1);
    backend.gemm(false, false, m, n, k, a, b, c, false);
    expectSameBits(c, ref, 'after dispose');
  });
});
