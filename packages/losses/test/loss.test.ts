import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError } from '@smolml/core';
import { type Loss, defineLoss, huber, losses, targets } from '../src/index.js';

describe('every built-in loss describes itself', () => {
  it('fromLogits is true exactly for the losses on logits', () => {
    const fromLogits = Object.entries(losses).filter(([, l]) => l.fromLogits).map(([n]) => n).sort();
    expect(fromLogits).toEqual(['binaryCrossEntropyFromLogits', 'categoricalCrossEntropyFromLogits', 'sparseCategoricalCrossEntropyFromLogits']);
    expect(huber(0.5).fromLogits).toBe(false);
  });

  // `{y}` stands for the name of the targets: 'y' from checkTargets(y, shape, 'y'), 'yTrue' in a call
  const cases: [string, MLArray, number[], string][] = [
    ['mseLoss', MLArray.zeros([6, 2]), [6, 3], 'mseLoss: yPred shape (6, 3) does not match {y} shape (6, 2)'],
    ['binaryCrossEntropy', MLArray.from([[0], [1], [1], [0.5], [-0.25]]), [5, 1], 'binaryCrossEntropy: {y} must hold probabilities in [0, 1], got -0.25 at row 4, column 0'],
    ['categoricalCrossEntropyFromLogits', MLArray.from([[0, 1], [1, 0], [0, 1], [-1, 2]]), [4, 2], 'categoricalCrossEntropyFromLogits: {y} must hold probabilities in [0, 1], got -1 at row 3, column 0'],
    ['categoricalCrossEntropy', MLArray.from([[0, 1], [1, 0], [0.5, 0.25]]), [3, 2], 'categoricalCrossEntropy: row 2 of {y} sums to 0.75, not 1'],
    ['sparseCategoricalCrossEntropyFromLogits', MLArray.from([0, 1, 2, 1, 3]), [5, 3], 'sparseCategoricalCrossEntropyFromLogits: {y} holds label 3 at index 4, which is not an integer class in [0, 3)'],
    ['sparseCategoricalCrossEntropy', MLArray.from([0, 1]), [2, 1], 'sparseCategoricalCrossEntropy: {y} holds label 1 at index 1, which is not an integer class in [0, 1)'],
  ];
  it.each(cases)('%s.checkTargets checks a whole data set, naming the sample', (name, y, predShape, message) => {
    const loss = losses[name]!;
    expect(() => loss.checkTargets(y, predShape, 'y')).toThrow(message.replace('{y}', 'y'));
    // the loss itself applies the same rule on every call
    expect(() => loss(MLArray.full(predShape, 0.5), y)).toThrow(message.replace('{y}', 'yTrue'));
  });

  it('checkTargets accepts good targets, and refuses a non-array', () => {
    const l = losses.categoricalCrossEntropyFromLogits!;
    expect(() => l.checkTargets(MLArray.from([[0, 1], [0.5, 0.5]]), [2, 2])).not.toThrow();
    expect(() => l.checkTargets([[0, 1]] as unknown as MLArray, [1, 2])).toThrow(/categoricalCrossEntropyFromLogits: yTrue must be an MLArray, got \[\[\.\.\]\] \(array\)/);
    expect(() => losses.sparseCategoricalCrossEntropyFromLogits!.checkTargets(MLArray.from([0]), [1])).toThrow(ShapeError);
  });
});

describe('defineLoss', () => {
  const cube: Loss = defineLoss('cubeLoss', { targets: targets.values }, (p, t) => p.sub(t).abs().pow(3).mean());
  it('makes a loss with a name, the target rule and fromLogits', () => {
    expect(cube.name).toBe('cubeLoss');
    expect(cube.fromLogits).toBe(false);
    expect(cube(MLArray.from([2, 0]), MLArray.from([0, 1])).item()).toBe(4.5);
    expect(() => cube(MLArray.from([2, 0]), MLArray.from([0]))).toThrow('cubeLoss: yPred shape (2,) does not match yTrue shape (1,)');
    expect(() => cube(MLArray.from([2, 0]), 'y' as unknown as MLArray)).toThrow(ValueError);
    const logitLoss = defineLoss('mine', { fromLogits: true, targets: targets.probabilities }, (p, t) => p.sub(t).mean());
    expect(logitLoss.fromLogits).toBe(true);
    expect(() => logitLoss.checkTargets(MLArray.from([2]), [1])).toThrow('mine: yTrue must hold probabilities in [0, 1], got 2 at index 0');
  });
  it('refuses a missing target rule', () => {
    expect(() => defineLoss('x', {} as never, (p) => p.sum())).toThrow(/defineLoss: targets must be a target rule function, got undefined/);
  });
});
