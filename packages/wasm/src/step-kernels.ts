/**
 * core's StepKernels (a bias add, relu and its backward, sumAxis) on the loops of
 * assembly/loops.ts, for the arrays of allocate(): a compiled training step's buffers, which
 * live in the threads' shared memory. They run where the arrays are, with two numbers per SIMD
 * vector and the same bits as core's loops; a long one is cut across the threads (loop-team.ts),
 * sumAxis runs on the calling thread. Any other array is declined (core then runs its own loop):
 * copying it in and out would cost more than the loop. Only a bias row outside memory (a
 * parameter, a few KiB) is copied in.
 */
import type { StepKernels } from '@smolml/core';
import type { KernelExports } from './module.js';
import type { RunLoop } from './loop-team.js';
import { apart, overlaps } from './arena.js';

/**
 * The StepKernels of one backend. `placed(x)` is where an array of allocate() starts in linear
 * memory (-1 for any other array); `copyIn(x, length)` copies the first `length` numbers of an
 * ordinary array into a staging area and returns its byte offset (-1 when memory cannot hold it);
 * `run` runs a loop across the threads.
 */
export function stepKernels(wasm: KernelExports, placed: (x: Float64Array) => number, copyIn: (x: Float64Array, length: number) => number, run: RunLoop): StepKernels {
  return {
    addRow(a, b, out, rows, cols) {
      const size = rows * cols;
      const aAt = placed(a);
      const outAt = placed(out);
      if (aAt < 0 || outAt < 0 || a.length < size || out.length < size || b.length < cols || !apart(outAt, aAt, size)) return false;
      const bPlaced = placed(b);
      if (bPlaced >= 0 && overlaps(outAt, size, bPlaced, cols)) return false; // b is read for every row
      const bAt = bPlaced >= 0 ? bPlaced : copyIn(b, cols);
      if (bAt < 0) return false;
      run('addRowF64', [aAt, bAt, outAt], [cols * 8, 0, cols * 8], rows, [cols]);
      return true;
    },
    relu(x, y) {
      const n = x.length;
      const xAt = placed(x);
      const yAt = placed(y);
      if (xAt < 0 || yAt < 0 || y.length < n || !apart(yAt, xAt, n)) return false;
      run('reluF64', [xAt, yAt], [8, 8], n, []);
      return true;
    },
    reluBackward(g, x, gx) {
      const n = g.length;
      const gAt = placed(g);
      const xAt = placed(x);
      const gxAt = placed(gx);
      if (gAt < 0 || xAt < 0 || gxAt < 0 || x.length < n || gx.length < n || !apart(gxAt, gAt, n) || !apart(gxAt, xAt, n)) return false;
      run('reluBackwardF64', [gAt, xAt, gxAt], [8, 8, 8], n, []);
      return true;
    },
    sumAxis(x, outer, n, inner, out) {
      const size = outer * n * inner;
      const xAt = placed(x);
      const outAt = placed(out);
      if (xAt < 0 || outAt < 0 || x.length < size || out.length < outer * inner || overlaps(outAt, outer * inner, xAt, size)) return false;
      wasm.sumAxisF64(xAt, outer, n, inner, outAt);
      return true;
    },
  };
}
