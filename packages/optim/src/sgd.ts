/**
 * Plain stochastic gradient descent, with optional L2 weight decay (PyTorch's SGD form: the
 * decay is added to the gradient, which for plain SGD equals shrinking theta by lr * weightDecay).
 */
import { getBackend } from '@smolml/core';
import { nonNegative } from '@smolml/core/internal';
import { BaseOptimizer } from './base.js';
import { defineOptimizer } from './hyperparams.js';
import type { LearningRate } from './schedules.js';

/** Options of `SGD` (all optional; `undefined` means the default). */
export interface SGDOptions {
  /** Learning rate or schedule (default 0.01). */
  lr?: LearningRate;
  /** L2 penalty coefficient, >= 0 (default 0). */
  weightDecay?: number;
}

const SGD_SPEC = defineOptimizer<SGDOptions>({
  type: 'SGD',
  lr: 0.01,
  hyperparams: { weightDecay: { default: 0, range: nonNegative } },
  buffers: [],
});

/**
 * theta -= lr * (g + weightDecay * theta).
 * @example
 * const opt = new SGD({ lr: 0.1 });
 * loss.backward(); opt.step(net.parameters()); opt.zeroGrad(net.parameters());
 */
export class SGD extends BaseOptimizer<SGDOptions> {
  constructor(options: SGDOptions = {}) {
    super(SGD_SPEC, options);
  }

  protected update(theta: Float64Array, g: Float64Array, _buffers: Float64Array[], lr: number, _t: number, next: Float64Array): number {
    const wd = this.hp.weightDecay;
    // the backend's loop where it takes these arrays (the same numbers), else this one
    const fast = getBackend().updateKernels?.sgd?.(theta, g, next, lr, wd);
    if (fast !== undefined) return fast;
    let finite = 0; // see BaseOptimizer.update
    if (wd === 0) {
      for (let i = 0; i < theta.length; i++) {
        const gi = g[i]!;
        const ni = theta[i]! - lr * gi;
        next[i] = ni;
        finite += gi * 0 + ni * 0;
      }
    } else {
      for (let i = 0; i < theta.length; i++) {
        const gi = g[i]!;
        const ni = theta[i]! - lr * (gi + wd * theta[i]!);
        next[i] = ni;
        finite += gi * 0 + ni * 0;
      }
    }
    return finite;
  }
}
