/**
 * Binary cross-entropy, on probabilities and on logits. Targets are probabilities in [0, 1]
 * (usually 0 or 1); every element is an independent binary problem and the loss is their mean.
 */
import { type Loss, defineLoss, targets } from './loss.js';

/** Clip bounds: [1e-15, 1 - 1e-15] (the upper one is the float64 nearest to 1 - 1e-15). */
const P_MAX = 1 - 1e-15;
const P_MIN = 1e-15;

/**
 * -mean(y log p + (1 - y) log(1 - p)) with p = clip(yPred, 1e-15, 1 - 1e-15): the clip keeps
 * log finite for saturated predictions, and passes no gradient where it acts.
 * dL/dyPred = (p - y) / (p (1 - p)) / N. Prefer `binaryCrossEntropyFromLogits` after a sigmoid
 * output: it is exact where this one has to clip.
 * @example
 * binaryCrossEntropy(MLArray.from([0.9, 0.2]), MLArray.from([1, 0])).item(); // -(ln 0.9 + ln 0.8) / 2
 */
export const binaryCrossEntropy: Loss = defineLoss('binaryCrossEntropy', { targets: targets.probabilities }, (yPred, yTrue) => {
  const p = yPred.clip(P_MIN, P_MAX);
  const onePos = yTrue.mul(p.log());
  const oneNeg = yTrue.neg().add(1).mul(p.neg().add(1).log());
  return onePos.add(oneNeg).mean().neg();
});

/**
 * Sigmoid + binary cross-entropy on logits z:
 * mean(max(z, 0) - z y + log(1 + e^-|z|)) = -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))].
 * Written as y softplus(-z) + (1 - y) softplus(z) with core's `softplus` (which never
 * overflows and keeps tiny results), so logits of +-1000 give exact values and a confident right
 * answer keeps its tiny loss e^-|z| instead of rounding to 0. dL/dz = (sigmoid(z) - y) / N.
 * (PyTorch's `binary_cross_entropy_with_logits`.)
 * @example
 * binaryCrossEntropyFromLogits(MLArray.from([1000, -1000]), MLArray.from([1, 0])).item(); // 0
 */
export const binaryCrossEntropyFromLogits: Loss = defineLoss('binaryCrossEntropyFromLogits', { fromLogits: true, targets: targets.probabilities }, (yPred, yTrue) => {
  const positive = yTrue.mul(yPred.neg().softplus()); // -y log sigmoid(z) = y softplus(-z)
  const negative = yTrue.neg().add(1).mul(yPred.softplus()); // -(1-y) log(1 - sigmoid(z)) = (1-y) softplus(z)
  return positive.add(negative).mean();
});

/**
 * The same function as `binaryCrossEntropyFromLogits` (its name before the logits losses were
 * named alike); saved models that name it still load.
 * @deprecated Use `binaryCrossEntropyFromLogits`.
 * @example
 * binaryCrossEntropyWithLogits === binaryCrossEntropyFromLogits; // true
 */
export const binaryCrossEntropyWithLogits: Loss = binaryCrossEntropyFromLogits;
