/**
 * Property tests: on random inputs (shapes and values drawn by fast-check through a seeded Rng),
 * backward() agrees with central finite differences (core's gradcheck). Inputs stay away from
 * the kinks (|d| = 0, |d| = delta) and from the clip bounds, where the gradient is one-sided.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, createRng, gradcheck, type LossFunction, type Rng } from '@smolml/core';
import {
  binaryCrossEntropy,
  binaryCrossEntropyFromLogits,
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  huber,
  maeLoss,
  mseLoss,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
} from '../src/index.js';

const fill = (shape: number[], rng: Rng, f: (rng: Rng) => number): MLArray => {
  const a = MLArray.zeros(shape);
  for (let i = 0; i < a.size; i++) a.data[i] = f(rng);
  return a;
};
const between = (lo: number, hi: number) => (rng: Rng) => lo + (hi - lo) * rng.uniform();
const sign = (rng: Rng) => (rng.uniform() < 0.5 ? -1 : 1);
/** Target rows that are probability distributions (soft labels). */
const distributionRows = (b: number, c: number, rng: Rng): MLArray => {
  const t = fill([b, c], rng, between(0, 1));
  for (let i = 0; i < b; i++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += t.data[i * c + j]!;
    for (let j = 0; j < c; j++) t.data[i * c + j]! /= s;
  }
  return t;
};

type Make = (b: number, c: number, rng: Rng) => { loss: LossFunction; yPred: MLArray; yTrue: MLArray };

/** d = yPred - yTrue with |d| in [lo, hi] and a random sign. */
const withDiffs = (b: number, c: number, rng: Rng, magnitude: (rng: Rng) => number) => {
  const yTrue = fill([b, c], rng, between(-2, 2));
  const yPred = MLArray.from(Array.from(yTrue.data, (t) => t + sign(rng) * magnitude(rng)), { shape: [b, c] });
  return { yPred, yTrue };
};

const cases: [string, Make][] = [
  ['mseLoss', (b, c, rng) => ({ loss: mseLoss, ...withDiffs(b, c, rng, between(0, 3)) })],
  ['maeLoss', (b, c, rng) => ({ loss: maeLoss, ...withDiffs(b, c, rng, between(0.05, 3)) })],
  ['huber(0.7)', (b, c, rng) => ({ loss: huber(0.7), ...withDiffs(b, c, rng, (r) => (r.uniform() < 0.5 ? between(0.05, 0.65)(r) : between(0.75, 3)(r))) })],
  ['binaryCrossEntropy', (b, c, rng) => ({ loss: binaryCrossEntropy, yPred: fill([b, c], rng, between(0.05, 0.95)), yTrue: fill([b, c], rng, between(0, 1)) })],
  ['binaryCrossEntropyFromLogits', (b, c, rng) => ({ loss: binaryCrossEntropyFromLogits, yPred: fill([b, c], rng, between(-6, 6)), yTrue: fill([b, c], rng, between(0, 1)) })],
  ['categoricalCrossEntropy', (b, c, rng) => ({ loss: categoricalCrossEntropy, yPred: fill([b, c], rng, between(0.05, 1)), yTrue: distributionRows(b, c, rng) })],
  ['categoricalCrossEntropyFromLogits', (b, c, rng) => ({ loss: categoricalCrossEntropyFromLogits, yPred: fill([b, c], rng, between(-6, 6)), yTrue: distributionRows(b, c, rng) })],
  [
    'sparseCategoricalCrossEntropy',
    (b, c, rng) => ({ loss: sparseCategoricalCrossEntropy, yPred: fill([b, c], rng, between(0.05, 1)), yTrue: fill([b], rng, (r) => r.int(c)) }),
  ],
  [
    'sparseCategoricalCrossEntropyFromLogits',
    (b, c, rng) => ({ loss: sparseCategoricalCrossEntropyFromLogits, yPred: fill([b, c], rng, between(-6, 6)), yTrue: fill([b], rng, (r) => r.int(c)) }),
  ],
];

describe('gradcheck on random inputs', () => {
  it.each(cases)('%s', (_name, make) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (b, c, seed) => {
        const { loss, yPred, yTrue } = make(b, c, createRng(seed));
        const out = loss(yPred, yTrue);
        expect(out.shape).toEqual([]);
        expect(Number.isFinite(out.item())).toBe(true);
        const r = gradcheck((p) => loss(p, yTrue), [yPred], { atol: 1e-7, rtol: 1e-6 });
        expect(r.failure).toBeUndefined();
        expect(r.ok).toBe(true);
      }),
      { numRuns: 40, seed: 20240610 },
    );
  });

  it('the regression losses are also differentiable with respect to yTrue', () => {
    const rng = createRng(3);
    for (const loss of [mseLoss, maeLoss, huber(0.5)]) {
      const { yPred, yTrue } = withDiffs(3, 4, rng, between(0.05, 0.45));
      expect(gradcheck((p, t) => loss(p, t), [yPred, yTrue]).ok).toBe(true);
    }
  });
});
