/**
 * He/Kaiming initialization (He et al., 2015). A ReLU zeroes half of its inputs on average,
 * halving the second moment it passes on; Var(W) = 2 / fanIn restores it, so activations keep
 * their scale through deep ReLU stacks.
 */
import type { Initializer, MLArray, Rng, Shape } from '@smolml/core';
import { RandomInitializer, checkOptions, checkedShape, computeFans, normalArray, uniformArray, type SeedOptions } from './fans.js';

/** Options of the He initializers. */
export type HeOptions = SeedOptions;

/**
 * He normal: N(0, std^2) with std = sqrt(2 / fanIn) (not truncated). Fans follow the `(in, out)` layout.
 * @example
 * const w = new HeInitialization({ seed: 1 }).initialize([784, 128]);
 */
export class HeInitialization extends RandomInitializer implements Initializer {
  constructor(options: HeOptions = {}) {
    checkOptions('HeInitialization', options, ['seed']);
    super(options.seed);
  }

  initialize(shape: Shape, rng?: Rng): MLArray {
    const s = checkedShape('HeInitialization.initialize', shape);
    return normalArray(s, Math.sqrt(2 / computeFans(s).fanIn), this.pickRng(rng));
  }
}

/**
 * He uniform: U[-limit, limit) with limit = sqrt(6 / fanIn), the uniform of variance 2 / fanIn.
 * @example
 * const w = new HeUniform({ seed: 1 }).initialize([128, 64]);
 */
export class HeUniform extends RandomInitializer implements Initializer {
  constructor(options: HeOptions = {}) {
    checkOptions('HeUniform', options, ['seed']);
    super(options.seed);
  }

  initialize(shape: Shape, rng?: Rng): MLArray {
    const s = checkedShape('HeUniform.initialize', shape);
    const limit = Math.sqrt(6 / computeFans(s).fanIn);
    return uniformArray(s, -limit, limit, this.pickRng(rng));
  }
}
