/**
 * A stand-in for a backend's optional `allocate` and `release` (core's `Backend`) that records
 * every array it hands out and every array given back, for tests of code that must take its
 * buffers from the backend and return each one once (core's compileStep, @smolml/nn's training
 * loop). Spread it into a backend: `{ name: 'spy', gemm: jsBackend.gemm, ...recordingAllocator() }`.
 */
import { expect } from 'vitest';

export interface RecordingAllocator {
  /** Every array `allocate` returned. */
  readonly made: Set<Float64Array>;
  /** Every array given to `release`, in order (an array released twice appears twice). */
  readonly released: Float64Array[];
  allocate(length: number): Float64Array;
  /** Records `x`; fails the test when `x` is not an array of `allocate`. */
  release(x: Float64Array): void;
}

/**
 * With `memoryBytes`, the arrays are consecutive views of one ArrayBuffer of that size (as a
 * backend with memory of its own, like @smolml/wasm's, hands out); otherwise ordinary arrays.
 */
export function recordingAllocator(options: { memoryBytes?: number } = {}): RecordingAllocator {
  const made = new Set<Float64Array>();
  const released: Float64Array[] = [];
  const memory = options.memoryBytes === undefined ? null : new ArrayBuffer(options.memoryBytes);
  let top = 0;
  return {
    made,
    released,
    allocate(length) {
      let x: Float64Array;
      if (memory === null) x = new Float64Array(length);
      else {
        x = new Float64Array(memory, top, length);
        top += length * 8;
      }
      made.add(x);
      return x;
    },
    release(x) {
      expect(made.has(x), 'released an array of allocate').toBe(true);
      released.push(x);
    },
  };
}
