/**
 * Batch normalisation with PyTorch's BatchNorm1d/2d semantics, on `(N, C)` or `(N, C, H, W)`:
 * per channel c, over the batch (and the image positions),
 *   training:  y = gamma (x - mean) / sqrt(var + eps) + beta   with the batch's biased variance,
 *              then runningMean/runningVar <- (1 - momentum) r + momentum (batch mean / unbiased variance);
 *   inference: the same with runningMean and runningVar in place of the batch's statistics.
 * The running statistics are state (not trained), saved with the model.
 */
import { MLArray, type Optimizer, type Shape, ValueError, formatShape } from '@smolml/core';
import { checkInteger, checkNumber, checkOptions, interval, nonNegative, positive } from '@smolml/core/internal';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { inputError } from './check.js';
import { type LayerJSONContext, LayerReader } from './json.js';

/** Options of BatchNorm. */
export interface BatchNormOptions {
  /** Weight of the current batch in the running statistics, in [0, 1] (default 0.1). */
  momentum?: number | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number | null;
}

/** A saved BatchNorm: its configuration, `gamma`/`beta` and the running statistics (C numbers each). */
export interface BatchNormJSON {
  type: 'batchNorm';
  numFeatures: number;
  momentum: number;
  eps: number;
  gamma: number[];
  beta: number[];
  runningMean: number[];
  runningVar: number[];
}

const unit = interval('[0, 1]');

/**
 * Normalises each channel (axis 1) of `(batch, C)` or `(batch, C, height, width)` inputs.
 * @example
 * const bn = new BatchNorm(2);
 * bn.forward(MLArray.from([[1, 10], [3, 30]]), { training: true }).toArray(); // ≈ [[-1, -1], [1, 1]]
 * bn.runningMean.toArray(); // [0.2, 2]
 */
export class BatchNorm implements Layer {
  readonly type = 'batchNorm';
  /** C, the number of channels (axis 1 of the input). */
  readonly numFeatures: number;
  readonly momentum: number;
  readonly eps: number;
  /** Scale `(C)`, ones at first, requiresGrad. */
  readonly gamma: MLArray;
  /** Shift `(C)`, zeros at first, requiresGrad. */
  readonly beta: MLArray;
  /** Running mean `(C)` (zeros at first), updated by training-mode passes; not trainable. */
  readonly runningMean: MLArray;
  /** Running unbiased variance `(C)` (ones at first), updated by training-mode passes; not trainable. */
  readonly runningVar: MLArray;

  constructor(numFeatures: number, options?: BatchNormOptions | null) {
    const op = 'BatchNorm';
    this.numFeatures = checkInteger(op, 'numFeatures', numFeatures);
    const o = checkOptions<BatchNormOptions>(op, options, ['momentum', 'eps']);
    this.momentum = o.momentum == null ? 0.1 : checkNumber(op, 'options.momentum', o.momentum, unit);
    this.eps = o.eps == null ? 1e-5 : checkNumber(op, 'options.eps', o.eps, positive);
    this.gamma = MLArray.ones([numFeatures], { requiresGrad: true });
    this.beta = MLArray.zeros([numFeatures], { requiresGrad: true });
    this.runningMean = MLArray.zeros([numFeatures]);
    this.runningVar = MLArray.ones([numFeatures]);
  }

  /**
   * Normalised input; in training also updates the running statistics (see the file comment).
   * One fused core primitive (MLArray.batchNorm) does the work, gradients included.
   */
  forward(x: MLArray, opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape, opts);
    return x.batchNorm(this.gamma, this.beta, {
      training: opts?.training === true, runningMean: this.runningMean, runningVar: this.runningVar, momentum: this.momentum, eps: this.eps,
    });
  }

  /**
   * The input's shape, `(batch, C)` or `(batch, C, H, W)`. In training, a channel needs more
   * than one value (batch × H × W > 1) for a variance, as in PyTorch: else a ValueError.
   */
  outputShape(inputShape: Shape, opts?: ForwardOptions): Shape {
    const C = this.numFeatures;
    if ((inputShape.length !== 2 && inputShape.length !== 4) || inputShape[1] !== C) {
      throw inputError('BatchNorm', `(batch, ${C}) or (batch, ${C}, height, width)`, inputShape, inputShape[1] === C || inputShape.length < 2 ? '' : `: ${inputShape[1]} channels where the layer takes ${C}`);
    }
    const perChannel = inputShape.reduce((a, b) => a * b, 1) / C;
    if (opts?.training === true && perChannel <= 1) {
      throw new ValueError(
        `BatchNorm.forward: training needs more than one value per channel to compute a variance, received ${formatShape(inputShape)} ` +
          `(expected (batch, ${C}${inputShape.length === 4 ? ', height, width' : ''}) with batch${inputShape.length === 4 ? ' × height × width' : ''} >= 2)`,
      );
    }
    return inputShape;
  }

  /** `[gamma, beta]`. */
  parameters(): MLArray[] {
    return [this.gamma, this.beta];
  }

  /** `[runningMean, runningVar]`: saved, restored when a training step fails, not trained. */
  buffers(): MLArray[] {
    return [this.runningMean, this.runningVar];
  }

  /** Lets `optimizer` update `gamma` and `beta` (the seed's per-layer step). */
  update(optimizer: Optimizer): void {
    optimizer.step(this.parameters());
  }

  /** `BatchNorm(16)`, `BatchNorm(16, momentum 0.2, eps 0.001)` (options shown when not the default). */
  toString(): string {
    const extra = [this.momentum !== 0.1 ? `momentum ${this.momentum}` : '', this.eps !== 1e-5 ? `eps ${this.eps}` : ''].filter((s) => s !== '');
    return `BatchNorm(${[String(this.numFeatures), ...extra].join(', ')})`;
  }

  toJSON(): BatchNormJSON {
    return {
      type: 'batchNorm',
      numFeatures: this.numFeatures,
      momentum: this.momentum,
      eps: this.eps,
      gamma: Array.from(this.gamma.data),
      beta: Array.from(this.beta.data),
      runningMean: Array.from(this.runningMean.data),
      runningVar: Array.from(this.runningVar.data),
    };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'batchNorm'). */
  static fromJSON(json: BatchNormJSON | LayerJSON, context: LayerJSONContext): BatchNorm {
    const r = new LayerReader(json as LayerJSON, context);
    const C = r.integer('numFeatures');
    const layer = new BatchNorm(C, { momentum: r.number('momentum', unit), eps: r.number('eps', positive) });
    layer.gamma.data.set(r.numbers('gamma', [C]));
    layer.beta.data.set(r.numbers('beta', [C]));
    layer.runningMean.data.set(r.numbers('runningMean', [C]));
    layer.runningVar.data.set(r.numbers('runningVar', [C], nonNegative));
    return layer;
  }
}
