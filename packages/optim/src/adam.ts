/**
 * Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019). Running averages of g (m) and
 * g^2 (v) start at 0, so early on they are biased towards 0; dividing by 1 - beta^t removes that
 * bias. t counts the updates of each parameter array separately, as PyTorch does, so updating
 * layer by layer or all parameters at once gives the same result.
 */
import { getBackend } from '@smolml/core';
import { nonNegative, positive, unitOpenRight } from '@smolml/core/internal';
import { BaseOptimizer } from './base.js';
import { defineOptimizer, type Hyperparams } from './hyperparams.js';
import type { LearningRate } from './schedules.js';

/** Options of `Adam` (all optional; `undefined` means the default). */
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

/** Options of `AdamW`: Adam's plus the decoupled weight decay. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay coefficient, >= 0 (default 0.01). */
  weightDecay?: number;
}

const ADAM_SPEC = defineOptimizer<AdamOptions>({
  type: 'Adam',
  lr: 0.001,
  hyperparams: {
    beta1: { default: 0.9, range: unitOpenRight },
    beta2: { default: 0.999, range: unitOpenRight },
    eps: { default: 1e-8, range: positive },
  },
  buffers: ['m', 'v'],
});

const ADAMW_SPEC = defineOptimizer<AdamWOptions>({
  ...ADAM_SPEC,
  type: 'AdamW',
  hyperparams: { ...ADAM_SPEC.hyperparams, weightDecay: { default: 0.01, range: nonNegative } },
});

/**
 * m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; with t the parameter's 1-based
 * update count, theta -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps).
 * @example
 * const opt = new Adam({ lr: 0.001 });
 */
export class Adam extends BaseOptimizer<AdamOptions> {
  constructor(options: AdamOptions = {}) {
    super(ADAM_SPEC, options);
  }

  protected update(theta: Float64Array, g: Float64Array, buffers: Float64Array[], lr: number, t: number, next: Float64Array, nextBuffers: Float64Array[]): number {
    return adamUpdate(theta, 1, g, buffers, lr, t, this.hp, next, nextBuffers);
  }
}

/**
 * Adam with decoupled weight decay: theta *= 1 - lr * weightDecay, then the Adam update
 * (PyTorch's AdamW). Unlike an L2 term in the gradient, the decay is not rescaled by Adam's
 * per-weight step sizes, so every weight decays at the same rate.
 * @example
 * const opt = new AdamW({ lr: 0.001, weightDecay: 0.01 });
 */
export class AdamW extends BaseOptimizer<AdamWOptions> {
  constructor(options: AdamWOptions = {}) {
    super(ADAMW_SPEC, options);
  }

  protected update(theta: Float64Array, g: Float64Array, buffers: Float64Array[], lr: number, t: number, next: Float64Array, nextBuffers: Float64Array[]): number {
    return adamUpdate(theta, 1 - lr * this.hp.weightDecay, g, buffers, lr, t, this.hp, next, nextBuffers);
  }
}

/** next = theta * shrink - the Adam step (shrink 1 is plain Adam: x * 1 is exactly x); returns the finiteness check of BaseOptimizer.update. */
function adamUpdate(
  theta: Float64Array,
  shrink: number,
  g: Float64Array,
  [m, v]: Float64Array[],
  lr: number,
  t: number,
  { beta1: b1, beta2: b2, eps }: Hyperparams<AdamOptions>,
  next: Float64Array,
  [mNext, vNext]: Float64Array[],
): number {
  const M = m!;
  const V = v!;
  const M2 = mNext!;
  const V2 = vNext!;
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  // the backend's loop where it takes these arrays (the same numbers), else this one
  const kernel = getBackend().updateKernels?.adam;
  if (kernel !== undefined) {
    const fast = kernel(theta, g, M, V, next, M2, V2, { beta1: b1, beta2: b2, bc1, bc2, lr, eps, shrink });
    if (fast !== undefined) return fast;
  }
  let finite = 0; // see BaseOptimizer.update
  for (let i = 0; i < theta.length; i++) {
    const gi = g[i]!;
    const mi = b1 * M[i]! + (1 - b1) * gi;
    const vi = b2 * V[i]! + (1 - b2) * gi * gi;
    M2[i] = mi;
    V2[i] = vi;
    const ni = theta[i]! * shrink - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
    next[i] = ni;
    finite += gi * 0 + ni * 0;
  }
  return finite;
}
