/**
 * The worker pool on its own: jobs run on the shared memory, a job the worker has not started
 * is taken back and run by the caller, a trapped job is an Error (not a hang), dispose() ends it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { memoryFor, sharedModule } from '../src/module.js';
import { type GemmJob, type LoopJob, startPool } from '../src/pool.js';
import { KIND } from '../src/worker.js';
import { LOOPS } from '../src/loop-team.js';

const shared = await sharedModule();
const kernels = await memoryFor(shared, 2, 256);
kernels.memory.grow(1);
const pool = await startPool(shared, kernels.memory, 1, LOOPS);
afterAll(() => pool.dispose());

const [m, n, k] = [8, 8, 8];
const a = kernels.operands;
const b = a + m * k * 8;
const c = b + k * n * 8;
const job: GemmJob = { kind: KIND.f64, transA: false, transB: false, m, n, k, a, lda: k, b, ldb: n, c, ldc: n, scratch: kernels.scratch(1), accumulate: true };
const heap = () => kernels.memory.buffer;
const runHere = (j: GemmJob) =>
  kernels.exports.gemmF64(0, 0, j.m, j.n, j.k, j.a, j.lda, j.b, j.ldb, j.c, j.ldc, kernels.scratch(0), j.accumulate ? 1 : 0);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Waits (up to a deadline far beyond any sane wake-up, for a loaded machine) until `ready()`:
 * tests wait for what they need to observe, never for a fixed time a busy CI box may exceed.
 */
async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

/** C = 1 + A B with A = 2, B = 3: every element 49, whoever ran it. */
function reset(): void {
  new Float64Array(heap(), a, m * k).fill(2);
  new Float64Array(heap(), b, k * n).fill(3);
  new Float64Array(heap(), c, m * n).fill(1);
}
const result = () => [...new Float64Array(heap(), c, m * n)];
const allDone = () => result().every((v) => v === 49);

describe('startPool', () => {
  it('runs a loop job on a worker (its pointers, count and further arguments) and keeps what the loop returned', async () => {
    const count = 40;
    const [theta, g, next] = [0, 1, 2].map((i) => c + m * n * 8 + i * count * 8) as [number, number, number];
    const view = (at: number) => new Float64Array(heap(), at, count);
    view(theta).set(Array.from({ length: count }, (_, i) => i));
    view(g).fill(2);
    view(next).fill(NaN);
    // elements 8 to 39 of next = theta - 0.5 g
    const part = (): LoopJob => ({ kind: KIND.loop, loop: LOOPS.indexOf('sgdF64'), pointers: [theta + 64, g + 64, next + 64], count: count - 8, rest: [0.5, 0] });
    expect(pool.post(0, part())).toBe(true);
    await until(() => !Number.isNaN(view(next)[count - 1]!), 'the worker has run the loop');
    expect(pool.finish(0, () => expect.fail('the worker ran it: nothing to take back'))).toBe(false);
    expect([...view(next)]).toEqual(Array.from({ length: count }, (_, i) => (i < 8 ? NaN : i - 1)));
    expect(pool.result(0)).toBe(0); // the finiteness check: every number finite
    view(g)[20] = Infinity;
    expect(pool.post(0, part())).toBe(true);
    await until(() => view(next)[20] === -Infinity, 'the worker has run the loop again');
    expect(pool.finish(0, () => expect.fail('the worker ran it: nothing to take back'))).toBe(false);
    expect(pool.result(0)).toBeNaN();
  });

  it('runs a job on a worker, in the shared memory', async () => {
    reset();
    expect(pool.post(0, job)).toBe(true);
    await until(allDone, 'the worker has run the job'); // nothing else writes C
    expect(pool.finish(0, () => runHere(job))).toBe(false); // claimed by the worker: nothing to take back
    expect(result()).toEqual(new Array(m * n).fill(49));
  });

  it('takes back a job the worker has not started, runs it here, and posts the next one safely', async () => {
    let takenBack = 0;
    for (let i = 0; i < 10; i++) {
      await sleep(10); // the worker has gone back to sleep: waking it takes longer than taking the job back
      reset();
      if (!pool.post(0, job)) {
        runHere(job); // the worker still holds the job taken back last time
      } else if (pool.finish(0, () => runHere(job))) {
        takenBack++;
        // until the worker lets go of it, the next post is refused rather than waited for
        expect([true, false]).toContain(pool.post(0, job) && pool.finish(0, () => runHere(job)));
        reset();
        runHere(job);
      }
      expect(result()).toEqual(new Array(m * n).fill(49));
    }
    expect(takenBack).toBeGreaterThan(0);
  });

  it('reports a job that traps as an Error and keeps serving', async () => {
    const outside = kernels.memory.buffer.byteLength + 65536; // past the end of memory
    const trapping = { ...job, a: outside, b: outside, c: outside };
    // The worker must be the one that runs it: until it claims the job in time, take it back
    // (without running it) and offer it again. A worker that has not let go of a job taken
    // back refuses the next one for a moment.
    let error: unknown;
    let workerRanIt = false;
    await until(() => {
      if (!pool.post(0, trapping)) return false;
      const start = performance.now();
      while (performance.now() - start < 20); // give the worker a moment to claim it
      try {
        workerRanIt = !pool.finish(0, () => {});
      } catch (e) {
        error = e;
        workerRanIt = true;
      }
      return workerRanIt;
    }, 'a worker claims the trapping job');
    expect(String(error)).toMatch(/worker 0 trapped/);
    reset();
    expect(pool.post(0, job)).toBe(true);
    await until(allDone, 'the worker has run the job after the trap');
    expect(pool.finish(0, () => runHere(job))).toBe(false);
    expect(result()).toEqual(new Array(m * n).fill(49));
  });

  it('refuses jobs once disposed', async () => {
    const other = await startPool(shared, kernels.memory, 1);
    other.dispose();
    other.dispose();
    expect(() => other.post(0, job)).toThrow(/disposed/);
  });
});
