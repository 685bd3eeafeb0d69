/**
 * Extreme logits: values and gradients stay finite and exact. The expected numbers are worked
 * out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { MLArray } from '@smolml/core';
import { expectClose } from '@smolml/test-utils';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
} from '../src/index.js';
import { valueAndGrad } from './helpers.js';

describe('binaryCrossEntropyWithLogits', () => {
  it('is exact for logits of +-1000', () => {
    // per element: right and confident -> 0; wrong and confident -> |z| = 1000. Mean 500.
    // dL/dz = (sigmoid(z) - y) / 4 = [0, 0, 1/4, -1/4]
    const r = valueAndGrad(binaryCrossEntropyWithLogits, [1000, -1000, 1000, -1000], [4], MLArray.from([1, 0, 0, 1]));
    expect(r.shape).toEqual([]);
    expect(r.value).toBe(500);
    expect(Array.from(r.grad)).toEqual([0, 0, 0.25, -0.25]);
  });

  it('keeps full relative precision for tiny losses (log1p, not log(1 + x))', () => {
    // L = log(1 + e^-40) = e^-40 (1 - e^-40 / 2 + ...) = e^-40 to double precision; dL/dz = -sigmoid(-40)
    const r = valueAndGrad(binaryCrossEntropyWithLogits, [40], [1], MLArray.from([1]));
    expectClose([r.value], [Math.exp(-40)], 1e-15, 0);
    // the gradient sums 1 - y - sigmoid(-z) = 1 - 1 - e^-40 (as sigmoid(z) - y does in any float64
    // implementation, PyTorch's too), so here it is exact only to an absolute 1e-16
    expectClose([r.grad[0]!], [-Math.exp(-40)], 0, 1e-16);
    const s = valueAndGrad(binaryCrossEntropyWithLogits, [-40], [1], MLArray.from([0]));
    expectClose([s.value], [Math.exp(-40)], 1e-15, 0);
    expectClose([s.grad[0]!], [Math.exp(-40)], 1e-15, 0);
  });

  it('has the true gradient sigmoid(0) - y = 1/2 - y at z = 0', () => {
    // L = ln 2 for every element, whatever y (y ln 2 + (1 - y) ln 2)
    const r = valueAndGrad(binaryCrossEntropyWithLogits, [0, 0, 0], [3], MLArray.from([1, 0, 0.25]));
    expectClose([r.value], [Math.LN2], 1e-15, 0);
    expectClose(r.grad, [-0.5 / 3, 0.5 / 3, 0.25 / 3], 1e-15, 0);
  });
});

describe('categorical losses on logits', () => {
  // Row 0 is confidently right (loss 0); row 1 is confidently wrong: logsumexp = 1000, the true
  // class logit is -1000, loss 2000. Mean 1000. Gradient (softmax - onehot) / 2.
  const logits = [1000, -1000, 0, -1000, 1000, 0];
  const expectedGrad = [0, 0, 0, -0.5, 0.5, 0];

  it('categoricalCrossEntropyFromLogits is exact for +-1000', () => {
    const r = valueAndGrad(categoricalCrossEntropyFromLogits, logits, [2, 3], MLArray.from([[1, 0, 0], [1, 0, 0]]));
    expect(r.value).toBe(1000);
    expect(Array.from(r.grad)).toEqual(expectedGrad);
  });

  it('sparseCategoricalCrossEntropyFromLogits is exact for +-1000', () => {
    const r = valueAndGrad(sparseCategoricalCrossEntropyFromLogits, logits, [2, 3], MLArray.from([0, 0]));
    expect(r.value).toBe(1000);
    expect(Array.from(r.grad)).toEqual(expectedGrad);
  });

  it('sparse and one-hot forms agree on random logits', () => {
    const z = [0.3, -1.2, 2.5, 0.1, 0.7, -0.4, 1.1, 1.1, -3];
    const a = valueAndGrad(sparseCategoricalCrossEntropyFromLogits, z, [3, 3], MLArray.from([2, 0, 1]));
    const b = valueAndGrad(categoricalCrossEntropyFromLogits, z, [3, 3], MLArray.from([[0, 0, 1], [1, 0, 0], [0, 1, 0]]));
    expectClose([a.value], [b.value], 1e-14, 0);
    expectClose(a.grad, b.grad, 1e-12, 1e-16);
  });
});

describe('losses on probabilities clip instead of overflowing', () => {
  it('binaryCrossEntropy of saturated predictions is finite, with zero gradient where clipped', () => {
    // p = 0 with y = 1 is clipped to 1e-15: loss -ln(1e-15) / 2 = 34.538776394910684 / 2; the other
    // element (p = 1, y = 1) clips to 1 - 1e-15 (loss ~1e-15).
    const r = valueAndGrad(binaryCrossEntropy, [0, 1], [2], MLArray.from([1, 1]));
    expectClose([r.value], [(-Math.log(1e-15) - Math.log(1 - 1e-15)) / 2], 1e-12, 0);
    expect(Array.from(r.grad)).toEqual([0, 0]);
  });

  it('categoricalCrossEntropy clips at 1e-15 with zero gradient below it', () => {
    const r = valueAndGrad(categoricalCrossEntropy, [0, 1, 0.5, 0.5], [2, 2], MLArray.from([[1, 0], [0, 1]]));
    expectClose([r.value], [(-Math.log(1e-15) - Math.log(0.5)) / 2], 1e-15, 0);
    expect(Array.from(r.grad)).toEqual([0, -0, -0, -1]); // -y / (B p) = -1 / (2 * 0.5)
  });

  it('sparseCategoricalCrossEntropy equals categoricalCrossEntropy with one-hot rows, value and gradient', () => {
    const p = [0.2, 0.5, 0.3, 1e-20, 0.6, 0.4, 0.7, 0.1, 0.2];
    const a = valueAndGrad(sparseCategoricalCrossEntropy, p, [3, 3], MLArray.from([1, 0, 0]));
    const b = valueAndGrad(categoricalCrossEntropy, p, [3, 3], MLArray.from([[0, 1, 0], [1, 0, 0], [1, 0, 0]]));
    // row 1's label entry 1e-20 is clipped to 1e-15: loss -ln(1e-15) / 3 for it, gradient 0
    expectClose([a.value], [-(Math.log(0.5) + Math.log(1e-15) + Math.log(0.7)) / 3], 1e-15, 0);
    expectClose([a.value], [b.value], 1e-15, 0);
    expect(Array.from(a.grad, (g) => g + 0)).toEqual(Array.from(b.grad, (g) => g + 0));
    expect(a.grad[1]).toBeCloseTo(-1 / (3 * 0.5), 15);
    expect(a.grad[3]).toBe(0);
  });
});
