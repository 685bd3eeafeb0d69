/**
 * The small interfaces that satellite packages implement. core knows nothing about
 * particular losses, optimizers or initializers — only these shapes.
 */
import type { MLArray } from './mlarray.js';
import type { Rng } from './rng.js';
import type { Shape } from './shape-types.js';

/** `(yPred, yTrue) => loss`, a 0-d differentiable MLArray. */
export type LossFunction = (yPred: MLArray, yTrue: MLArray) => MLArray;

/** Updates parameters in place from their `.grad`; state is kept per parameter array. */
export interface Optimizer {
  step(params: readonly MLArray[]): void;
  zeroGrad(params: readonly MLArray[]): void;
}

/** Creates initial weights of a given shape (weights are laid out `(in, out)`). */
export interface Initializer {
  initialize(shape: Shape, rng?: Rng): MLArray;
}
