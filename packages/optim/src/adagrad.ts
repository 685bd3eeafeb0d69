/**
 * AdaGrad (Duchi et al., 2011) in PyTorch's form: each weight's step is divided by the root of
 * the sum of all its squared gradients so far, so often-updated weights slow down and rarely
 * updated ones keep large steps. eps sits outside the root (PyTorch), which is what makes a
 * first-step zero gradient give 0 / (0 + eps) = 0.
 */
import { positive } from '@smolml/core/internal';
import { BaseOptimizer } from './base.js';
import { defineOptimizer } from './hyperparams.js';
import type { LearningRate } from './schedules.js';

/** Options of `AdaGrad` (all optional; `undefined` means the default). */
export interface AdaGradOptions {
  /** Learning rate or schedule (default 0.01). */
  lr?: LearningRate;
  /** Added to the denominator for stability, > 0 (default 1e-8). */
  eps?: number;
}

const ADAGRAD_SPEC = defineOptimizer<AdaGradOptions>({
  type: 'AdaGrad',
  lr: 0.01,
  hyperparams: { eps: { default: 1e-8, range: positive } },
  buffers: ['sum'],
});

/**
 * G += g^2; theta -= lr * g / (sqrt(G) + eps).
 * @example
 * const opt = new AdaGrad({ lr: 0.1 });
 */
export class AdaGrad extends BaseOptimizer<AdaGradOptions> {
  constructor(options: AdaGradOptions = {}) {
    super(ADAGRAD_SPEC, options);
  }

  protected update(theta: Float64Array, g: Float64Array, [sum]: Float64Array[], lr: number, _t: number, next: Float64Array, [sumNext]: Float64Array[]): number {
    const G = sum!;
    const G2 = sumNext!;
    const eps = this.hp.eps;
    let finite = 0; // see BaseOptimizer.update
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i]!;
      const Gi = G[i]! + gi * gi;
      G2[i] = Gi;
      const ni = theta[i]! - (lr * gi) / (Math.sqrt(Gi) + eps);
      next[i] = ni;
      finite += gi * 0 + ni * 0;
    }
    return finite;
  }
}
