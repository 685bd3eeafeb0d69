/**
 * SGD with (heavy-ball or Nesterov) momentum, in SmolML's form: the velocity accumulates
 * lr-scaled gradients, v = momentum * v + lr * g, and theta -= v. For a constant lr this is
 * exactly PyTorch's SGD(momentum, dampening = 0), whose buffer is v / lr. Under a schedule the
 * two differ: here a new lr applies to new gradients only, while the velocity already built up
 * decays at its own pace.
 */
import { ValueError } from '@smolml/core';
import { BaseOptimizer } from './base.js';
import type { LearningRate } from './schedules.js';
import { checkNumber, checkOptions } from './validate.js';

export interface SGDMomentumOptions {
  /** Learning rate or schedule (default 0.01). */
  lr?: LearningRate;
  /** Fraction of the velocity kept each step, in [0, 1) (default 0.9). */
  momentum?: number;
  /** Nesterov's look-ahead (default false). */
  nesterov?: boolean;
}

/**
 * v = momentum * v + lr * g; theta -= v, or with Nesterov theta -= momentum * v + lr * g (the
 * step taken from the look-ahead point; PyTorch's nesterov form with v = lr * buf).
 * @example
 * const opt = new SGDMomentum({ lr: 0.05, momentum: 0.9, nesterov: true });
 */
export class SGDMomentum extends BaseOptimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDMomentumOptions = {}) {
    checkOptions('SGDMomentum', options, ['lr', 'momentum', 'nesterov']);
    super('SGDMomentum', options.lr ?? 0.01, ['velocity']);
    this.momentum = checkNumber('SGDMomentum', 'momentum', options.momentum ?? 0.9, 0, 1, false, true);
    const nesterov = options.nesterov ?? false;
    if (typeof nesterov !== 'boolean') throw new ValueError(`SGDMomentum: nesterov must be true or false, got ${String(nesterov)}`);
    this.nesterov = nesterov;
  }

  protected hyperparams(): Record<string, number | boolean> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }

  protected update(theta: Float64Array, g: Float64Array, [v]: Float64Array[], lr: number): void {
    const mu = this.momentum;
    const vel = v!;
    if (this.nesterov) {
      for (let i = 0; i < theta.length; i++) {
        vel[i] = mu * vel[i]! + lr * g[i]!;
        theta[i]! -= mu * vel[i]! + lr * g[i]!;
      }
    } else {
      for (let i = 0; i < theta.length; i++) {
        vel[i] = mu * vel[i]! + lr * g[i]!;
        theta[i]! -= vel[i]!;
      }
    }
  }
}
