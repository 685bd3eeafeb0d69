/**
 * Constant initializers. All-equal weights never break the symmetry between units (every unit
 * gets the same gradient), so use these for biases, not for hidden-layer weights.
 */
import { MLArray, type Initializer, type Rng, type Shape } from '@smolml/core';
import { checkedShape } from './fans.js';

/**
 * All zeros (the `rng` argument is accepted and ignored).
 * @example
 * const b = new Zeros().initialize([1, 10]);
 */
export class Zeros implements Initializer {
  initialize(shape: Shape, _rng?: Rng): MLArray {
    return MLArray.zeros(checkedShape('Zeros.initialize', shape));
  }
}

/**
 * All ones (the `rng` argument is accepted and ignored).
 * @example
 * const gamma = new Ones().initialize([1, 10]);
 */
export class Ones implements Initializer {
  initialize(shape: Shape, _rng?: Rng): MLArray {
    return MLArray.ones(checkedShape('Ones.initialize', shape));
  }
}
