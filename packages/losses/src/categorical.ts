/**
 * Categorical cross-entropy over a class axis: predictions are (B, C), the loss is the mean over
 * the batch of each row's cross-entropy. Targets are rows (B, C) that are one-hot or probability
 * distributions, or (the sparse forms) integer labels (B,).
 */
import type { MLArray } from '@smolml/core';
import { type Loss, defineLoss, targets } from './loss.js';

/** Lower clip of probabilities before the log: keeps log finite, passes no gradient where it acts. */
const P_MIN = 1e-15;

/**
 * -(1/B) sum_ij y_ij log p_ij with p = max(yPred, 1e-15) (SmolML's definition on probabilities;
 * yPred is not renormalised, the clip only keeps log finite and passes no gradient where it acts).
 * dL/dyPred = -y / (B p). Prefer `categoricalCrossEntropyFromLogits` after a softmax output.
 * @example
 * categoricalCrossEntropy(MLArray.from([[0.7, 0.3]]), MLArray.from([[1, 0]])).item(); // -ln 0.7
 */
export const categoricalCrossEntropy: Loss = defineLoss('categoricalCrossEntropy', { targets: targets.distributions }, (yPred, yTrue) =>
  yTrue.mul(yPred.clip(P_MIN, Infinity).log()).sum(1).mean().neg(),
);

/**
 * Softmax + cross-entropy fused, on logits z (B, C): -(1/B) sum_ij y_ij logSoftmax(z)_ij, with
 * logSoftmax(z) = z - logsumexp(z) computed after subtracting each row's max, so logits of
 * +-1000 are exact. dL/dz = (softmax(z) - y) / B (rows of y sum to 1).
 * @example
 * categoricalCrossEntropyFromLogits(MLArray.from([[2, 0]]), MLArray.from([[1, 0]])).item(); // ln(1 + e^-2)
 */
export const categoricalCrossEntropyFromLogits: Loss = defineLoss('categoricalCrossEntropyFromLogits', { fromLogits: true, targets: targets.distributions }, (yPred, yTrue) =>
  yTrue.mul(yPred.logSoftmax(1)).sum(1).mean().neg(),
);

/** Row i's entry at column labels[i], for every row: the flat indices into a (B, C) array. */
function labelEntries(yPred: MLArray, labels: MLArray): MLArray {
  const [batch, classes] = yPred.shape as [number, number];
  const flat = new Int32Array(batch);
  for (let i = 0; i < batch; i++) flat[i] = i * classes + labels.data[i]!;
  return yPred.reshape([batch * classes]).take(flat);
}

/**
 * Cross-entropy on probabilities p (B, C) with integer labels y (B,) in [0, C):
 * -(1/B) sum_i log max(p_i,y_i, 1e-15), i.e. PyTorch's `nll_loss(log(clamp(p, min=1e-15)), y)`
 * and `categoricalCrossEntropy` with one-hot rows, without building them. Only the label
 * entries are read: dL/dp_i,y_i = -1 / (B p_i,y_i) (0 where the clip acts), 0 elsewhere. Prefer
 * `sparseCategoricalCrossEntropyFromLogits` after a softmax output.
 * @example
 * sparseCategoricalCrossEntropy(MLArray.from([[0.7, 0.3], [0.2, 0.8]]), MLArray.from([0, 1])).item(); // -(ln 0.7 + ln 0.8) / 2
 */
export const sparseCategoricalCrossEntropy: Loss = defineLoss('sparseCategoricalCrossEntropy', { targets: targets.labels }, (yPred, yTrue) =>
  labelEntries(yPred, yTrue).clip(P_MIN, Infinity).log().mean().neg(),
);

/**
 * Cross-entropy on logits z (B, C) with integer labels y (B,) in [0, C):
 * (1/B) sum_i [logsumexp(z_i) - z_i,y_i] = -(1/B) sum_i logSoftmax(z)_i,y_i (PyTorch's
 * cross_entropy). The label entries are gathered from the flattened logSoftmax with `take`,
 * so no one-hot matrix is built. dL/dz = (softmax(z) - onehot(y)) / B.
 * @example
 * sparseCategoricalCrossEntropyFromLogits(MLArray.from([[2, 0], [0, 2]]), MLArray.from([0, 1])).item(); // ln(1 + e^-2)
 */
export const sparseCategoricalCrossEntropyFromLogits: Loss = defineLoss('sparseCategoricalCrossEntropyFromLogits', { fromLogits: true, targets: targets.labels }, (yPred, yTrue) =>
  labelEntries(yPred.logSoftmax(1), yTrue).mean().neg(),
);
