/**
 * Plain stochastic gradient descent, with optional L2 weight decay (PyTorch's SGD form: the
 * decay is added to the gradient, which for plain SGD equals shrinking theta by lr * weightDecay).
 */
import { BaseOptimizer } from './base.js';
import type { LearningRate } from './schedules.js';
import { checkNumber, checkOptions } from './validate.js';

export interface SGDOptions {
  /** Learning rate or schedule (default 0.01). */
  lr?: LearningRate;
  /** L2 penalty coefficient (default 0). */
  weightDecay?: number;
}

/**
 * theta -= lr * (g + weightDecay * theta).
 * @example
 * const opt = new SGD({ lr: 0.1 });
 * loss.backward(); opt.step(net.parameters()); opt.zeroGrad(net.parameters());
 */
export class SGD extends BaseOptimizer {
  readonly weightDecay: number;

  constructor(options: SGDOptions = {}) {
    checkOptions('SGD', options, ['lr', 'weightDecay']);
    super('SGD', options.lr ?? 0.01, []);
    this.weightDecay = checkNumber('SGD', 'weightDecay', options.weightDecay ?? 0, 0, Infinity, false, true);
  }

  protected hyperparams(): Record<string, number> {
    return { weightDecay: this.weightDecay };
  }

  protected update(theta: Float64Array, g: Float64Array, _buffers: Float64Array[], lr: number): void {
    const wd = this.weightDecay;
    if (wd === 0) {
      for (let i = 0; i < theta.length; i++) theta[i]! -= lr * g[i]!;
    } else {
      for (let i = 0; i < theta.length; i++) theta[i]! -= lr * (g[i]! + wd * theta[i]!);
    }
  }
}
