/**
 * Plain uniform initialization: every weight drawn independently from U[low, high).
 */
import { ValueError, type Initializer, type MLArray, type Rng, type Shape } from '@smolml/core';
import { checkOptions, checkShape, describeValue } from '@smolml/core/internal';
import { pickRng, seededRng, uniformArray, type SeedOptions } from './random.js';

/** Options of `RandomUniform`. */
export interface RandomUniformOptions extends SeedOptions {
  /** Lower bound, inclusive (default -0.05). */
  low?: number;
  /** Upper bound, exclusive (default 0.05). */
  high?: number;
}

/**
 * Samples every weight from U[low, high), independently of the layer's size.
 * @example
 * const w = new RandomUniform({ low: -0.1, high: 0.1, seed: 1 }).initialize([3, 2]);
 */
export class RandomUniform implements Initializer {
  readonly low: number;
  readonly high: number;
  readonly #rng: Rng | null;

  constructor(options: RandomUniformOptions = {}) {
    const { low = -0.05, high = 0.05, seed } = checkOptions('RandomUniform', options, ['low', 'high', 'seed']);
    if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
      throw new ValueError(`RandomUniform: need finite numbers low < high, got low=${describeValue(low)}, high=${describeValue(high)}`);
    }
    this.low = low;
    this.high = high;
    this.#rng = seededRng('RandomUniform', seed);
  }

  /** A new plain array of `shape` with samples of U[low, high). */
  initialize(shape: Shape, rng?: Rng): MLArray {
    checkShape('RandomUniform.initialize', shape);
    return uniformArray(shape, this.low, this.high, pickRng(rng, this.#rng));
  }
}
