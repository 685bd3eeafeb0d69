/**
 * Defect 2 of issue 10: every target (and the validation data) is checked against the loss and the
 * network's output before the first update, and a bad one is reported by its index in the whole
 * data set, not in its batch.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng, type LossFunction } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import {
  binaryCrossEntropy,
  binaryCrossEntropyFromLogits,
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  mseLoss,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
} from '@smolml/losses';
import { Adam } from '@smolml/optim';
import { type ActivationFunction as Activation, DenseLayer, NeuralNetwork } from '../src/index.js';
import { expectBitIdentical, snapshot } from './helpers.js';

const X = MLArray.randn([10, 2], createRng(3));
const labels = [0, 1, 2, 1, 0, 2, 2, 1, 0, 1];
const oneHot = labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
const binary = labels.map((c) => [c === 1 ? 1 : 0]);

function net(loss: LossFunction, outputs: number, last: Activation | 'linear' | 'softmax' | 'sigmoid' = 'linear'): NeuralNetwork {
  const rng = createRng(1);
  return new NeuralNetwork([new DenseLayer(2, 4, 'tanh', new XavierUniform(), { rng }), new DenseLayer(4, outputs, last, new XavierUniform(), { rng })], loss, new Adam({ lr: 0.1 }));
}

/** Runs `call` and checks that it threw `type` matching `message` with the network untouched (weights and optimizer state). */
async function expectRefusedBeforeAnyUpdate(n: NeuralNetwork, call: () => unknown, type: typeof ValueError | typeof ShapeError, message: RegExp | string): Promise<void> {
  const w = snapshot(n.parameters());
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
  n.parameters().forEach((p, i) => {
    expectBitIdentical(p.data, w[i]!, `param ${i}`);
    expect(p.grad).toBeNull();
  });
  expect((n.optimizer as Adam).toJSON(n.parameters()).state.every((s) => s === null)).toBe(true);
}

const replaced = (arr: number[][] | number[], i: number, v: number[] | number): (number[] | number)[] => arr.map((r, k) => (k === i ? v : r));

describe('train, fit and evaluate check every target before the first update', () => {
  const cases: [string, () => NeuralNetwork, (number[] | number)[], string][] = [
    ['sparse label out of range (logits)', () => net(sparseCategoricalCrossEntropyFromLogits, 3), replaced(labels, 7, 3),
      'sparseCategoricalCrossEntropyFromLogits: y holds label 3 at index 7, which is not an integer class in [0, 3)'],
    ['negative sparse label', () => net(sparseCategoricalCrossEntropyFromLogits, 3), replaced(labels, 9, -1),
      'sparseCategoricalCrossEntropyFromLogits: y holds label -1 at index 9, which is not an integer class in [0, 3)'],
    ['fractional sparse label (probabilities)', () => net(sparseCategoricalCrossEntropy, 3, 'softmax'), replaced(labels, 5, 1.5),
      'sparseCategoricalCrossEntropy: y holds label 1.5 at index 5, which is not an integer class in [0, 3)'],
    ['one-hot row with a negative entry', () => net(categoricalCrossEntropyFromLogits, 3), replaced(oneHot, 8, [1, 1, -1]),
      'categoricalCrossEntropyFromLogits: y must hold probabilities in [0, 1], got -1 at row 8, column 2'],
    ['one-hot row summing to 2', () => net(categoricalCrossEntropy, 3, 'softmax'), replaced(oneHot, 6, [1, 1, 0]),
      'categoricalCrossEntropy: row 6 of y sums to 2, not 1; each row must be one-hot or a probability distribution (for several labels per sample use binaryCrossEntropyFromLogits)'],
    ['BCE target above 1', () => net(binaryCrossEntropy, 1, 'sigmoid'), replaced(binary, 9, [1.5]),
      'binaryCrossEntropy: y must hold probabilities in [0, 1], got 1.5 at row 9, column 0'],
    ['BCE-with-logits target below 0', () => net(binaryCrossEntropyFromLogits, 1), replaced(binary, 4, [-0.5]),
      'binaryCrossEntropyFromLogits: y must hold probabilities in [0, 1], got -0.5 at row 4, column 0'],
  ];

  for (const [name, make, y, message] of cases) {
    it(`${name}: train (batches of 3, the bad row is not in the first)`, async () => {
      const n = make();
      await expectRefusedBeforeAnyUpdate(n, () => n.train(X, y as number[], { epochs: 2, batchSize: 3 }), ValueError, `train: ${message}`);
    });
    it(`${name}: fit`, async () => {
      const n = make();
      await expectRefusedBeforeAnyUpdate(n, () => n.fit(X, y as number[], { epochs: 2, batchSize: 3 }), ValueError, `fit: ${message}`);
    });
    it(`${name}: validationData`, async () => {
      const n = make();
      const good = (y as unknown[]).map((r, i) => (Array.isArray(r) ? (name.includes('BCE') ? binary[i] : oneHot[i]) : labels[i]));
      const valMessage = message.replace(/\by\b/, 'validation y');
      await expectRefusedBeforeAnyUpdate(n, () => n.train(X, good as number[], { epochs: 2, batchSize: 3, validationData: [X, y as number[]] }), ValueError, `train: ${valMessage}`);
    });
    it(`${name}: evaluate`, async () => {
      const n = make();
      await expectRefusedBeforeAnyUpdate(n, () => n.evaluate(X, y as number[]), ValueError, `NeuralNetwork.evaluate: ${message}`);
    });
  }

  it('the number of classes comes from the network\'s actual output (a forward pass of one sample), not a declared size', () => {
    // an activation that drops the last column: the layer declares 3 outputs, the network gives 2
    const dropLast: Activation = (z) => z.take([0, 1], 1);
    const n = net(sparseCategoricalCrossEntropyFromLogits, 3, dropLast);
    expect(() => n.train(X, labels, { epochs: 1 })).toThrow('train: sparseCategoricalCrossEntropyFromLogits: y holds label 2 at index 2, which is not an integer class in [0, 2)');
    expect(n.train(X, labels.map((c) => c % 2), { epochs: 1 }).loss).toHaveLength(1);
  });

  it('targets of the wrong shape are refused before training, naming both shapes', async () => {
    const n = net(mseLoss, 3);
    await expectRefusedBeforeAnyUpdate(n, () => n.train(X, binary), ShapeError, 'train: mseLoss: yPred shape (10, 3) does not match y shape (10, 1); reshape one of them');
    const s = net(sparseCategoricalCrossEntropyFromLogits, 3);
    await expectRefusedBeforeAnyUpdate(s, () => s.train(X, oneHot), ShapeError, /^train: sparseCategoricalCrossEntropyFromLogits: y must hold one integer label per row, shape \(10,\), got \(10, 3\)/);
  });

  it('a custom loss has no target rule: its own errors come at its first batch, as before', () => {
    const strict: LossFunction = (p, t) => {
      if (t.data.some((v) => v > 1)) throw new ValueError('strict: target above 1');
      return mseLoss(p, t);
    };
    const n = net(strict, 1);
    const seen: number[] = [];
    expect(() => n.train(X, replaced(binary, 9, [2]) as number[][], { epochs: 1, batchSize: 5, callbacks: { onBatchEnd: (s) => void seen.push(s) } })).toThrow('strict: target above 1');
    expect(seen).toEqual([0]); // the first batch was trained: without a rule nothing could be checked up front
  });
});
