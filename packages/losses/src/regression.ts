/**
 * Regression losses on d = yPred - yTrue, averaged over every element.
 */
import type { MLArray } from '@smolml/core';
import { checkNumber, positive } from '@smolml/core/internal';
import { type Loss, defineLoss, targets } from './loss.js';

/**
 * Mean squared error: mean(d^2); dL/dyPred = 2 d / N.
 * @example
 * mseLoss(MLArray.from([1, 2]), MLArray.from([0, 0])).item(); // 2.5
 */
export const mseLoss: Loss = defineLoss('mseLoss', { targets: targets.values }, (yPred, yTrue) => {
  const d = yPred.sub(yTrue);
  return d.mul(d).mean();
});

/**
 * Mean absolute error: mean(|d|); dL/dyPred = sign(d) / N (0 where d = 0).
 * @example
 * maeLoss(MLArray.from([1, -2]), MLArray.from([0, 0])).item(); // 1.5
 */
export const maeLoss: Loss = defineLoss('maeLoss', { targets: targets.values }, (yPred, yTrue) => yPred.sub(yTrue).abs().mean());

/**
 * Huber: h(d) = d^2 / 2 for |d| <= delta, delta (|d| - delta / 2) beyond. Written without a
 * branch as h = q^2 / 2 + delta (|d| - q) with q = min(|d|, delta): inside, q = |d| and the second
 * term vanishes; outside, q = delta. Its gradient d (inside) or delta sign(d) (outside) is
 * continuous at |d| = delta, where both pieces give delta.
 */
function huberValue(yPred: MLArray, yTrue: MLArray, delta: number): MLArray {
  const a = yPred.sub(yTrue).abs();
  const q = a.clip(-Infinity, delta);
  return q.mul(q).mul(0.5).add(a.sub(q).mul(delta)).mean();
}

/**
 * Huber loss with delta = 1 (quadratic near 0, linear for |d| > 1: robust to outliers).
 * Same as `huber(1)`; use `huber(delta)` for another threshold.
 * @example
 * huberLoss(MLArray.from([0.5, 3]), MLArray.from([0, 0])).item(); // (0.125 + 2.5) / 2
 */
export const huberLoss: Loss = defineLoss('huberLoss', { targets: targets.values }, (yPred, yTrue) => huberValue(yPred, yTrue, 1));

/** A loss made by `huber(delta)`: carries its `config` so it can be saved and rebuilt by name. */
export type HuberLoss = Loss & { readonly config: { readonly delta: number } };

const huberDeltas = new WeakMap<object, number>();

/**
 * The Huber loss with threshold `delta` (> 0). Its `name` is `'huber'` and `config.delta` its
 * threshold; `lossName()` gives `'huber(<delta>)'`, which `getLoss()` turns back into this loss.
 * @example
 * const loss = huber(0.5);
 * loss(MLArray.from([2]), MLArray.from([0])).item(); // 0.5 * (2 - 0.25) = 0.875
 */
export function huber(delta: number): HuberLoss {
  checkNumber('huber', 'delta', delta, positive);
  const fn = defineLoss(`huber(${delta})`, { targets: targets.values }, (yPred, yTrue) => huberValue(yPred, yTrue, delta));
  Object.defineProperty(fn, 'name', { value: 'huber' });
  const loss = Object.assign(fn, { config: Object.freeze({ delta }) });
  huberDeltas.set(loss, delta);
  return loss;
}

/** The delta of a loss made by `huber(delta)`, else undefined. */
export function huberDelta(fn: unknown): number | undefined {
  return typeof fn === 'function' ? huberDeltas.get(fn) : undefined;
}
