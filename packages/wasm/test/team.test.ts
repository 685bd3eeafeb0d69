/**
 * Team products (assembly/team.ts) on the kernels directly: whichever threads take part, and
 * however late one joins, C gets the bits of the one-thread kernel. The counters in shared
 * memory decide who does what, so the extreme cases are tested one by one: the calling thread
 * alone, a worker alone, the two together, and a thread that arrives after the end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { memoryFor, sharedModule } from '../src/module.js';
import { type GemmJob, type TeamArgs, startPool } from '../src/pool.js';
import { KIND } from '../src/worker.js';
import { expectSameBits, filled } from './helpers.js';

const shared = await sharedModule();
const kernels = await memoryFor(shared, 2, 1024);
const pool = await startPool(shared, kernels.memory, 1);
afterAll(() => pool.dispose());

// 100 x 600 @ 600 x 530: crosses NC = 512 (two blocks of columns) and, with stages of 256
// rows of B, three stages per block of columns
const [m, n, k] = [100, 530, 600];
const depth = 256;
const x = kernels.exports;
const ctl = kernels.operands;
const packed = ctl + x.teamControlBytes();
const a = packed + x.teamPackedBytes(depth, 0);
const b = a + m * k * 8;
const c = b + k * n * 8;
const ref = c + m * n * 8;
kernels.memory.grow(Math.ceil((ref + m * n * 8 - kernels.memory.buffer.byteLength) / 65536));
const heap = () => new Float64Array(kernels.memory.buffer);
heap().set(filled(m * k, 3), a / 8);
heap().set(filled(k * n, 5), b / 8);
x.gemmF64(0, 0, m, n, k, a, k, b, n, ref, n, kernels.scratch(0), 0);
const expected = heap().slice(ref / 8, ref / 8 + m * n);

const team: TeamArgs = { ctl, packed, depth, chunkRows: 8, colGroups: 3 };
const job: GemmJob = { kind: KIND.f64, transA: false, transB: false, m, n, k, a, lda: k, b, ldb: n, c, ldc: n, scratch: kernels.scratch(1), accumulate: false, team };
const runHere = () => x.gemmTeamF64(0, 0, m, n, k, a, k, b, n, c, n, kernels.scratch(0), 0, packed, depth, team.chunkRows, team.colGroups, ctl);
const counters = () => [...new Int32Array(kernels.memory.buffer, ctl, 64)].filter((_, i) => i % 16 === 0); // the four counters, one per 64 bytes
/** A fresh product: C full of NaN (the kernel must overwrite all of it), counters at zero. */
function reset(): void {
  heap().fill(NaN, c / 8, c / 8 + m * n);
  new Int32Array(kernels.memory.buffer, ctl, x.teamControlBytes() / 4).fill(0);
}
const result = () => heap().slice(c / 8, c / 8 + m * n);
// panels of 4 columns per block of columns (128 + 5), times 3 stages; pieces: 13 runs of rows x 3 groups
const PANELS = (128 + 5) * 3;
const PIECES = 2 * 3 * 13 * 3;

describe('gemmTeamF64', () => {
  it('the calling thread alone computes the whole product, with the bits of gemmF64', () => {
    reset();
    runHere();
    expectSameBits(result(), expected, 'calling thread alone');
    expect(counters()).toEqual([PANELS, PANELS, PIECES, PIECES]);
  });

  it('a thread that arrives after the end finds nothing to do and leaves C as it is', () => {
    reset();
    runHere();
    heap()[c / 8] = 12345; // a late thread must not write C again
    runHere();
    expect(heap()[c / 8]).toBe(12345);
    expect(counters()).toEqual([PANELS, PANELS, PIECES, PIECES]);
  });

  it('a worker alone computes the whole product', () => {
    // The calling thread does not take part: it gives the worker a moment to claim the job, then
    // waits for it. A worker that was asleep and has not claimed it by then gives it back unrun
    // (nothing computed), and the next round tries again.
    let ran = false;
    for (let i = 0; i < 200 && !ran; i++) {
      reset();
      if (!pool.post(0, job)) continue;
      const start = performance.now();
      while (performance.now() - start < 5); // the worker spins between jobs: it claims within microseconds when awake
      ran = !pool.finish(0, () => {});
      if (!ran) expect(counters()).toEqual([0, 0, 0, 0]);
    }
    expect(ran).toBe(true);
    expectSameBits(result(), expected, 'worker alone');
    expect(counters()).toEqual([PANELS, PANELS, PIECES, PIECES]);
  });

  it('the calling thread and a worker together give the same bits, many times over', () => {
    let joined = 0;
    for (let i = 0; i < 30; i++) {
      reset();
      const posted = pool.post(0, job);
      runHere();
      if (posted && !pool.finish(0, () => {})) joined++;
      expectSameBits(result(), expected, `round ${i}`);
      expect(counters()).toEqual([PANELS, PANELS, PIECES, PIECES]);
    }
    // the worker spins between jobs, so it normally joins; a busy machine may keep it out of some rounds
    expect(joined).toBeGreaterThan(0);
  });

  it('a thread that traps stops the team: the others do not wait for its pieces, and the error is reported', () => {
    // Only the last panel of op(B) reaches past the end of memory (a bug the backend's checks
    // rule out, forced here): whichever thread claims it traps, while the other, done with its
    // own panels, waits for that one. Both cases must end in an Error, not a hang.
    const size = kernels.memory.buffer.byteLength;
    const ldb = n + 64;
    const late = size - ((k - 1) * ldb + n - 2) * 8; // B(k-1, n-2) is the first number past the end
    const abort = () => Atomics.store(new Int32Array(kernels.memory.buffer), (ctl + x.teamAbortOffset()) >> 2, 1);
    let failures = 0;
    for (let i = 0; i < 20; i++) {
      reset();
      const trapping: GemmJob = { ...job, b: late, ldb };
      const here = () => x.gemmTeamF64(0, 0, m, n, k, a, k, late, ldb, c, n, kernels.scratch(0), 0, packed, depth, team.chunkRows, team.colGroups, ctl);
      expect(() => pool.team(() => trapping, here, abort)).toThrow(/unreachable|out of bounds|worker 0 trapped/);
      failures++;
    }
    expect(failures).toBe(20);
    // and the pool keeps serving
    reset();
    pool.team(() => job, runHere, abort);
    expectSameBits(result(), expected, 'after the failures');
  });
});


describe('createWasmBackendWith teamDepth', () => {
  it('refuses a stage depth that would cut a block of k (the bits would change)', async () => {
    const { createWasmBackendWith } = await import('../src/backend.js');
    await expect(createWasmBackendWith({ threads: 2 }, { teamDepth: 300 })).rejects.toThrow(/teamDepth must be a positive multiple of 256, got 300/);
    await expect(createWasmBackendWith({ threads: 2 }, { teamDepth: 0 })).rejects.toThrow(/teamDepth/);
  });
});
