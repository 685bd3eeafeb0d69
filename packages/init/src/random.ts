/**
 * Where the random initializers' numbers come from (an `rng` argument, the initializer's own seeded
 * generator, or a module-wide default) and the two sampling helpers they share.
 */
import { MLArray, createRng, type Rng, type Shape } from '@smolml/core';
import { checkNumber, interval } from '@smolml/core/internal';

/** Options every random initializer accepts. */
export interface SeedOptions {
  /**
   * Seed of this initializer's own generator, created once in the constructor: successive
   * `initialize()` calls continue its stream, so a network built twice with the same seeds gets
   * the same weights. An `rng` passed to `initialize()` takes precedence over it.
   */
  seed?: number;
}

const anyFinite = interval('(-inf, inf)');

/** The generator of the `seed` option (validated), or null when no seed was given. */
export function seededRng(op: string, seed: unknown): Rng | null {
  return seed === undefined ? null : createRng(checkNumber(op, 'seed', seed, anyFinite));
}

let fallback: Rng | null = null;

/**
 * The generator to draw from: the argument, else the initializer's seeded one, else one
 * module-wide generator seeded from Math.random on first use, so unseeded weights differ from run
 * to run (like numpy's global generator). Seed it for reproducible runs.
 */
export function pickRng(rng: Rng | undefined, own: Rng | null): Rng {
  if (rng !== undefined) return rng;
  if (own !== null) return own;
  fallback ??= createRng(Math.floor(Math.random() * 4294967296));
  return fallback;
}

/** A new plain (requiresGrad false) array of `low + (high - low) * U[0, 1)`: core's rand, rescaled in place. */
export function uniformArray(shape: Shape, low: number, high: number, rng: Rng): MLArray {
  const out = MLArray.rand(shape, rng);
  const d = out.data;
  const width = high - low;
  for (let i = 0; i < d.length; i++) d[i] = low + width * d[i]!;
  return out;
}

/** A new plain array of N(0, std^2) samples: core's randn, scaled in place. */
export function normalArray(shape: Shape, std: number, rng: Rng): MLArray {
  const out = MLArray.randn(shape, rng);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = std * d[i]!;
  return out;
}
