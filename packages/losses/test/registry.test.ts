import { describe, expect, it } from 'vitest';
import { MLArray, ValueError, type LossFunction } from '@smolml/core';
import {
  binaryCrossEntropyFromLogits,
  binaryCrossEntropyWithLogits,
  getLoss,
  huber,
  huberLoss,
  lossAliases,
  lossName,
  losses,
  maeLoss,
  mseLoss,
} from '../src/index.js';

const canonicalNames = [
  'mseLoss',
  'maeLoss',
  'huberLoss',
  'binaryCrossEntropy',
  'binaryCrossEntropyFromLogits',
  'categoricalCrossEntropy',
  'categoricalCrossEntropyFromLogits',
  'sparseCategoricalCrossEntropy',
  'sparseCategoricalCrossEntropyFromLogits',
];

describe('loss registry', () => {
  it('holds exactly the built-in parameterless losses under their canonical names', () => {
    expect(Object.keys(losses).sort()).toEqual([...canonicalNames].sort());
  });

  it.each(canonicalNames)('%s: name, lossName and getLoss agree', (name) => {
    const fn = losses[name]!;
    expect(fn.name).toBe(name);
    expect(lossName(fn)).toBe(name);
    expect(getLoss(name)).toBe(fn);
  });

  it('short aliases and the deprecated name resolve to the same functions', () => {
    expect(lossAliases).toEqual({ mse: 'mseLoss', mae: 'maeLoss', huber: 'huberLoss', binaryCrossEntropyWithLogits: 'binaryCrossEntropyFromLogits' });
    expect(getLoss('mse')).toBe(mseLoss);
    expect(getLoss('mae')).toBe(maeLoss);
    expect(getLoss('huber')).toBe(huberLoss);
    // the old name is the same function, so models saved with it load, and save under the new name
    expect(binaryCrossEntropyWithLogits).toBe(binaryCrossEntropyFromLogits);
    expect(getLoss('binaryCrossEntropyWithLogits')).toBe(binaryCrossEntropyFromLogits);
    expect(lossName(binaryCrossEntropyWithLogits)).toBe('binaryCrossEntropyFromLogits');
  });

  it.each([0.5, 1, 0.1 + 0.2, 1e-300, 12345.678])('huber(%d) round-trips through its name exactly', (delta) => {
    const loss = huber(delta);
    expect(loss.name).toBe('huber');
    expect(loss.config).toEqual({ delta });
    const name = lossName(loss)!;
    expect(name).toBe(`huber(${delta})`);
    const back = getLoss(name) as ReturnType<typeof huber>;
    expect(back.config.delta).toBe(delta);
    const p = MLArray.from([0.2, -3, 1.5]);
    const t = MLArray.from([0, 0, 0]);
    expect(back(p, t).item()).toBe(loss(p, t).item());
  });

  it('huberLoss equals huber(1) but keeps its own name', () => {
    const p = MLArray.from([[0.3, -2.5], [4, 0.99]]);
    const t = MLArray.zeros([2, 2]);
    expect(huberLoss(p, t).item()).toBe(huber(1)(p, t).item());
    expect(lossName(huberLoss)).toBe('huberLoss');
  });

  it('a custom function has no name, even if it is called like a built-in', () => {
    const custom: LossFunction = (a, b) => mseLoss(a, b).mul(2);
    const impostor = { mseLoss: (a: MLArray, b: MLArray) => mseLoss(a, b) }.mseLoss;
    expect(impostor.name).toBe('mseLoss');
    expect(lossName(custom)).toBeUndefined();
    expect(lossName(impostor)).toBeUndefined();
  });

  it.each(['MSE', 'mse_loss', 'huber()', 'huber(-1)', 'huber(0)', 'huber(abc)', 'huber(Infinity)', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty'])(
    'unknown name %j throws ValueError listing the known names',
    (name) => {
      expect(() => getLoss(name)).toThrow(ValueError);
      expect(() => getLoss(name)).toThrow(/getLoss: unknown loss .*known: mseLoss, maeLoss/);
    },
  );

  it.each([
    // typos and case
    ['mse_loss', 'mseLoss'],
    ['MSE', 'mse'],
    ['categoricalCrossEntropyFromLogit', 'categoricalCrossEntropyFromLogits'],
    // TF.js / Keras spellings
    ['binaryCrossentropy', 'binaryCrossEntropy'],
    ['categorical_crossentropy', 'categoricalCrossEntropy'],
    ['sparseCategoricalCrossentropy', 'sparseCategoricalCrossEntropy'],
    ['meanSquaredError', 'mseLoss'],
    ['mean_absolute_error', 'maeLoss'],
    // PyTorch spellings
    ['MSELoss', 'mseLoss'],
    ['BCEWithLogitsLoss', 'binaryCrossEntropyFromLogits'],
    ['CrossEntropyLoss', 'sparseCategoricalCrossEntropyFromLogits'],
  ])('%j suggests %j', (name, suggested) => {
    expect(() => getLoss(name)).toThrow(`; did you mean '${suggested}'?`);
  });

  it('names the caller and keeps messages short for hostile names', () => {
    expect(() => getLoss('msee', 'NeuralNetwork')).toThrow(/^NeuralNetwork: unknown loss "msee" \(string\); did you mean 'mse'\?/);
    let message = '';
    try {
      getLoss('x'.repeat(5e6));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.length).toBeLessThan(500);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => getLoss(cyclic as unknown as string)).toThrow(/unknown loss object \{self\}/);
  });

  it('huber rejects a non-positive or non-finite delta', () => {
    for (const d of [0, -1, Number.NaN, Infinity]) expect(() => huber(d)).toThrow(/huber: delta must be a finite number in \(0, inf\)/);
  });
});
