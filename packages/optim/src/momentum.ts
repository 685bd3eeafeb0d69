/**
 * SGD with (heavy-ball or Nesterov) momentum, in SmolML's form: the velocity accumulates
 * lr-scaled gradients, v = momentum * v + lr * g, and theta -= v. For a constant lr this is
 * exactly PyTorch's SGD(momentum, dampening = 0), whose buffer is v / lr. Under a schedule the
 * two differ: here a new lr applies to new gradients only, while the velocity already built up
 * decays at its own pace.
 */
import { unitOpenRight } from '@smolml/core/internal';
import { BaseOptimizer } from './base.js';
import { defineOptimizer } from './hyperparams.js';
import type { LearningRate } from './schedules.js';

/** Options of `SGDMomentum` (all optional; `undefined` means the default). */
export interface SGDMomentumOptions {
  /** Learning rate or schedule (default 0.01). */
  lr?: LearningRate;
  /** Fraction of the velocity kept each step, in [0, 1) (default 0.9). */
  momentum?: number;
  /** Nesterov's look-ahead (default false). */
  nesterov?: boolean;
}

const SGD_MOMENTUM_SPEC = defineOptimizer<SGDMomentumOptions>({
  type: 'SGDMomentum',
  lr: 0.01,
  hyperparams: { momentum: { default: 0.9, range: unitOpenRight }, nesterov: { default: false } },
  buffers: ['velocity'],
});

/**
 * v = momentum * v + lr * g; theta -= v, or with Nesterov theta -= momentum * v + lr * g (the
 * step taken from the look-ahead point; PyTorch's nesterov form with v = lr * buf).
 * @example
 * const opt = new SGDMomentum({ lr: 0.05, momentum: 0.9, nesterov: true });
 */
export class SGDMomentum extends BaseOptimizer<SGDMomentumOptions> {
  constructor(options: SGDMomentumOptions = {}) {
    super(SGD_MOMENTUM_SPEC, options);
  }

  protected update(theta: Float64Array, g: Float64Array, [v]: Float64Array[], lr: number, _t: number, next: Float64Array, [vNext]: Float64Array[]): number {
    const { momentum: mu, nesterov } = this.hp;
    const vel = v!;
    const vel2 = vNext!;
    let finite = 0; // see BaseOptimizer.update
    if (nesterov) {
      for (let i = 0; i < theta.length; i++) {
        const gi = g[i]!;
        const vi = mu * vel[i]! + lr * gi;
        vel2[i] = vi;
        const ni = theta[i]! - (mu * vi + lr * gi);
        next[i] = ni;
        finite += gi * 0 + ni * 0;
      }
    } else {
      for (let i = 0; i < theta.length; i++) {
        const gi = g[i]!;
        const vi = mu * vel[i]! + lr * gi;
        vel2[i] = vi;
        const ni = theta[i]! - vi;
        next[i] = ni;
        finite += gi * 0 + ni * 0;
      }
    }
    return finite;
  }
}
