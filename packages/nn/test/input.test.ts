/**
 * Nested input reaches core's MLArray.from unchanged wherever nn takes data (src/input.ts), so
 * absurdly deep nesting is refused at once with a ShapeError instead of exhausting the heap
 * (issue 10, defect 1: 80 KB of '[' used to abort Node after ~47 s).
 */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '@smolml/core';
import { mseLoss } from '@smolml/losses';
import { SGD } from '@smolml/optim';
import { DenseLayer, NeuralNetwork, StandardScaler, accuracy, oneHot, trainTestSplit } from '../src/index.js';

const deep = JSON.parse('['.repeat(40_000) + '1' + ']'.repeat(40_000)) as number[][];
const tooDeep = /nested input is more than 64 levels deep; arrays have at most 64 dimensions/;
const X = [[0, 1], [1, 0], [1, 1], [0, 0]];
const y = [[1], [1], [0], [0]];

function net(): NeuralNetwork {
  return new NeuralNetwork([new DenseLayer(2, 1, 'linear', { seed: 1 })], mseLoss, new SGD({ lr: 0.1 }));
}

describe('nested input 40,000 levels deep is refused at once with a ShapeError', () => {
  const calls: [string, (n: NeuralNetwork) => unknown][] = [
    ['predict', (n) => n.predict(deep)],
    ['forward', (n) => n.forward(deep)],
    ['train (X)', (n) => n.train(deep, y)],
    ['train (y)', (n) => n.train(X, deep)],
    ['train (validationData)', (n) => n.train(X, y, { validationData: [deep, y] })],
    ['evaluate', (n) => n.evaluate(X, deep)],
  ];
  it.each(calls)('%s', (_name, call) => {
    const n = net();
    const before = Array.from(n.parameters()[0]!.data);
    expect(() => call(n)).toThrow(ShapeError);
    expect(() => call(n)).toThrow(tooDeep);
    expect(Array.from(n.parameters()[0]!.data)).toEqual(before);
  });

  it('fit rejects with it', async () => {
    await expect(net().fit(deep, y)).rejects.toThrow(tooDeep);
  });

  it.each([
    ['oneHot', () => oneHot(deep, 2)],
    ['trainTestSplit', () => trainTestSplit(deep, y)],
    ['StandardScaler.fit', () => new StandardScaler().fit(deep)],
    ['accuracy', () => accuracy(deep, y)],
  ])('%s', (_name, call) => {
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(tooDeep);
  });
});
