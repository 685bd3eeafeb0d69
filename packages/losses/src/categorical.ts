/**
 * Categorical cross-entropy over a class axis: inputs are (B, C), the loss is the mean over
 * the batch of each row's cross-entropy.
 */
import { ShapeError, ValueError, formatShape, type MLArray } from '@smolml/core';
import { check2d, checkArrays, checkProbabilities, checkSameShape } from './validate.js';

/**
 * -(1/B) sum_ij y_ij log p_ij with p = max(yPred, 1e-15) (SmolML's definition on probabilities;
 * yPred is not renormalised, the clip only keeps log finite and passes no gradient where it acts).
 * dL/dyPred = -y / (B p). Prefer `categoricalCrossEntropyFromLogits` after a softmax output.
 * @example
 * categoricalCrossEntropy(MLArray.from([[0.7, 0.3]]), MLArray.from([[1, 0]])).item(); // -ln 0.7
 */
export function categoricalCrossEntropy(yPred: MLArray, yTrue: MLArray): MLArray {
  const name = 'categoricalCrossEntropy';
  checkSameShape(name, yPred, yTrue);
  check2d(name, 'yPred', yPred);
  checkProbabilities(name, 'yTrue', yTrue);
  return yTrue.mul(yPred.clip(1e-15, Infinity).log()).sum(1).mean().neg();
}

/**
 * Softmax + cross-entropy fused, on logits z (B, C): -(1/B) sum_ij y_ij logSoftmax(z)_ij, with
 * logSoftmax(z) = z - logsumexp(z) computed after subtracting each row's max, so logits of
 * +-1000 are exact. dL/dz = (softmax(z) sum_j y_ij - y) / B, i.e. (softmax(z) - y) / B for one-hot y.
 * @example
 * categoricalCrossEntropyFromLogits(MLArray.from([[2, 0]]), MLArray.from([[1, 0]])).item(); // ln(1 + e^-2)
 */
export function categoricalCrossEntropyFromLogits(yPred: MLArray, yTrue: MLArray): MLArray {
  const name = 'categoricalCrossEntropyFromLogits';
  checkSameShape(name, yPred, yTrue);
  check2d(name, 'yPred', yPred);
  checkProbabilities(name, 'yTrue', yTrue);
  return yTrue.mul(yPred.logSoftmax(1)).sum(1).mean().neg();
}

/**
 * Cross-entropy on logits z (B, C) with integer labels y (B,) in [0, C):
 * (1/B) sum_i [logsumexp(z_i) - z_i,y_i] = -(1/B) sum_i logSoftmax(z)_i,y_i (PyTorch's
 * cross_entropy). The label entries are gathered from the flattened logSoftmax with `take`,
 * so no one-hot matrix is built. dL/dz = (softmax(z) - onehot(y)) / B.
 * @example
 * sparseCategoricalCrossEntropyFromLogits(MLArray.from([[2, 0], [0, 2]]), MLArray.from([0, 1])).item(); // ln(1 + e^-2)
 */
export function sparseCategoricalCrossEntropyFromLogits(yPred: MLArray, yTrue: MLArray): MLArray {
  const name = 'sparseCategoricalCrossEntropyFromLogits';
  checkArrays(name, yPred, yTrue);
  check2d(name, 'yPred (logits)', yPred);
  const [batch, classes] = yPred.shape as [number, number];
  if (yTrue.ndim !== 1 || yTrue.shape[0] !== batch) {
    throw new ShapeError(
      `${name}: yTrue must hold one integer label per row, shape (${batch},), got ${formatShape(yTrue.shape)} ` +
        `for yPred ${formatShape(yPred.shape)}; for one-hot targets use categoricalCrossEntropyFromLogits`,
    );
  }
  const flat = new Int32Array(batch);
  for (let i = 0; i < batch; i++) {
    const label = yTrue.data[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ValueError(`${name}: label ${label} at index ${i} is not an integer class in [0, ${classes})`);
    }
    flat[i] = i * classes + label;
  }
  return yPred.logSoftmax(1).reshape([batch * classes]).take(flat).mean().neg();
}
