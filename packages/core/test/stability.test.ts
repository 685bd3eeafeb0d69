/** Extreme but finite inputs give finite, exact results (no NaN, no Inf). */
import { describe, expect, it } from 'vitest';
import { MLArray, allFinite } from '../src/index.js';

/** Plain numbers with -0 folded into 0, for exact comparisons. */
const nums = (a: MLArray | Float64Array): number[] => Array.from(a instanceof MLArray ? a.data : a, (v) => v + 0);

describe('numerical stability', () => {
  it('softmax of ±1000 logits is exact', () => {
    const x = MLArray.from([[1000, -1000, 0], [1000, 1000, -1000]], { requiresGrad: true });
    const y = x.softmax();
    expect(nums(y)).toEqual([1, 0, 0, 0.5, 0.5, 0]);
    y.backward(MLArray.from([[1, 2, 3], [1, 0, 0]]));
    expect(allFinite(x.grad!.data)).toBe(true);
    // row 2: y = (.5, .5, 0), g = (1, 0, 0): gx = y * (g - y.g) = (.25, -.25, 0)
    expect(nums(x.grad!.data.slice(3))).toEqual([0.25, -0.25, 0]);
  });

  it('logSoftmax and logsumexp of ±1000 logits are exact', () => {
    const x = MLArray.from([[1000, -1000], [-1000, -1000]], { requiresGrad: true });
    expect(nums(x.logSoftmax())).toEqual([0, -2000, -Math.LN2, -Math.LN2]);
    const lse = x.logsumexp(-1);
    expect(nums(lse)).toEqual([1000, -1000 + Math.LN2]);
    lse.sum().backward();
    expect(nums(x.grad!)).toEqual([1, 0, 0.5, 0.5]);
  });

  it('sigmoid(±750) and tanh(±400) are exact with finite gradients', () => {
    const x = MLArray.from([750, -750, 400, -400], { requiresGrad: true });
    const s = x.sigmoid();
    expect(nums(s)).toEqual([1, 0, 1, Math.exp(-400) / (1 + Math.exp(-400))]);
    const t = x.tanh();
    expect(nums(t)).toEqual([1, -1, 1, -1]);
    s.add(t).sum().backward();
    const s4 = s.data[3]!;
    expect(nums(x.grad!)).toEqual([0, 0, 0, s4 * (1 - s4)]); // sigmoid' = s(1-s), tanh' = 0 there
  });

  it('exp of a large negative number underflows to 0, not NaN; elu(-1000) is -alpha', () => {
    const x = MLArray.from([-1000], { requiresGrad: true });
    expect(x.exp().item()).toBe(0);
    const e = x.elu(2);
    expect(e.item()).toBe(-2);
    e.backward();
    expect(x.grad!.item()).toBe(0);
  });

  it('softplus is exact for ±1000 and keeps tiny results', () => {
    const x = MLArray.from([1000, -1000, 40, -40, 0], { requiresGrad: true });
    const y = x.softplus();
    expect(nums(y)).toEqual([1000, 0, 40, Math.log1p(Math.exp(-40)), Math.LN2]);
    expect(y.data[3]).toBeGreaterThan(0); // e^-40 is not lost to rounding
    y.sum().backward();
    expect(nums(x.grad!)).toEqual([1, 0, 1 / (1 + Math.exp(-40)), Math.exp(-40) / (1 + Math.exp(-40)), 0.5]);
  });
});

describe('allFinite', () => {
  it('is false exactly when some element is NaN or ±Infinity', () => {
    expect(allFinite(new Float64Array([0, -1.5, 1e308]))).toBe(true);
    expect(allFinite(new Float64Array(0))).toBe(true);
    expect(allFinite([1, NaN])).toBe(false);
    expect(allFinite([Infinity, 1])).toBe(false);
    expect(allFinite(new Float64Array([1, -Infinity]))).toBe(false);
  });
});
