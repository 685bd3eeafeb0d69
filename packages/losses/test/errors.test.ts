import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, type LossFunction } from '@smolml/core';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  huber,
  huberLoss,
  maeLoss,
  mseLoss,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
} from '../src/index.js';

const sameShapeLosses: [string, LossFunction][] = [
  ['mseLoss', mseLoss],
  ['maeLoss', maeLoss],
  ['huberLoss', huberLoss],
  ['huber(2)', huber(2)],
  ['binaryCrossEntropy', binaryCrossEntropy],
  ['binaryCrossEntropyFromLogits', binaryCrossEntropyWithLogits],
  ['categoricalCrossEntropy', categoricalCrossEntropy],
  ['categoricalCrossEntropyFromLogits', categoricalCrossEntropyFromLogits],
];

describe('shape errors', () => {
  it.each(sameShapeLosses)('%s: mismatched shapes name the loss and both shapes', (name, loss) => {
    const p = MLArray.full([4, 3], 0.5);
    const t = MLArray.full([4, 1], 0);
    expect(() => loss(p, t)).toThrow(ShapeError);
    expect(() => loss(p, t)).toThrow(`${name}: yPred shape (4, 3) does not match yTrue shape (4, 1)`);
    // (B,) against (B, 1) must not broadcast into (B, B)
    expect(() => loss(MLArray.full([4], 0.5), MLArray.full([4, 1], 0))).toThrow('yPred shape (4,) does not match yTrue shape (4, 1)');
  });

  it.each(sameShapeLosses)('%s: a non-MLArray input throws ValueError', (name, loss) => {
    expect(() => loss([[1]] as unknown as MLArray, MLArray.from([[1]]))).toThrow(ValueError);
    expect(() => loss(MLArray.from([[1]]), null as unknown as MLArray)).toThrow(`${name}: yTrue must be an MLArray, got null`);
  });

  it.each(sameShapeLosses)('%s: empty arrays are rejected', (_name, loss) => {
    expect(() => loss(MLArray.zeros([0, 3]), MLArray.zeros([0, 3]))).toThrow(ShapeError);
  });

  it.each([
    ['categoricalCrossEntropy', categoricalCrossEntropy],
    ['categoricalCrossEntropyFromLogits', categoricalCrossEntropyFromLogits],
  ] as const)('%s needs a 2-d (batch, classes) input', (name, loss) => {
    expect(() => loss(MLArray.from([0.2, 0.8]), MLArray.from([0, 1]))).toThrow(`${name}: yPred must be 2-d (batch, classes) and non-empty, got shape (2,)`);
    expect(() => loss(MLArray.full([2, 2, 2], 0.5), MLArray.full([2, 2, 2], 0.5))).toThrow(ShapeError);
  });
});

describe('target errors', () => {
  it.each([
    ['binaryCrossEntropy', binaryCrossEntropy],
    ['binaryCrossEntropyFromLogits', binaryCrossEntropyWithLogits],
    ['categoricalCrossEntropy', categoricalCrossEntropy],
    ['categoricalCrossEntropyFromLogits', categoricalCrossEntropyFromLogits],
  ] as const)('%s: targets outside [0, 1] throw ValueError naming the row and column', (name, loss) => {
    const p = MLArray.from([[0.5, 0.5], [0.5, 0.5]]);
    for (const bad of [1.5, -0.1, Number.NaN]) {
      expect(() => loss(p, MLArray.from([[0, 1], [0, bad]]))).toThrow(ValueError);
      expect(() => loss(p, MLArray.from([[0, 1], [0, bad]]))).toThrow(`${name}: yTrue must hold probabilities in [0, 1], got ${bad} at row 1, column 1`);
    }
  });

  it('binary targets of any rank name the element', () => {
    const p = MLArray.full([2, 2, 2], 0.5);
    const t = MLArray.zeros([2, 2, 2]);
    t.data[6] = -1;
    expect(() => binaryCrossEntropy(p, t)).toThrow('got -1 at index [1, 1, 0]');
    expect(() => binaryCrossEntropy(MLArray.from([0.5, 0.5]), MLArray.from([0, 2]))).toThrow('got 2 at index 1');
  });

  it.each([
    ['categoricalCrossEntropy', categoricalCrossEntropy],
    ['categoricalCrossEntropyFromLogits', categoricalCrossEntropyFromLogits],
  ] as const)('%s: rows must sum to 1 (one-hot or a distribution)', (name, loss) => {
    const p = MLArray.from([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
    expect(() => loss(p, MLArray.from([[0, 1], [0, 0], [1, 0]]))).toThrow(ValueError);
    expect(() => loss(p, MLArray.from([[0, 1], [0, 0], [1, 0]]))).toThrow(`${name}: row 1 of yTrue sums to 0, not 1; each row must be one-hot or a probability distribution`);
    expect(() => loss(p, MLArray.from([[0, 1], [1, 0], [1, 1]]))).toThrow('row 2 of yTrue sums to 2, not 1');
    // soft labels that sum to 1 up to rounding are fine
    expect(Number.isFinite(loss(p, MLArray.from([[0.1, 0.9], [0.3, 0.7], [1 / 3, 2 / 3]])).item())).toBe(true);
  });
});

describe.each([
  ['sparseCategoricalCrossEntropy', sparseCategoricalCrossEntropy],
  ['sparseCategoricalCrossEntropyFromLogits', sparseCategoricalCrossEntropyFromLogits],
] as const)('%s errors', (name, loss) => {
  const pred = MLArray.from([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]);
  it.each([
    [[0, 3], 'yTrue holds label 3 at index 1, which is not an integer class in [0, 3)'],
    [[-1, 0], 'yTrue holds label -1 at index 0, which is not an integer class in [0, 3)'],
    [[0.5, 1], 'yTrue holds label 0.5 at index 0, which is not an integer class in [0, 3)'],
    [[0, Number.NaN], 'yTrue holds label NaN at index 1, which is not an integer class in [0, 3)'],
  ])('labels %j throw ValueError', (labels, msg) => {
    expect(() => loss(pred, MLArray.from(labels))).toThrow(ValueError);
    expect(() => loss(pred, MLArray.from(labels))).toThrow(`${name}: ${msg}`);
  });

  it('labels must have shape (B,)', () => {
    expect(() => loss(pred, MLArray.from([[0], [1]]))).toThrow(ShapeError);
    expect(() => loss(pred, MLArray.from([[0], [1]]))).toThrow('yTrue must hold one integer label per row, shape (2,), got (2, 1)');
    expect(() => loss(pred, MLArray.from([0, 1, 2]))).toThrow(ShapeError);
  });

  it('predictions must be 2-d', () => {
    expect(() => loss(MLArray.from([0.1, 0.2, 0.7]), MLArray.from([0]))).toThrow(`${name}: yPred must be 2-d (batch, classes)`);
  });
});
