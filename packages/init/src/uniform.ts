/**
 * Plain uniform initialization: every weight drawn independently from U[low, high).
 */
import { ValueError, type Initializer, type MLArray, type Rng, type Shape } from '@smolml/core';
import { RandomInitializer, checkOptions, checkedShape, uniformArray, type SeedOptions } from './fans.js';

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
export class RandomUniform extends RandomInitializer implements Initializer {
  readonly low: number;
  readonly high: number;

  constructor(options: RandomUniformOptions = {}) {
    checkOptions('RandomUniform', options, ['low', 'high', 'seed']);
    super(options.seed);
    const { low = -0.05, high = 0.05 } = options;
    if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
      throw new ValueError(`RandomUniform: need finite numbers low < high, got low=${String(low)}, high=${String(high)}`);
    }
    this.low = low;
    this.high = high;
  }

  /** A new plain array of `shape` with samples of U[low, high). */
  initialize(shape: Shape, rng?: Rng): MLArray {
    return uniformArray(checkedShape('RandomUniform.initialize', shape), this.low, this.high, this.pickRng(rng));
  }
}
