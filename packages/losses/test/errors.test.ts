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
  sparseCategoricalCrossEntropyFromLogits,
} from '../src/index.js';

const sameShapeLosses: [string, LossFunction][] = [
  ['mseLoss', mseLoss],
  ['maeLoss', maeLoss],
  ['huberLoss', huberLoss],
  ['huber(2)', huber(2)],
  ['binaryCrossEntropy', binaryCrossEntropy],
  ['binaryCrossEntropyWithLogits', binaryCrossEntropyWithLogits],
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
    ['binaryCrossEntropyWithLogits', binaryCrossEntropyWithLogits],
    ['categoricalCrossEntropy', categoricalCrossEntropy],
    ['categoricalCrossEntropyFromLogits', categoricalCrossEntropyFromLogits],
  ] as const)('%s: targets outside [0, 1] throw ValueError', (name, loss) => {
    const p = MLArray.from([[0.5, 0.5]]);
    for (const bad of [1.5, -0.1, Number.NaN]) {
      expect(() => loss(p, MLArray.from([[0, bad]]))).toThrow(ValueError);
      expect(() => loss(p, MLArray.from([[0, bad]]))).toThrow(`${name}: yTrue must hold probabilities in [0, 1], got ${bad} at flat index 1`);
    }
  });
});

describe('sparseCategoricalCrossEntropyFromLogits errors', () => {
  const loss = sparseCategoricalCrossEntropyFromLogits;
  const logits = MLArray.from([[1, 2, 3], [4, 5, 6]]);
  it.each([
    [[0, 3], 'label 3 at index 1 is not an integer class in [0, 3)'],
    [[-1, 0], 'label -1 at index 0 is not an integer class in [0, 3)'],
    [[0.5, 1], 'label 0.5 at index 0 is not an integer class in [0, 3)'],
    [[0, Number.NaN], 'label NaN at index 1 is not an integer class in [0, 3)'],
  ])('labels %j throw ValueError', (labels, msg) => {
    expect(() => loss(logits, MLArray.from(labels))).toThrow(ValueError);
    expect(() => loss(logits, MLArray.from(labels))).toThrow(msg);
  });

  it('labels must have shape (B,)', () => {
    expect(() => loss(logits, MLArray.from([[0], [1]]))).toThrow(ShapeError);
    expect(() => loss(logits, MLArray.from([[0], [1]]))).toThrow('yTrue must hold one integer label per row, shape (2,), got (2, 1)');
    expect(() => loss(logits, MLArray.from([0, 1, 2]))).toThrow(ShapeError);
  });

  it('logits must be 2-d', () => {
    expect(() => loss(MLArray.from([1, 2, 3]), MLArray.from([0]))).toThrow('yPred (logits) must be 2-d (batch, classes)');
  });
});
