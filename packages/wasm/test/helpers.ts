/** Operands and comparisons shared by the wasm tests. */
import { expect } from 'vitest';
import { type Backend, getBackend, setBackend } from '@smolml/core';

/** Every combination of [transA, transB]. */
export const COMBOS: readonly [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

/** Deterministic numbers in [-1, 1) (xorshift32), independent of the library's RNG. */
export function filled(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** One product with fresh operands: [C after the call] (C starts as `start`, or NaN when not accumulating). */
export function product(backend: Backend, [m, n, k]: readonly [number, number, number], ta: boolean, tb: boolean, accumulate: boolean, seed = 1): Float64Array {
  const a = filled(m * k, seed * 7 + m);
  const b = filled(k * n, seed * 13 + n);
  const c = accumulate ? filled(m * n, seed * 17 + k) : new Float64Array(m * n).fill(NaN);
  backend.gemm(ta, tb, m, n, k, a, b, c, accumulate);
  return c;
}

/** Index of the first element whose bits differ (Object.is: NaN equals NaN, +0 differs from -0), or -1. */
export function firstDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** Fails with the first element whose bits differ, naming `what`. */
export function expectSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  const i = firstDifference(actual, expected);
  if (i !== -1) expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
}

/** Runs `fn` with `backend` current, then restores the backend there was. */
export function onBackend<T>(backend: Backend, fn: () => T): T {
  const before = getBackend();
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(before);
  }
}
