/**
 * @smolml/losses — loss functions `(yPred, yTrue) => 0-d MLArray`, differentiable through
 * core's autodiff, plus a name registry (`losses`, `lossName`, `getLoss`) for saving models.
 * @packageDocumentation
 */
export type { LossFunction } from '@smolml/core';
export { mseLoss, maeLoss, huberLoss, huber, type HuberLoss } from './regression.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binary.js';
export { categoricalCrossEntropy, categoricalCrossEntropyFromLogits, sparseCategoricalCrossEntropyFromLogits } from './categorical.js';
export { losses, lossName, getLoss } from './registry.js';
