/**
 * Arguments of MLArray.batchNorm, PyTorch's `F.batch_norm(x, running_mean, running_var, weight,
 * bias, training, momentum, eps)`: every shape and value is checked before anything is
 * computed, then the statistics are found (the batch's, or the running ones) and the running
 * statistics updated in training. The result is the batchNorm primitive's params.
 */
import { ShapeError, ValueError, formatShape } from './errors.js';
import { channelMoments } from './kernels/batch-norm.js';
import type { MLArray } from './mlarray.js';
import { MLArrayBase } from './mlarray-base.js';
import { channelSplit } from './ops/batch-norm.js';
import type { BatchNormParams } from './ops/types.js';
import { checkNumber, checkOptions, describeValue, interval, positive } from './validate.js';

/** Options of `MLArray.batchNorm`. */
export interface BatchNormOpOptions {
  /**
   * true: normalise with this batch's own statistics (the gradient flows through them) and
   * update the running statistics, if given. false (default): normalise with the running ones.
   */
  training?: boolean | null;
  /** Running mean `(C)`: required when not training; updated in place when training. */
  runningMean?: MLArray | null;
  /** Running (unbiased) variance `(C)`: required when not training; updated in place when training. */
  runningVar?: MLArray | null;
  /** Weight of this batch in the running statistics, in [0, 1] (default 0.1). */
  momentum?: number | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number | null;
}

const OP = 'batchNorm';
const unit = interval('[0, 1]');

/** A `(C)` array named `name`, or a ShapeError saying what was expected. */
function perChannel(name: string, a: unknown, c: number, xShape: readonly number[]): MLArray {
  // MLArrayBase, not MLArray: mlarray.ts imports this module (the same test as the grad setter's)
  if (!(a instanceof MLArrayBase)) throw new ValueError(`${OP}: ${name} must be an MLArray of shape (${c},), got ${describeValue(a)}`);
  if (a.shape.length !== 1 || a.shape[0] !== c) {
    throw new ShapeError(`${OP}: ${name} must have shape (${c},), one number per channel of the input ${formatShape(xShape)}, got ${formatShape(a.shape)}`);
  }
  return a as MLArray;
}

/**
 * Checks everything, updates the running statistics in training, and returns the params of
 * the batchNorm primitive for input `x` with scale `gamma` and shift `beta`.
 */
export function batchNormParams(x: MLArray, gamma: MLArray, beta: MLArray, options: BatchNormOpOptions | null | undefined): BatchNormParams {
  const o = checkOptions(OP, options, ['training', 'runningMean', 'runningVar', 'momentum', 'eps']);
  if (x.ndim < 2) throw new ShapeError(`${OP}: the input must be (batch, channels, ...), got shape ${formatShape(x.shape)}`);
  const [n, c, inner] = channelSplit(x.shape);
  perChannel('gamma', gamma, c, x.shape);
  perChannel('beta', beta, c, x.shape);
  if (o.training != null && typeof o.training !== 'boolean') throw new ValueError(`${OP}: options.training must be true or false, got ${describeValue(o.training)}`);
  const training = o.training === true;
  const momentum = o.momentum == null ? 0.1 : checkNumber(OP, 'options.momentum', o.momentum, unit);
  const eps = o.eps == null ? 1e-5 : checkNumber(OP, 'options.eps', o.eps, positive);
  const runningMean = o.runningMean == null ? null : perChannel('options.runningMean', o.runningMean, c, x.shape);
  const runningVar = o.runningVar == null ? null : perChannel('options.runningVar', o.runningVar, c, x.shape);
  if ((runningMean === null) !== (runningVar === null)) throw new ValueError(`${OP}: give both options.runningMean and options.runningVar, or neither`);

  const m = n * inner;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  if (training) {
    if (m <= 1) {
      throw new ValueError(`${OP}: training needs more than one value per channel to compute a variance, got input ${formatShape(x.shape)} (batch × the axes after the channels must be at least 2)`);
    }
    channelMoments(x.data, n, c, inner, mean, variance);
  } else {
    if (!runningMean || !runningVar) throw new ValueError(`${OP}: without training: true, options.runningMean and options.runningVar are required (the statistics to normalise with)`);
    mean.set(runningMean.data);
    variance.set(runningVar.data);
  }
  const invStd = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    const v = variance[ch]!;
    if (!Number.isFinite(mean[ch]!) || !Number.isFinite(v) || !(v + eps > 0)) {
      throw new ValueError(
        `${OP}: channel ${ch} has ${training ? 'batch' : 'running'} mean ${mean[ch]} and variance ${v}: they must be finite with variance + eps > 0` +
          (training ? ' (the input holds NaN or infinite values)' : ' (check runningMean and runningVar)'),
      );
    }
    invStd[ch] = 1 / Math.sqrt(v + eps);
  }
  if (training && runningMean && runningVar) {
    // PyTorch's update (only after the checks, so a bad batch leaves them as they were); the
    // running variance follows the unbiased batch variance
    const k = momentum;
    const unbiased = m / (m - 1);
    runningMean.assign(runningMean.data.map((r, ch) => (1 - k) * r + k * mean[ch]!));
    runningVar.assign(runningVar.data.map((r, ch) => (1 - k) * r + k * variance[ch]! * unbiased));
  }
  return { mean, invStd, batchStats: training };
}
