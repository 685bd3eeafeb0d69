/**
 * Shared helpers: shape validation, fan-in/fan-out, and where random numbers come from.
 */
import { MLArray, ShapeError, ValueError, createRng, type Rng, type Shape } from '@smolml/core';

/** Options every random initializer accepts. */
export interface SeedOptions {
  /**
   * Seed of this initializer's own generator, created once in the constructor: successive
   * `initialize()` calls continue its stream, so a network built twice with the same seeds gets
   * the same weights. An `rng` passed to `initialize()` takes precedence over it.
   */
  seed?: number;
}

/** `fanIn`, `fanOut`: how many inputs feed one unit, and how many units one input feeds. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** Throws ShapeError unless `shape` is an array of non-negative integers; returns a copy. */
export function checkedShape(op: string, shape: Shape): number[] {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    const shown = Array.isArray(shape) ? `[${shape.map(String).join(', ')}]` : String(shape);
    throw new ShapeError(`${op}: shape must be an array of non-negative integers, got ${shown}`);
  }
  return [...shape];
}

/**
 * Fans for the `(in, out)` weight layout smolml uses (`y = x @ W`):
 * - 2-d `(in, out)`: fanIn = in, fanOut = out.
 * - 1-d `(n,)` (e.g. a bias vector): fanIn = fanOut = n.
 * - 0-d: fanIn = fanOut = 1 (a single weight).
 * - n-d `(k1, ..., in, out)`: the last two axes are `(in, out)` and the leading axes a receptive
 *   field of size r = k1 * ...; fanIn = in * r, fanOut = out * r (Keras' rule for this layout).
 */
export function computeFans(shape: Shape): Fans {
  const n = shape.length;
  if (n === 0) return { fanIn: 1, fanOut: 1 };
  if (n === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  let receptive = 1;
  for (let i = 0; i < n - 2; i++) receptive *= shape[i]!;
  return { fanIn: shape[n - 2]! * receptive, fanOut: shape[n - 1]! * receptive };
}

/** Throws ValueError unless every option key is known and `seed`, if given, is finite. */
export function checkOptions(op: string, opts: object, known: readonly string[]): void {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object, got ${String(opts)}`);
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) throw new ValueError(`${op}: unknown option '${key}'; known options: ${known.join(', ')}`);
  }
  const seed = (opts as SeedOptions).seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new ValueError(`${op}: seed must be a finite number, got ${String(seed)}`);
  }
}

let fallback: Rng | null = null;

/**
 * The generator used when neither `initialize(shape, rng)` nor the `seed` option gives one:
 * one module-wide generator seeded from Math.random on first use, so unseeded weights differ
 * from run to run (like numpy's global generator). Seed it for reproducible runs.
 */
function defaultRng(): Rng {
  fallback ??= createRng(Math.floor(Math.random() * 4294967296));
  return fallback;
}

/** Base of the random initializers: owns the optional seeded generator. */
export abstract class RandomInitializer {
  readonly #rng: Rng | null;

  protected constructor(seed: number | undefined) {
    this.#rng = seed === undefined ? null : createRng(seed);
  }

  /** Picks the generator: the argument, else this initializer's seeded one, else the default. */
  protected pickRng(rng: Rng | undefined): Rng {
    return rng ?? this.#rng ?? defaultRng();
  }
}

/** A new plain (requiresGrad false) array of `low + (high - low) * U[0, 1)`: core's rand, rescaled in place. */
export function uniformArray(shape: number[], low: number, high: number, rng: Rng): MLArray {
  const out = MLArray.rand(shape, rng);
  const d = out.data;
  const width = high - low;
  for (let i = 0; i < d.length; i++) d[i] = low + width * d[i]!;
  return out;
}

/** A new plain array of N(0, std^2) samples: core's randn, scaled in place. */
export function normalArray(shape: number[], std: number, rng: Rng): MLArray {
  const out = MLArray.randn(shape, rng);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = std * d[i]!;
  return out;
}
