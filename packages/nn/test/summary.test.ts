import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { categoricalCrossEntropy, mseLoss } from '@smolml/losses';
import { Adam } from '@smolml/optim';
import { BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, MaxPool2D, NeuralNetwork, formatBytes } from '../src/index.js';

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

describe('summary of a CNN, before training', () => {
  const cnn = (): NeuralNetwork =>
    new NeuralNetwork(
      [new Conv2D(1, 4, 3, { padding: 1, activation: 'relu', seed: 1 }), new BatchNorm(4), new MaxPool2D(2), new Flatten(), new Dropout(0.5, { seed: 1 }), new DenseLayer(4 * 5 * 5, 3, 'linear', { seed: 1 })],
      'sparseCategoricalCrossEntropyFromLogits',
      new Adam(),
    );

  it('shows ? without an input shape, and every output shape from a shape or a sample batch', () => {
    const net = cnn();
    expect(net.inputShape).toBeNull();
    expect(net.summary()).toMatch(/\n0 +Conv2D\(1 -> 4, 3x3, padding 1, relu\) +\? +40\n/);
    expect(net.summary()).toContain('input shape unknown');
    const s = net.summary([1, 10, 10]);
    expect(s.split('\n')[0]).toBe('NeuralNetwork: 6 layers, input (batch, 1, 10, 10)');
    expect(s).toMatch(/\n1 +BatchNorm\(4\) +\(batch, 4, 10, 10\) +8\n/);
    expect(s).toMatch(/\n2 +MaxPool2D\(2x2\) +\(batch, 4, 5, 5\) +0\n/);
    expect(s).toMatch(/\n4 +Dropout\(0.5\) +\(batch, 100\) +0\n/);
    expect(s).toMatch(/\n5 +DenseLayer\(100 -> 3, linear\) +\(batch, 3\) +303\n/);
    expect(s).toContain('Total params: 359 (trainable: 351, non-trainable: 8)');
    expect(net.summary(MLArray.zeros([7, 1, 10, 10]))).toBe(s);
    expect(() => net.summary([1, 12, 12])).toThrow(ShapeError);
    expect(() => net.summary([1, 12, 12])).toThrow('NeuralNetwork.summary: layer 5 (DenseLayer(100 -> 3, linear)): DenseLayer.forward: expected input of shape (batch, 100), received (1, 144)');
    expect(() => net.summary([0, 1] as never)).toThrow(ValueError);
    expect(String(net)).toBe(net.summary());
    // the summary runs nothing in training mode: the running statistics are untouched
    expect(Array.from((net.layers[1] as BatchNorm).runningMean.data)).toEqual([0, 0, 0, 0]);
  });
});
