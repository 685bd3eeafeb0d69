import { describe, expect, it } from 'vitest';
import { createRng } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { categoricalCrossEntropy, mseLoss } from '@smolml/losses';
import { Adam } from '@smolml/optim';
import { DenseLayer, NeuralNetwork, formatBytes } from '../src/index.js';

function small(): NeuralNetwork {
  const rng = createRng(5);
  return new NeuralNetwork([new DenseLayer(2, 16, 'relu', new XavierUniform(), { rng }), new DenseLayer(16, 1, 'tanh', new XavierUniform(), { rng })], mseLoss);
}

describe('formatBytes', () => {
  it('uses B, KB (1024) and MB', () => {
    expect(formatBytes(520)).toBe('520 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MB');
  });
});

describe('summary', () => {
  it('tabulates layers, parameters and memory', () => {
    const net = new NeuralNetwork([new DenseLayer(784, 128, 'relu'), new DenseLayer(128, 10, 'softmax')], categoricalCrossEntropy, new Adam());
    const s = net.summary();
    expect(s.split('\n')[0]).toBe('NeuralNetwork: 2 layers, input (batch, 784)');
    expect(s).toMatch(/\n0 +DenseLayer\(784 -> 128, relu\) +\(batch, 128\) +100,480\n/);
    expect(s).toMatch(/\n1 +DenseLayer\(128 -> 10, softmax\) +\(batch, 10\) +1,290\n/);
    expect(s).toContain('Total params: 101,770 (trainable: 101,770, non-trainable: 0)');
    expect(s).toContain('Memory: 795.1 KB');
    expect(s).toContain('Loss: categoricalCrossEntropy  Optimizer: Adam');
    expect(String(net)).toBe(s);
    expect(small().summary()).toContain('Memory: 520 B');
  });
});
