/**
 * Element-wise loops (assembly/loops.ts and update.ts: relu and its backward, a bias added to each
 * row, the optimizers' updates) cut across the threads. Each element is computed by one thread
 * with the same operations as on one thread, so the numbers are the same bit for bit wherever the
 * cuts fall; the cuts fall on multiples of 8 elements (64 bytes), which keeps every part's
 * vectors aligned as the whole loop's are.
 *
 * A W3 training step (784-512-512-10, batch 256) runs these loops on about 2.7 million numbers,
 * 1.8 ms per step on the calling thread; with the products split between two threads they were
 * the largest work that only one thread did. A loop shorter than LOOP_MIN_NUMBERS runs whole on
 * the calling thread: waking a worker would cost more than it saves.
 */
import type { KernelExports } from './module.js';
import type { LoopJob, Pool } from './pool.js';
import { KIND } from './worker.js';

/** The loops a worker may run, by index (the pool's `loops`). */
export const LOOPS = ['reluF64', 'reluBackwardF64', 'addRowF64', 'sgdF64', 'adamF64'] as const satisfies readonly (keyof KernelExports)[];
export type LoopName = (typeof LOOPS)[number];

/** Numbers below which a loop runs whole on the calling thread (512 KiB of float64). */
export const LOOP_MIN_NUMBERS = 1 << 16;
/** Parts start on multiples of this many elements (rows, for addRowF64). */
const ALIGN = 8;

/**
 * Runs `name`(...pointers, n, ...rest) over n elements, cut into one part per thread; returns the
 * sum of what the parts return (the updates' finiteness checks: 0 or NaN, whatever the order).
 * `strides[i]` is how many bytes pointer i moves per element: 8 for an array of float64, a row's
 * bytes for addRowF64's rows, 0 for an argument every part reads whole (a bias row).
 */
export type RunLoop = (name: LoopName, pointers: readonly number[], strides: readonly number[], n: number, rest: readonly number[]) => number;

/**
 * The RunLoop of one backend: `pool()` is its pool of workers (undefined with one thread, or
 * once disposed), `minNumbers` the least numbers (n times the largest stride in float64s) worth
 * cutting.
 */
export function loopRunner(wasm: KernelExports, pool: () => Pool | undefined, minNumbers = LOOP_MIN_NUMBERS): RunLoop {
  const call = (name: LoopName, pointers: readonly number[], n: number, rest: readonly number[]): number =>
    (wasm[name] as (...args: number[]) => number | undefined)(...pointers, n, ...rest) ?? 0;

  return (name, pointers, strides, n, rest) => {
    const p = pool();
    const numbers = n * Math.max(8, ...strides) / 8;
    if (p === undefined || numbers < minNumbers) return call(name, pointers, n, rest);
    const parts = p.size + 1;
    const part = Math.ceil(n / parts / ALIGN) * ALIGN;
    // worker w takes part w + 1, the calling thread part 0
    const jobs: LoopJob[] = [];
    const posted: boolean[] = [];
    for (let w = 0; w < p.size; w++) {
      const from = Math.min(n, (w + 1) * part);
      const job: LoopJob = { kind: KIND.loop, loop: LOOPS.indexOf(name), pointers: pointers.map((q, i) => q + from * strides[i]!), count: Math.min(n, from + part) - from, rest };
      jobs.push(job);
      posted.push(job.count > 0 && p.post(w, job));
    }
    let sum = call(name, pointers, Math.min(n, part), rest);
    for (let w = 0; w < p.size; w++) {
      const job = jobs[w]!;
      if (job.count === 0) continue;
      if (!posted[w]) {
        sum += call(name, job.pointers, job.count, rest); // the worker still holds a job taken back from it
        continue;
      }
      let here = 0;
      const tookBack = p.finish(w, () => (here = call(name, job.pointers, job.count, rest)));
      sum += tookBack ? here : p.result(w);
    }
    return sum;
  };
}
