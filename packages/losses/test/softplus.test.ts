import { describe, expect, it } from 'vitest';
import { MLArray } from '@smolml/core';
import { softplus, withExactValue } from '../src/softplus.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from '../src/index.js';
import { expectClose } from './helpers.js';

describe('softplus (logsumexp over [0, z])', () => {
  it('has value log(1 + e^z) and gradient sigmoid(z), also at 0 and +-1000', () => {
    const zs = [-1000, -3, 0, 0.5, 1000];
    const z = MLArray.from(zs, { requiresGrad: true });
    const s = softplus(z);
    expect([...s.shape]).toEqual([5]);
    // the raw graph value rounds 1 + e^-|z| (withExactValue restores log1p's precision)
    expectClose(s.data, zs.map((v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))), 1e-13, 0);
    s.sum().backward();
    expectClose(z.grad!.data, zs.map((v) => 1 / (1 + Math.exp(-v))), 1e-15, 0);
  });

  it('keeps the input shape', () => {
    expect([...softplus(MLArray.zeros([2, 3])).shape]).toEqual([2, 3]);
    expect([...softplus(MLArray.scalar(1)).shape]).toEqual([]);
  });
});

describe('withExactValue', () => {
  it('takes the value from `exact` and the gradient from the graph', () => {
    const x = MLArray.from([1, 2], { requiresGrad: true });
    const out = withExactValue(x.mul(x), Float64Array.of(1.5, 4.25));
    expect(Array.from(out.data)).toEqual([1.5, 4.25]);
    out.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([2, 4]);
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  it('matches binaryCrossEntropy(sigmoid(z)) where no clipping happens', () => {
    const z = MLArray.from([[-3, -0.5, 0], [0.25, 2, 4]]);
    const y = MLArray.from([[0, 1, 0.5], [1, 0, 0.3]]);
    expectClose([binaryCrossEntropyWithLogits(z, y).item()], [binaryCrossEntropy(z.sigmoid(), y).item()], 1e-13, 0);
  });
});
