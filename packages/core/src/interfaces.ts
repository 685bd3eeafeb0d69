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
  /** Updates each of `params` in place from its `.grad` (and bumps its `version`). */
  step(params: readonly MLArray[]): void;
  /** Clears the `.grad` of each of `params`. */
  zeroGrad(params: readonly MLArray[]): void;
}

/** Creates initial weights of a given shape (weights are laid out `(in, out)`). */
export interface Initializer {
  /** New weights of `shape`; a random initializer draws from `rng` when given, else from its own seeded stream. */
  initialize(shape: Shape, rng?: Rng): MLArray;
}
