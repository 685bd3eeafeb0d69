/**
 * batchNorm: per-channel normalisation of `(N, C, ...)` with scale γ and shift β, fused (the
 * kernels and the gradient formulas are in kernels/batch-norm.ts). Its params carry the
 * statistics: computed from this very batch (`batchStats`, training: the gradient then also
 * flows through them) or given (running statistics, inference: constants).
 * MLArray.batchNorm (batch-norm-args.ts) computes them and updates the running ones.
 */
import { batchNormBackward, batchNormForward } from '../kernels/batch-norm.js';
import type { Shape } from '../shape-types.js';
import type { PrimitiveParams, Rule, RuleTable } from './types.js';

type BatchNormP = PrimitiveParams['batchNorm'];

/** [N, C, inner]: the batch, the channels (axis 1) and the numbers per channel of one sample. */
export function channelSplit(shape: Shape): [number, number, number] {
  let inner = 1;
  for (let i = 2; i < shape.length; i++) inner *= shape[i]!;
  return [shape[0]!, shape[1]!, inner];
}

const batchNorm: Rule<BatchNormP> = {
  reads: [0, 1], // x (for x - mean) and gamma; beta's gradient does not depend on beta
  forward([x, gamma, beta], { mean, invStd }) {
    const [n, c, inner] = channelSplit(x!.shape);
    const y = new Float64Array(x!.data.length);
    batchNormForward(x!.data, n, c, inner, mean, invStd, gamma!.data, beta!.data, y);
    return { data: y, shape: x!.shape };
  },
  backward(g, { inputs: [x, gamma], params: { mean, invStd, batchStats }, needs }) {
    const [n, c, inner] = channelSplit(x!.shape);
    const grads = {
      x: needs[0] ? new Float64Array(x!.data.length) : null,
      gamma: needs[1] ? new Float64Array(c) : null,
      beta: needs[2] ? new Float64Array(c) : null,
    };
    batchNormBackward(g, x!.data, n, c, inner, mean, invStd, gamma!.data, batchStats, grads);
    return [grads.x, grads.gamma, grads.beta];
  },
};

export const normRules = { batchNorm } satisfies Partial<RuleTable>;
