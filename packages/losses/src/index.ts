/**
 * @smolml/losses — loss functions `(yPred, yTrue) => 0-d MLArray`, differentiable through
 * core's autodiff, each carrying `fromLogits` and `checkTargets`; plus a name registry
 * (`losses`, `lossAliases`, `lossName`, `getLoss`) for saving models and choosing a loss by name.
 * @packageDocumentation
 */
export type { LossFunction } from '@smolml/core';
export { type Loss, type LossSpec, defineLoss, targets } from './loss.js';
export type { TargetRule } from './validate.js';
export { mseLoss, maeLoss, huberLoss, huber, type HuberLoss } from './regression.js';
export { binaryCrossEntropy, binaryCrossEntropyFromLogits, binaryCrossEntropyWithLogits } from './binary.js';
export {
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
} from './categorical.js';
export { losses, lossAliases, lossName, getLoss, type LossName, type CanonicalLossName, type LossAlias } from './registry.js';
