/**
 * Seedable randomness: xoshiro128** (Blackman & Vigna), seeded through splitmix32.
 * Pure 32-bit integer arithmetic, so the same seed gives the same numbers in every JS engine.
 */
import { ValueError } from './errors.js';
import { checkNumber, real } from './validate.js';

/** A seeded random source. Same seed, same sequence, everywhere. */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array;
  /** The full internal state, to save and restore a run. */
  getState(): number[];
  /** Restores a state returned by getState(): the stream continues from there. */
  setState(state: readonly number[]): void;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded random number generator.
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // same value on every machine for seed 42
 */
export function createRng(seed: number): Rng {
  checkNumber('createRng', 'seed', seed, real);
  // Fold the seed (possibly > 2^32 or fractional) into 32 bits deterministically.
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const sm = splitmix32((seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d));
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point
  let spare = NaN; // second Box–Muller value, NaN when empty

  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  const uniform = (): number => {
    // 27 + 26 bits, the standard construction of a 53-bit double in [0, 1).
    const x = next() >>> 5;
    const y = next() >>> 6;
    return (x * 67108864 + y) / 9007199254740992;
  };

  return {
    uniform,
    normal(): number {
      if (spare === spare) {
        const s = spare;
        spare = NaN;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform(); // log(0) is -Infinity
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0) throw new ValueError(`Rng.int: n must be a positive integer, got ${n}`);
      return Math.floor(uniform() * n);
    },
    permutation(n: number): Int32Array {
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const t = p[i]!;
        p[i] = p[j]!;
        p[j] = t;
      }
      return p;
    },
    getState: () => [a, b, c, d, spare],
    setState(state: readonly number[]): void {
      if (state.length !== 5 || state.slice(0, 4).some((x) => !Number.isInteger(x))) {
        throw new ValueError('Rng.setState: expected the 5-number array returned by getState()');
      }
      [a, b, c, d] = state.slice(0, 4).map((x) => x >>> 0) as [number, number, number, number];
      const sp = state[4];
      spare = typeof sp === 'number' ? sp : NaN; // JSON turns NaN into null
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
