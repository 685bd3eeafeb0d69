/**
 * What a built-in loss is: a `LossFunction` that also says what its predictions are
 * (`fromLogits`) and how its targets are checked (`checkTargets`). A training loop reads these
 * two properties instead of testing which loss it holds, and can check a whole data set before
 * the first update with the loss's own rule.
 */
import { MLArray, ValueError, type LossFunction } from '@smolml/core';
import { describeValue } from '@smolml/core/internal';
import { type TargetRule, checkArrays, distributions, labels, probabilities, values } from './validate.js';

/**
 * A loss function with its description: `fromLogits` and `checkTargets`.
 * @example
 * binaryCrossEntropyFromLogits.fromLogits; // true: a single output column is a logit, class 1 when > 0
 * categoricalCrossEntropy.checkTargets(MLArray.from([[0, 1]]), [1, 2]); // passes
 */
export interface Loss extends LossFunction {
  /** True when the predictions are logits (no activation), false for probabilities or values. */
  readonly fromLogits: boolean;
  /**
   * Checks targets for predictions of shape `yPredShape` with the rule the loss applies on every
   * call; throws ShapeError or ValueError naming the loss, `what` (default `'yTrue'`) and the
   * row (and column) of the first bad entry.
   */
  checkTargets(yTrue: MLArray, yPredShape: readonly number[], what?: string): void;
}

/**
 * The target rules of the built-in losses, for `defineLoss`: `values` (same shape, any numbers),
 * `probabilities` (same shape, in [0, 1]), `distributions` (rows of `(B, C)` in [0, 1] summing
 * to 1), `labels` (integer classes `(B,)` in [0, C) for `(B, C)` predictions).
 * @example
 * const maeLoss = defineLoss('maeLoss', { targets: targets.values }, (p, t) => p.sub(t).abs().mean());
 */
export const targets: Readonly<Record<'values' | 'probabilities' | 'distributions' | 'labels', TargetRule>> = Object.freeze({
  values,
  probabilities,
  distributions,
  labels,
});

/** What `defineLoss` needs besides the computation. */
export interface LossSpec {
  /** Whether the predictions are logits (default false). */
  fromLogits?: boolean;
  /** How targets are checked (a rule of `targets`, or your own). */
  targets: TargetRule;
}

/**
 * Makes a `Loss` from its computation: the returned function checks its inputs (MLArrays, then
 * the target rule) and calls `compute`; its `name` is `name`, used in error messages.
 * @example
 * const cubeLoss = defineLoss('cubeLoss', { targets: targets.values }, (p, t) => p.sub(t).abs().pow(3).mean());
 */
export function defineLoss(name: string, spec: LossSpec, compute: (yPred: MLArray, yTrue: MLArray) => MLArray): Loss {
  const rule = spec.targets;
  if (typeof rule !== 'function') throw new ValueError(`defineLoss: targets must be a target rule function, got ${describeValue(rule)}`);
  const fn = (yPred: MLArray, yTrue: MLArray): MLArray => {
    checkArrays(name, yPred, yTrue);
    rule(name, yTrue, yPred.shape, 'yTrue');
    return compute(yPred, yTrue);
  };
  const checkTargets = (yTrue: MLArray, yPredShape: readonly number[], what = 'yTrue'): void => {
    if (!(yTrue instanceof MLArray)) throw new ValueError(`${name}: ${what} must be an MLArray, got ${describeValue(yTrue)}`);
    rule(name, yTrue, yPredShape, what);
  };
  Object.defineProperty(fn, 'name', { value: name });
  return Object.assign(fn, { fromLogits: spec.fromLogits === true, checkTargets });
}
