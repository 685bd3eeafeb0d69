/**
 * Xavier/Glorot initialization (Glorot & Bengio, 2010). Keeping the variance of activations
 * and of back-propagated gradients equal across a layer asks for Var(W) = 1/fanIn and
 * Var(W) = 1/fanOut at once; the compromise is Var(W) = 2 / (fanIn + fanOut).
 * Suited to tanh, sigmoid and linear layers.
 */
import type { Initializer, MLArray, Rng, Shape } from '@smolml/core';
import { RandomInitializer, checkOptions, checkedShape, computeFans, normalArray, uniformArray, type SeedOptions } from './fans.js';

/** Options of the Xavier initializers. */
export type XavierOptions = SeedOptions;

/**
 * Xavier/Glorot uniform: U[-limit, limit) with limit = sqrt(6 / (fanIn + fanOut)), since a
 * uniform on [-a, a] has variance a^2 / 3 = 2 / (fanIn + fanOut). Fans follow the `(in, out)` layout.
 * @example
 * const w = new XavierUniform({ seed: 1 }).initialize([784, 128]); // plain (784, 128) array
 */
export class XavierUniform extends RandomInitializer implements Initializer {
  constructor(options: XavierOptions = {}) {
    checkOptions('XavierUniform', options, ['seed']);
    super(options.seed);
  }

  initialize(shape: Shape, rng?: Rng): MLArray {
    const s = checkedShape('XavierUniform.initialize', shape);
    const { fanIn, fanOut } = computeFans(s);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return uniformArray(s, -limit, limit, this.pickRng(rng));
  }
}

/**
 * Xavier/Glorot normal: N(0, std^2) with std = sqrt(2 / (fanIn + fanOut)) (not truncated).
 * @example
 * const w = new XavierNormal({ seed: 1 }).initialize([64, 10]);
 */
export class XavierNormal extends RandomInitializer implements Initializer {
  constructor(options: XavierOptions = {}) {
    checkOptions('XavierNormal', options, ['seed']);
    super(options.seed);
  }

  initialize(shape: Shape, rng?: Rng): MLArray {
    const s = checkedShape('XavierNormal.initialize', shape);
    const { fanIn, fanOut } = computeFans(s);
    return normalArray(s, Math.sqrt(2 / (fanIn + fanOut)), this.pickRng(rng));
  }
}
