/**
 * Dropout's defining properties (fast-check, seeded), and finite-difference gradient checks of
 * the layers' parameters through their own forward (Conv2D, BatchNorm in both modes, LayerNorm).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, createRng } from '@smolml/core';
import { BatchNorm, Conv2D, Dropout, type Layer, LayerNorm } from '../../src/index.js';

describe('Dropout', () => {
  it('training: every element is 0 or x / (1 - p), about a fraction p are 0; inference: the identity', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.integer({ min: 0, max: 2 ** 31 }), (p, seed) => {
        const x = MLArray.randn([40, 50], createRng(seed));
        const drop = new Dropout(p, { seed });
        const y = drop.forward(x, { training: true });
        let zeros = 0;
        y.data.forEach((v, i) => {
          if (v === 0) zeros++;
          else expect(v).toBe(x.data[i]! * (1 / (1 - p)));
        });
        // 2000 Bernoulli(p) draws: within 5 standard deviations
        expect(Math.abs(zeros / 2000 - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / 2000) + 1e-12);
        expect(drop.forward(x)).toBe(x);
        expect(drop.forward(x, { training: false })).toBe(x);
      }),
      { seed: 11, numRuns: 40 },
    );
  });

  it('same seed, same masks; the gradient is the mask', () => {
    const x = new MLArray(MLArray.randn([3, 8], createRng(1)).data, [3, 8], true);
    const a = new Dropout(0.4, { seed: 5 }).forward(x, { training: true });
    const b = new Dropout(0.4, { seed: 5 }).forward(x, { training: true });
    expect(a.data).toEqual(b.data);
    a.sum().backward();
    x.grad!.data.forEach((g, i) => expect(g).toBe(a.data[i] === 0 ? 0 : 1 / 0.6));
    // a shared rng seeds each layer once: reproducible, and the layers draw different masks
    const r1 = createRng(3);
    const r2 = createRng(3);
    const [d1, d2, d3] = [new Dropout(0.5, { rng: r1 }), new Dropout(0.5, { rng: r1 }), new Dropout(0.5, { rng: r2 })];
    const ones = MLArray.ones([1, 64]);
    const m1 = d1.forward(ones, { training: true }).data;
    expect(d3.forward(ones, { training: true }).data).toEqual(m1);
    expect(d2.forward(ones, { training: true }).data).not.toEqual(m1);
  });
});

/** Central differences of sum(forward(x) * w) with respect to every number of `arrays`, compared to backward. */
function expectGradients(layer: Layer, x: MLArray, training: boolean): void {
  const arrays = [x, ...layer.parameters()];
  const run = (): MLArray => layer.forward(x, { training });
  const out = run();
  const w = MLArray.randn(out.shape, createRng(7));
  arrays.forEach((a) => a.zeroGrad());
  out.mul(w).sum().backward();
  const objective = (): number => MLArray.noGrad(() => run().mul(w).sum().item());
  const h = 1e-6;
  arrays.forEach((a, k) => {
    const analytic = a.grad!.data;
    for (let i = 0; i < a.size; i++) {
      const v = a.data[i]!;
      a.data[i] = v + h;
      const up = objective();
      a.data[i] = v - h;
      const down = objective();
      a.data[i] = v;
      const numeric = (up - down) / (2 * h);
      if (!(Math.abs(numeric - analytic[i]!) <= 1e-6 + 1e-5 * Math.abs(numeric))) expect.fail(`array ${k}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`);
    }
  });
}

describe('finite-difference gradients of the layers', () => {
  const rng = createRng(21);
  const leaf = (shape: number[]): MLArray => new MLArray(MLArray.randn(shape, rng).data, shape, true);

  it('Conv2D (stride, padding, bias, activation)', () => {
    expectGradients(new Conv2D(2, 3, [3, 2], { stride: [2, 1], padding: 1, activation: 'tanh', rng }), leaf([2, 2, 5, 4]), true);
  });

  it('BatchNorm in training (through the batch statistics) and inference, 2-d and 4-d', () => {
    const bn = new BatchNorm(3);
    bn.gamma.data.set([0.5, 1.5, -1]);
    bn.beta.data.set([0.1, 0, -0.2]);
    expectGradients(bn, leaf([4, 3]), true);
    expectGradients(bn, leaf([2, 3, 2, 3]), true);
    expectGradients(bn, leaf([2, 3, 2, 3]), false);
  });

  it('LayerNorm over one and two trailing dims', () => {
    const ln = new LayerNorm([2, 3]);
    ln.gamma.data.set([1, 2, 0.5, -1, 0.3, 1.1]);
    expectGradients(ln, leaf([3, 2, 3]), true);
    expectGradients(new LayerNorm(4), leaf([5, 4]), false);
  });
});
