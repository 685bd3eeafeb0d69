/**
 * Gradient clipping by global norm (Pascanu et al., 2013): when the gradients of all parameters,
 * seen as one long vector, are longer than maxNorm, scale them all down by the same factor, so
 * the direction of the step is kept and only its length is capped.
 */
import { ValueError, type MLArray } from '@smolml/core';
import { checkNumber, positive } from '@smolml/core/internal';
import { checkParams } from './validate.js';

/**
 * Scales every `.grad` of `params` in place so that their global L2 norm is at most `maxNorm`,
 * and returns the norm before clipping. As PyTorch's clip_grad_norm_, the factor is
 * maxNorm / (norm + 1e-6), applied only when it is < 1. Parameters without a gradient are
 * skipped; a NaN or infinite gradient throws a ValueError (nothing is scaled).
 * @example
 * loss.backward();
 * const norm = clipGradNorm(net.parameters(), 1.0); // grads now have norm <= 1
 * opt.step(net.parameters());
 */
export function clipGradNorm(params: readonly MLArray[], maxNorm: number): number {
  checkParams('clipGradNorm', params);
  checkNumber('clipGradNorm', 'maxNorm', maxNorm, positive);
  let sumSq = 0;
  let maxAbs = 0;
  params.forEach((p, i) => {
    const g = p.grad?.data;
    if (g === undefined) return;
    for (let k = 0; k < g.length; k++) {
      const x = g[k]!;
      if (!Number.isFinite(x)) throw new ValueError(`clipGradNorm: gradient of parameter ${i} holds ${x} at element ${k}; nothing was clipped`);
      sumSq += x * x;
      maxAbs = Math.max(maxAbs, Math.abs(x));
    }
  });
  let norm = Math.sqrt(sumSq);
  if (norm === Infinity) {
    // The squares overflowed although every gradient is finite: sum (g / maxAbs)^2 instead.
    let scaled = 0;
    for (const p of params) {
      const g = p.grad?.data;
      if (g !== undefined) for (let k = 0; k < g.length; k++) scaled += (g[k]! / maxAbs) ** 2;
    }
    norm = maxAbs * Math.sqrt(scaled);
  }
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    for (const p of params) {
      const g = p.grad?.data;
      if (g !== undefined) for (let k = 0; k < g.length; k++) g[k]! *= coef;
    }
  }
  return norm;
}
