/**
 * RMSProp (Hinton's lecture notes) in PyTorch's form: like AdaGrad, but the squared gradients are
 * averaged with exponential forgetting (factor alpha), so the step size adapts to recent
 * gradients instead of shrinking forever.
 */
import { positive, unitOpenRight } from '@smolml/core/internal';
import { BaseOptimizer } from './base.js';
import { defineOptimizer } from './hyperparams.js';
import type { LearningRate } from './schedules.js';

/** Options of `RMSProp` (all optional; `undefined` means the default). */
export interface RMSPropOptions {
  /** Learning rate or schedule (default 0.01). */
  lr?: LearningRate;
  /** Decay of the running average of g^2, in [0, 1) (default 0.99). */
  alpha?: number;
  /** Added to the denominator for stability, > 0 (default 1e-8). */
  eps?: number;
}

const RMSPROP_SPEC = defineOptimizer<RMSPropOptions>({
  type: 'RMSProp',
  lr: 0.01,
  hyperparams: { alpha: { default: 0.99, range: unitOpenRight }, eps: { default: 1e-8, range: positive } },
  buffers: ['squareAvg'],
});

/**
 * s = alpha * s + (1 - alpha) * g^2; theta -= lr * g / (sqrt(s) + eps)  (s starts at 0).
 * @example
 * const opt = new RMSProp({ lr: 0.001, alpha: 0.9 });
 */
export class RMSProp extends BaseOptimizer<RMSPropOptions> {
  constructor(options: RMSPropOptions = {}) {
    super(RMSPROP_SPEC, options);
  }

  protected update(theta: Float64Array, g: Float64Array, [squareAvg]: Float64Array[], lr: number, _t: number, next: Float64Array, [squareAvgNext]: Float64Array[]): number {
    const s = squareAvg!;
    const s2 = squareAvgNext!;
    const { alpha, eps } = this.hp;
    let finite = 0; // see BaseOptimizer.update
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i]!;
      const si = alpha * s[i]! + (1 - alpha) * gi * gi;
      s2[i] = si;
      const ni = theta[i]! - (lr * gi) / (Math.sqrt(si) + eps);
      next[i] = ni;
      finite += gi * 0 + ni * 0;
    }
    return finite;
  }
}
