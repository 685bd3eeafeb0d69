import { describe, expect, it } from 'vitest';
import { MLArray, ValueError } from '@smolml/core';
import { activationName, activations, elu, getActivation, isActivationName, leakyRelu, linear, relu, sigmoid, softmax, tanh } from '../src/activations.js';

const xs = [-3, -0.5, 0, 0.25, 2];
const x = MLArray.from([xs, xs.map((v) => v * 2)]);
const flat = (f: (v: number) => number): number[] => [...xs, ...xs.map((v) => v * 2)].map(f);

describe('activations', () => {
  it('compute their formulas elementwise', () => {
    const close = (a: MLArray, e: number[]): void => a.data.forEach((v, i) => expect(v).toBeCloseTo(e[i]!, 14));
    close(linear(x), flat((v) => v));
    close(relu(x), flat((v) => Math.max(0, v)));
    close(leakyRelu(x), flat((v) => (v > 0 ? v : 0.01 * v)));
    close(elu(x), flat((v) => (v > 0 ? v : Math.exp(v) - 1)));
    close(sigmoid(x), flat((v) => 1 / (1 + Math.exp(-v))));
    close(tanh(x), flat(Math.tanh));
  });

  it('softmax normalises each row (the last axis)', () => {
    const s = softmax(x);
    for (let r = 0; r < 2; r++) {
      const row = Array.from(s.data.subarray(r * 5, r * 5 + 5));
      const ex = xs.map((v) => Math.exp(v * (r + 1)));
      const z = ex.reduce((a, b) => a + b, 0);
      row.forEach((v, i) => expect(v).toBeCloseTo(ex[i]! / z, 15));
    }
  });

  it('relu has gradient 0 at 0 (the fixtures need it)', () => {
    const z = MLArray.from([0, 1, -1], { requiresGrad: true });
    relu(z).sum().backward();
    expect(Array.from(z.grad!.data)).toEqual([0, 1, 0]);
  });

  it('are addressable by name', () => {
    expect(Object.keys(activations).sort()).toEqual(['elu', 'leakyRelu', 'linear', 'relu', 'sigmoid', 'softmax', 'tanh']);
    for (const [name, fn] of Object.entries(activations)) {
      expect(getActivation(name)).toBe(fn);
      expect(activationName(fn)).toBe(name);
      expect(isActivationName(name)).toBe(true);
    }
    expect(activationName((v) => v)).toBeUndefined();
    expect(isActivationName('toString')).toBe(false);
  });

  it('an unknown name throws a ValueError listing the valid names', () => {
    expect(() => getActivation('swish')).toThrow(ValueError);
    expect(() => getActivation('swish')).toThrow(/^unknown activation "swish" \(string\); valid names are: linear, relu, leakyRelu, elu, sigmoid, tanh, softmax$/);
    for (const inherited of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(isActivationName(inherited)).toBe(false);
      expect(() => getActivation(inherited)).toThrow(ValueError);
    }
  });

  it.each([
    ['ReLU', 'relu'],
    ['softMax', 'softmax'],
    ['sigmoid ', 'sigmoid'],
    ['leaky_relu', 'leakyRelu'],
    ['tanhh', 'tanh'],
  ])('%j suggests %j', (name, suggested) => {
    expect(() => getActivation(name, 'DenseLayer')).toThrow(`DenseLayer: unknown activation ${JSON.stringify(name)} (string); did you mean '${suggested}'?`);
  });
});
