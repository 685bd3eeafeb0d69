/**
 * Every case of the PyTorch float64 reference fixtures (fixtures/losses.json): the loss value and
 * its gradient with respect to yPred.
 */
import { describe, expect, it } from 'vitest';
import type { LossFunction } from '@smolml/core';
import { type FixtureTensor, expectClose, loadFixture } from '@smolml/test-utils';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  huber,
  maeLoss,
  mseLoss,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
} from '../src/index.js';
import { fromFixture } from './helpers.js';

interface LossCase {
  name: string;
  loss: string;
  params?: Record<string, number>;
  y_pred: FixtureTensor;
  y_true: FixtureTensor;
  loss_value: number;
  grad_y_pred: FixtureTensor;
}

// losses.json: the shared fixtures; sparse_categorical_cross_entropy.json: made by the script beside it
const cases = [
  ...loadFixture<LossCase[]>(import.meta.url, './fixtures/losses.json'),
  ...loadFixture<LossCase[]>(import.meta.url, './fixtures/sparse_categorical_cross_entropy.json'),
];

const byFixtureName: Record<string, (params: Record<string, number>) => LossFunction> = {
  mse: () => mseLoss,
  mae: () => maeLoss,
  huber: (p) => huber(p.delta!),
  binary_cross_entropy: () => binaryCrossEntropy,
  binary_cross_entropy_with_logits: () => binaryCrossEntropyWithLogits,
  categorical_cross_entropy: () => categoricalCrossEntropy,
  categorical_cross_entropy_from_logits: () => categoricalCrossEntropyFromLogits,
  sparse_categorical_cross_entropy_from_logits: () => sparseCategoricalCrossEntropyFromLogits,
  sparse_categorical_cross_entropy: () => sparseCategoricalCrossEntropy,
};

describe('losses fixtures (PyTorch float64)', () => {
  it('has a loss for every fixture (unknown losses fail) and covers all nine', () => {
    expect(cases).toHaveLength(11);
    const names = new Set(cases.map((c) => c.loss));
    expect(names.size).toBe(9);
    expect([...names].filter((n) => !(n in byFixtureName))).toEqual([]);
    expect(names.size).toBe(Object.keys(byFixtureName).length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const make = byFixtureName[c.loss];
    if (!make) throw new Error(`no loss for fixture ${c.loss}`);
    const yPred = fromFixture(c.y_pred, true);
    const out = make(c.params ?? {})(yPred, fromFixture(c.y_true));
    expect(out.shape).toEqual([]);
    expectClose([out.item()], [c.loss_value], 1e-9, 1e-12, `${c.name} value`);
    out.backward();
    expect([...yPred.grad!.shape]).toEqual(c.grad_y_pred.shape);
    expectClose(yPred.grad!.data, c.grad_y_pred.data, 1e-9, 1e-12, `${c.name} grad`);
  });
});
