import { describe, expect, it } from 'vitest';
import { MLArray, ValueError } from '@smolml/core';
import { clipGradNorm } from '../src/index.js';

function params(...grads: (number[] | null)[]): MLArray[] {
  return grads.map((g) => {
    const p = MLArray.zeros([g?.length ?? 1], { requiresGrad: true });
    p.grad = g === null ? null : MLArray.from(g);
    return p;
  });
}
const grads = (ps: MLArray[]) => ps.map((p) => (p.grad === null ? null : Array.from(p.grad.data)));

describe('clipGradNorm(params, maxNorm)', () => {
  it('scales all gradients by maxNorm / (norm + 1e-6) when the global norm is larger', () => {
    // global norm sqrt(9 + 16 + 144) = 13
    const ps = params([3, 4], [12], null);
    expect(clipGradNorm(ps, 6.5)).toBe(13);
    const c = 6.5 / (13 + 1e-6);
    expect(grads(ps)).toEqual([[3 * c, 4 * c], [12 * c], null]);
    const after = Math.hypot(3 * c, 4 * c, 12 * c);
    expect(after).toBeLessThanOrEqual(6.5);
    expect(after).toBeCloseTo(6.5, 6);
  });

  it('leaves gradients alone when the norm is within maxNorm, and returns the norm', () => {
    const ps = params([3, 4], [12]);
    expect(clipGradNorm(ps, 20)).toBe(13);
    expect(grads(ps)).toEqual([[3, 4], [12]]);
  });

  it('returns 0 when no parameter has a gradient', () => {
    expect(clipGradNorm(params(null, null), 1)).toBe(0);
    expect(clipGradNorm([], 1)).toBe(0);
  });

  it('does not overflow for huge (finite) gradients', () => {
    const ps = params([1e200, -1e200]);
    const norm = clipGradNorm(ps, 1);
    expect(norm).toBeCloseTo(Math.SQRT2 * 1e200, -186);
    expect(norm / (Math.SQRT2 * 1e200)).toBeCloseTo(1, 14);
    expect(grads(ps)[0]![0]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(grads(ps)[0]![1]).toBeCloseTo(-Math.SQRT1_2, 14);
  });

  it('throws on NaN/Infinity without scaling anything', () => {
    const ps = params([100, 100], [Number.NaN]);
    expect(() => clipGradNorm(ps, 1)).toThrow('clipGradNorm: gradient of parameter 1 holds NaN at element 0; nothing was clipped');
    expect(grads(ps)[0]).toEqual([100, 100]);
    expect(() => clipGradNorm(params([Infinity]), 1)).toThrow(ValueError);
  });

  it('validates maxNorm and params', () => {
    expect(() => clipGradNorm(params([1]), 0)).toThrow('clipGradNorm: maxNorm must be a finite number in (0, inf), got 0');
    expect(() => clipGradNorm(params([1]), Number.NaN)).toThrow(ValueError);
    const [p] = params([1]);
    expect(() => clipGradNorm([p!, p!], 1)).toThrow(/same array/);
  });
});
