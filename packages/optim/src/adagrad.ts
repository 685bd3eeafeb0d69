/**
 * AdaGrad (Duchi et al., 2011) in PyTorch's form: each weight's step is divided by the root of
 * the sum of all its squared gradients so far, so often-updated weights slow down and rarely
 * updated ones keep large steps. eps sits outside the root (PyTorch), which is what makes a
 * first-step zero gradient give 0 / (0 + eps) = 0.
 */
import { BaseOptimizer } from './base.js';
import type { LearningRate } from './schedules.js';
import { checkOptions, checkPositive } from './validate.js';

export interface AdaGradOptions {
  /** Learning rate or schedule (default 0.01). */
  lr?: LearningRate;
  /** Added to the denominator for stability, > 0 (default 1e-8). */
  eps?: number;
}

/**
 * G += g^2; theta -= lr * g / (sqrt(G) + eps).
 * @example
 * const opt = new AdaGrad({ lr: 0.1 });
 */
export class AdaGrad extends BaseOptimizer {
  readonly eps: number;

  constructor(options: AdaGradOptions = {}) {
    checkOptions('AdaGrad', options, ['lr', 'eps']);
    super('AdaGrad', options.lr ?? 0.01, ['sum']);
    this.eps = checkPositive('AdaGrad', 'eps', options.eps ?? 1e-8);
  }

  protected hyperparams(): Record<string, number> {
    return { eps: this.eps };
  }

  protected update(theta: Float64Array, g: Float64Array, [sum]: Float64Array[], lr: number): void {
    const G = sum!;
    const eps = this.eps;
    for (let i = 0; i < theta.length; i++) {
      G[i]! += g[i]! * g[i]!;
      theta[i]! -= (lr * g[i]!) / (Math.sqrt(G[i]!) + eps);
    }
  }
}
