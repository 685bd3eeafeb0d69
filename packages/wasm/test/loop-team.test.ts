/**
 * Element-wise loops cut across the threads (src/loop-team.ts) on a real pool: the parts cover
 * every element exactly once whatever the count (parts of 8 elements or rows and up, some empty),
 * a bias row every part reads whole stays whole, the worker really runs its parts, and the sum of
 * what the parts return is the loop's finiteness check.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { memoryFor, sharedModule } from '../src/module.js';
import { type Pool, startPool } from '../src/pool.js';
import { LOOPS, loopRunner } from '../src/loop-team.js';
import { expectSameBits, filled } from './helpers.js';

const shared = await sharedModule();
const kernels = await memoryFor(shared, 2, 1024);
const pool = await startPool(shared, kernels.memory, 1, LOOPS);
afterAll(() => pool.dispose());
const x = kernels.exports;
kernels.memory.grow(64); // 4 MiB for the arrays below
const heap = () => new Float64Array(kernels.memory.buffer);
/** Byte offsets of `count` arrays of `length` numbers, 64-byte aligned, one after another. */
const arrays = (count: number, length: number) => Array.from({ length: count }, (_, i) => kernels.operands + i * Math.ceil((length * 8 + 64) / 64) * 64);

/** The pool, counting the parts its worker ran (finish() did not take them back). */
function counting(): { pool: Pool; ranByWorker: number } {
  const c = { pool, ranByWorker: 0 };
  c.pool = { ...pool, finish: (index, runHere) => (pool.finish(index, runHere) ? true : (c.ranByWorker++, false)) };
  return c;
}

describe('loopRunner', () => {
  it('cuts relu into parts that cover every element once, for every count from 0 to 80 (elements past the count untouched)', () => {
    const c = counting();
    const run = loopRunner(x, () => c.pool, 1);
    const [src, dst, ref] = arrays(3, 90);
    for (let n = 0; n <= 80; n++) {
      heap().set(filled(90, n + 1).map((v) => v - 0.3), src! / 8);
      heap().fill(NaN, dst! / 8, dst! / 8 + 90);
      heap().fill(NaN, ref! / 8, ref! / 8 + 90);
      expect(run('reluF64', [src!, dst!], [8, 8], n, [])).toBe(0);
      x.reluF64(src!, ref!, n); // the whole loop on this thread
      expectSameBits(heap().slice(dst! / 8, dst! / 8 + 90), heap().slice(ref! / 8, ref! / 8 + 90), `relu of ${n} numbers`);
    }
  });

  it('cuts addRow by rows, every part adding the whole bias row', () => {
    const c = counting();
    const run = loopRunner(x, () => c.pool, 1);
    const cols = 13;
    const [a, b, out, ref] = arrays(4, 40 * cols);
    heap().set(filled(40 * cols, 3), a! / 8);
    heap().set(filled(cols, 5), b! / 8);
    for (const rows of [1, 7, 8, 9, 16, 17, 40]) {
      heap().fill(NaN, out! / 8, out! / 8 + 40 * cols);
      heap().fill(NaN, ref! / 8, ref! / 8 + 40 * cols);
      run('addRowF64', [a!, b!, out!], [cols * 8, 0, cols * 8], rows, [cols]);
      x.addRowF64(a!, b!, ref!, rows, cols);
      expectSameBits(heap().slice(out! / 8, out! / 8 + 40 * cols), heap().slice(ref! / 8, ref! / 8 + 40 * cols), `addRow of ${rows} rows`);
    }
  });

  it('the worker runs its parts, and their finiteness checks add up to the loop\'s (0, or NaN from either part)', async () => {
    const c = counting();
    const run = loopRunner(x, () => c.pool, 1);
    const n = 100_000;
    const [theta, g, next, ref] = arrays(4, n);
    heap().set(filled(n, 7), theta! / 8);
    heap().set(filled(n, 9), g! / 8);
    expect(x.sgdF64(theta!, g!, ref!, n, 0.1, 0)).toBe(0); // the whole loop on this thread
    const deadline = performance.now() + 30_000;
    // a worker that slept may be taken back from: repeat until it has run parts (it spins between close calls)
    while (c.ranByWorker < 3) {
      if (performance.now() > deadline) throw new Error('the worker never ran a part');
      expect(run('sgdF64', [theta!, g!, next!], [8, 8, 8], n, [0.1, 0])).toBe(0);
      await Promise.resolve();
    }
    expectSameBits(heap().slice(next! / 8, next! / 8 + n), heap().slice(ref! / 8, ref! / 8 + n), 'sgd cut across the threads');
    // a NaN gradient in the calling thread's part, then in the worker's
    for (const bad of [10, n - 10]) {
      heap()[g! / 8 + bad] = NaN;
      expect(run('sgdF64', [theta!, g!, next!], [8, 8, 8], n, [0.1, 0])).toBeNaN();
      heap()[g! / 8 + bad] = 0.5;
    }
    expect(run('sgdF64', [theta!, g!, next!], [8, 8, 8], n, [0.1, 0])).toBe(0);
  });

  it('runs a loop whole on the calling thread below the least numbers, or without a pool', () => {
    const c = counting();
    let posts = 0;
    const watched: Pool = { ...c.pool, post: (i, job) => (posts++, c.pool.post(i, job)) };
    const [src, dst] = arrays(2, 1000);
    loopRunner(x, () => watched, 1001)('reluF64', [src!, dst!], [8, 8], 1000, []);
    loopRunner(x, () => undefined, 1)('reluF64', [src!, dst!], [8, 8], 1000, []);
    expect(posts).toBe(0);
    loopRunner(x, () => watched, 1000)('reluF64', [src!, dst!], [8, 8], 1000, []);
    expect(posts).toBe(1);
  });
});
