/**
 * Constant initializers. All-equal weights never break the symmetry between units (every unit
 * gets the same gradient), so use these for biases, not for hidden-layer weights.
 */
import { MLArray, type Initializer, type Rng, type Shape } from '@smolml/core';
import { checkShape } from '@smolml/core/internal';

/**
 * All zeros (the `rng` argument is accepted and ignored).
 * @example
 * const b = new Zeros().initialize([1, 10]);
 */
export class Zeros implements Initializer {
  /** A new plain array of `shape` filled with 0. */
  initialize(shape: Shape, _rng?: Rng): MLArray {
    checkShape('Zeros.initialize', shape);
    return MLArray.zeros(shape);
  }
}

/**
 * All ones (the `rng` argument is accepted and ignored).
 * @example
 * const gamma = new Ones().initialize([1, 10]);
 */
export class Ones implements Initializer {
  /** A new plain array of `shape` filled with 1. */
  initialize(shape: Shape, _rng?: Rng): MLArray {
    checkShape('Ones.initialize', shape);
    return MLArray.ones(shape);
  }
}
