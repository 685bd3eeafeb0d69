/**
 * core's UpdateKernels (SGD's and Adam's update of one parameter) on the loops of
 * assembly/update.ts: two numbers per SIMD vector, the same bits as @smolml/optim's loops, a long
 * update cut across the threads (loop-team.ts). Measured here on one thread: an Adam update of
 * W2's 100k weights in 0.41 ms instead of 0.95; an SGD update of W3's 670k weights in 1.5 ms
 * instead of 2.1-2.7, copying the weights in.
 *
 * The outputs (the update and the new state) must be arrays of allocate(): @smolml/nn lends an
 * optimizer's state and pending updates to this memory for each training run. Inputs outside
 * memory (the parameter itself, an eager step's gradient) are copied into the staging area
 * first. Anything else is declined (the optimizer then runs its own loop): outputs outside memory,
 * arrays shorter than the parameter, or an output that partly overlaps another array.
 */
import type { AdamCoefficients, UpdateKernels } from '@smolml/core';
import type { RunLoop } from './loop-team.js';
import { align64, apart } from './arena.js';

/**
 * The UpdateKernels of one backend. `placed(x)` is where an array of allocate() starts in linear
 * memory (-1 for any other array); `staging(bytes)` is the start of a staging area of at least
 * `bytes` bytes (-1 when memory cannot hold it); `heap()` is the memory's current buffer; `run`
 * runs a loop across the threads.
 */
export function updateKernels(
  run: RunLoop,
  placed: (x: Float64Array) => number,
  staging: (bytes: number) => number,
  heap: () => ArrayBufferLike,
): UpdateKernels {
  /**
   * Byte offsets of `inputs` then `outputs` (n numbers each), with the inputs outside memory
   * copied into the staging area (only once nothing declines them); null to decline.
   */
  function offsets(n: number, inputs: readonly Float64Array[], outputs: readonly Float64Array[]): number[] | null {
    if (n === 0) return null; // nothing to compute: the TypeScript loop is free
    const arrays = [...inputs, ...outputs];
    if (arrays.some((x) => x.length < n)) return null;
    const at = arrays.map(placed);
    // every output in memory, and the same run as (in place) or apart from every other array
    // there; an input copied in below lands in the staging area, apart from all of them
    for (let j = inputs.length; j < at.length; j++) {
      if (at[j]! < 0) return null;
      for (let q = 0; q < at.length; q++) if (q !== j && !apart(at[j]!, at[q]!, n)) return null;
    }
    const step = align64(n * 8);
    const copies = at.filter((o) => o < 0).length;
    let next = copies > 0 ? staging(copies * step) : 0;
    if (next < 0) return null;
    for (let i = 0; i < inputs.length; i++) {
      if (at[i]! >= 0) continue;
      new Float64Array(heap(), next, n).set(inputs[i]!.subarray(0, n));
      at[i] = next;
      next += step;
    }
    return at;
  }

  return {
    sgd(theta, g, next, lr, weightDecay) {
      const n = theta.length;
      const at = offsets(n, [theta, g], [next]);
      if (at === null) return undefined;
      return run('sgdF64', at, [8, 8, 8], n, [lr, weightDecay]);
    },
    adam(theta, g, m, v, next, mNext, vNext, c: AdamCoefficients) {
      const n = theta.length;
      const at = offsets(n, [theta, g, m, v], [next, mNext, vNext]);
      if (at === null) return undefined;
      return run('adamF64', at, [8, 8, 8, 8, 8, 8, 8], n, [c.beta1, c.beta2, 1 - c.beta1, 1 - c.beta2, c.bc1, c.bc2, c.lr, c.eps, c.shrink]);
    },
  };
}
