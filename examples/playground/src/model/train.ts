/**
 * One training step, spelled out: forward, data loss plus the regularisation penalty, backward,
 * a copy of the gradients (the page's gradient view draws them), the optimizer's update, zeroed
 * gradients. Divergence is caught here, before a non-finite number reaches the weights.
 */
import { type MLArray, type Optimizer, allFinite } from '@smolml/core';
import { AdaGrad, Adam, RMSProp, SGD, SGDMomentum } from '@smolml/optim';
import { type Network, dataLoss } from './network.js';

export const regularizationNames = ['none', 'L1', 'L2'] as const;
export type Regularization = (typeof regularizationNames)[number];

/**
 * The penalty added to the loss, over the weights only (biases are not penalised, as in
 * TensorFlow Playground): L1 = rate · Σ|w| (gradient rate · sign w, pushes small weights to 0),
 * L2 = rate · ½ Σ w² (gradient rate · w, shrinks every weight in proportion). Null for none.
 */
export function penalty(weights: readonly MLArray[], reg: Regularization, rate: number): MLArray | null {
  if (reg === 'none' || rate === 0 || weights.length === 0) return null;
  let total: MLArray | null = null;
  for (const w of weights) {
    const term = reg === 'L1' ? w.abs().sum() : w.mul(w).sum().mul(0.5);
    total = total === null ? term : total.add(term);
  }
  return total!.mul(rate);
}

export const optimizerNames = ['SGD', 'SGDMomentum', 'Adam', 'RMSProp', 'AdaGrad'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

/**
 * The optimizer, with a learning rate read at every step from `lr()`: a schedule function in
 * smolml's API, used here so the page can change the rate while training without losing the
 * optimizer's state (momentum, Adam's moments).
 */
export function makeOptimizer(name: OptimizerName, lr: () => number): Optimizer {
  const schedule = (): number => lr();
  switch (name) {
    case 'SGD':
      return new SGD({ lr: schedule });
    case 'SGDMomentum':
      return new SGDMomentum({ lr: schedule, momentum: 0.9 });
    case 'Adam':
      return new Adam({ lr: schedule });
    case 'RMSProp':
      return new RMSProp({ lr: schedule });
    case 'AdaGrad':
      return new AdaGrad({ lr: schedule });
  }
}

/** Training went off the rails (a non-finite or huge loss): the page offers a reset. */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
}

/**
 * A data loss above this means training has diverged: a binary cross-entropy of 100 is a
 * network confidently wrong by e^100, and regression targets lie in [-1, 1].
 */
export const DIVERGENCE_LOSS = 100;

/** Gradients of one step, copied before they are zeroed: what the gradient view draws. */
export interface Gradients {
  weights: Float64Array[];
  biases: Float64Array[];
}

export interface StepOptions {
  reg: Regularization;
  regRate: number;
}

/** Forward, loss + penalty, backward: leaves the gradients in each parameter's `.grad`; returns the data loss. */
export function computeGradients(net: Network, x: MLArray, y: MLArray, { reg, regRate }: StepOptions): number {
  const loss = dataLoss(net.spec.task, net.forward(x), y);
  const value = loss.item();
  if (!Number.isFinite(value)) throw new DivergenceError(`the loss became ${value}`);
  const p = penalty(net.weights, reg, regRate);
  (p === null ? loss : loss.add(p)).backward();
  return value;
}

/** Copies the current `.grad` of every weight and bias (zeros where none). */
export function copyGradients(net: Network): Gradients {
  const copy = (p: MLArray): Float64Array => (p.grad === null ? new Float64Array(p.size) : Float64Array.from(p.grad.data));
  return { weights: net.weights.map(copy), biases: net.biases.map(copy) };
}

/** Applies the optimizer to the gradients in `.grad`, then zeroes them; throws DivergenceError instead of writing non-finite weights. */
export function applyUpdate(net: Network, optimizer: Optimizer): void {
  const params = net.parameters();
  for (const p of params) {
    if (p.grad !== null && !allFinite(p.grad.data)) {
      optimizer.zeroGrad(params);
      throw new DivergenceError('a gradient became infinite');
    }
  }
  const before = params.map((p) => Float64Array.from(p.data));
  optimizer.step(params);
  optimizer.zeroGrad(params);
  if (!params.every((p) => allFinite(p.data))) {
    params.forEach((p, i) => p.data.set(before[i]!)); // keep the last finite weights on screen
    throw new DivergenceError('a weight became infinite');
  }
}

/** One minibatch step; returns the batch's data loss (before the update) and its gradients. */
export function trainStep(net: Network, optimizer: Optimizer, x: MLArray, y: MLArray, options: StepOptions): { loss: number; gradients: Gradients } {
  let loss: number;
  try {
    loss = computeGradients(net, x, y, options);
  } catch (e) {
    optimizer.zeroGrad(net.parameters());
    throw e;
  }
  const gradients = copyGradients(net);
  applyUpdate(net, optimizer);
  return { loss, gradients };
}
