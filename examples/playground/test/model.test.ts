import { Adam, SGD } from '@smolml/optim';
import { describe, expect, it } from 'vitest';
import { MAX_UNITS, buildNetwork, parseLayers } from '../src/model.js';

describe('parseLayers', () => {
  it('reads comma-separated sizes, with or without spaces; empty means no hidden layer', () => {
    expect(parseLayers('16,16')).toEqual([16, 16]);
    expect(parseLayers(' 8 , 4 ,2 ')).toEqual([8, 4, 2]);
    expect(parseLayers('')).toEqual([]);
    expect(parseLayers('  ')).toEqual([]);
  });

  it.each(['16,', 'a', '0', '-3', '2.5', '16;16', String(MAX_UNITS + 1)])('rejects %j with a message naming the bad part', (text) => {
    expect(() => parseLayers(text)).toThrow(/layer sizes must be whole numbers/);
  });
});

describe('buildNetwork', () => {
  const config = { hidden: [16, 8], activation: 'relu', optimizer: 'Adam', lr: 0.02, seed: 5 } as const;

  it('stacks 2 -> hidden -> 1 logit with the chosen activation and optimizer', () => {
    const net = buildNetwork({ ...config, hidden: [...config.hidden] });
    expect(net.layers.map((l) => [l.inputSize, l.outputSize, l.activationName])).toEqual([
      [2, 16, 'relu'],
      [16, 8, 'relu'],
      [8, 1, 'linear'],
    ]);
    expect(net.optimizer).toBeInstanceOf(Adam);
    expect(net.predict([[0.5, -0.5]]).shape).toEqual([1, 1]);
  });

  it('with no hidden layer is a linear classifier; SGD when asked', () => {
    const net = buildNetwork({ ...config, hidden: [], optimizer: 'SGD' });
    expect(net.layers.map((l) => [l.inputSize, l.outputSize])).toEqual([[2, 1]]);
    expect(net.optimizer).toBeInstanceOf(SGD);
  });

  it('the same seed gives the same weights, another seed different ones', () => {
    const weights = (seed: number): number[][] => buildNetwork({ ...config, hidden: [...config.hidden], seed }).parameters().map((p) => [...p.data]);
    expect(weights(5)).toEqual(weights(5));
    expect(weights(6)).not.toEqual(weights(5));
  });
});
