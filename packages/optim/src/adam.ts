/**
 * Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019). Running averages of g (m) and
 * g^2 (v) start at 0, so early on they are biased towards 0; dividing by 1 - beta^t removes that
 * bias. t counts the updates of each parameter array separately, as PyTorch does, so updating
 * layer by layer or all parameters at once gives the same result.
 */
import { BaseOptimizer } from './base.js';
import type { LearningRate } from './schedules.js';
import { checkNumber, checkOptions, checkPositive } from './validate.js';

export interface AdamOptions {
  /** Learning rate or schedule (default 0.001). */
  lr?: LearningRate;
  /** Decay of the first-moment average, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to the denominator for stability, > 0 (default 1e-8). */
  eps?: number;
}

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay coefficient, >= 0 (default 0.01). */
  weightDecay?: number;
}

const ADAM_KEYS = ['lr', 'beta1', 'beta2', 'eps'];

/**
 * m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; with t the parameter's 1-based
 * update count, theta -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps).
 * @example
 * const opt = new Adam({ lr: 0.001 });
 */
export class Adam extends BaseOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;

  constructor(options: AdamOptions = {}) {
    checkOptions('Adam', options, ADAM_KEYS);
    super('Adam', options.lr ?? 0.001, ['m', 'v']);
    [this.beta1, this.beta2, this.eps] = adamHyperparams('Adam', options);
  }

  protected hyperparams(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps };
  }

  protected update(theta: Float64Array, g: Float64Array, buffers: Float64Array[], lr: number, t: number): void {
    adamUpdate(theta, g, buffers, lr, t, this.beta1, this.beta2, this.eps);
  }
}

/**
 * Adam with decoupled weight decay: theta *= 1 - lr * weightDecay, then the Adam update
 * (PyTorch's AdamW). Unlike an L2 term in the gradient, the decay is not rescaled by Adam's
 * per-weight step sizes, so every weight decays at the same rate.
 * @example
 * const opt = new AdamW({ lr: 0.001, weightDecay: 0.01 });
 */
export class AdamW extends BaseOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    checkOptions('AdamW', options, [...ADAM_KEYS, 'weightDecay']);
    super('AdamW', options.lr ?? 0.001, ['m', 'v']);
    [this.beta1, this.beta2, this.eps] = adamHyperparams('AdamW', options);
    this.weightDecay = checkNumber('AdamW', 'weightDecay', options.weightDecay ?? 0.01, 0, Infinity, false, true);
  }

  protected hyperparams(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }

  protected update(theta: Float64Array, g: Float64Array, buffers: Float64Array[], lr: number, t: number): void {
    const shrink = 1 - lr * this.weightDecay;
    for (let i = 0; i < theta.length; i++) theta[i]! *= shrink;
    adamUpdate(theta, g, buffers, lr, t, this.beta1, this.beta2, this.eps);
  }
}

function adamHyperparams(op: string, o: AdamOptions): [number, number, number] {
  return [
    checkNumber(op, 'beta1', o.beta1 ?? 0.9, 0, 1, false, true),
    checkNumber(op, 'beta2', o.beta2 ?? 0.999, 0, 1, false, true),
    checkPositive(op, 'eps', o.eps ?? 1e-8),
  ];
}

function adamUpdate(theta: Float64Array, g: Float64Array, [m, v]: Float64Array[], lr: number, t: number, b1: number, b2: number, eps: number): void {
  const M = m!;
  const V = v!;
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  for (let i = 0; i < theta.length; i++) {
    const gi = g[i]!;
    M[i] = b1 * M[i]! + (1 - b1) * gi;
    V[i] = b2 * V[i]! + (1 - b2) * gi * gi;
    theta[i]! -= (lr * (M[i]! / bc1)) / (Math.sqrt(V[i]! / bc2) + eps);
  }
}
