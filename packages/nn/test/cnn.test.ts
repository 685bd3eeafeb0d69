/**
 * A small CNN end to end: Conv2D, MaxPool2D, Flatten and DenseLayer in a NeuralNetwork learn to
 * tell two kinds of synthetic 6x6 images apart (a vertical or a horizontal bar).
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, createRng } from '@smolml/core';
import { Adam } from '@smolml/optim';
import { Conv2D, DenseLayer, Flatten, MaxPool2D, NeuralNetwork } from '../src/index.js';

/** n images (n, 1, 6, 6): a bar in a random row (label 0) or column (label 1), plus noise. */
function bars(n: number, seed: number): [MLArray, MLArray] {
  const rng = createRng(seed);
  const x = new Float64Array(n * 36);
  const y = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const label = s % 2;
    const at = rng.int(6);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) x[s * 36 + i * 6 + j] = 0.1 * rng.normal() + ((label === 0 ? i : j) === at ? 1 : 0);
    }
    y[s] = label;
  }
  return [new MLArray(x, [n, 1, 6, 6]), new MLArray(y, [n])];
}

function cnn(): NeuralNetwork {
  const rng = createRng(3);
  return new NeuralNetwork(
    [new Conv2D(1, 4, 3, { padding: 1, activation: 'relu', rng }), new MaxPool2D(2), new Flatten(), new DenseLayer(4 * 3 * 3, 2, 'linear', { rng })],
    'sparseCategoricalCrossEntropyFromLogits',
    new Adam({ lr: 0.02 }),
    { inputShape: [1, 6, 6] },
  );
}

describe('a CNN of Conv2D, MaxPool2D, Flatten and DenseLayer', () => {
  it('trains end to end and classifies held-out images', () => {
    const [x, y] = bars(64, 1);
    const net = cnn();
    const history = net.train(x, y, { epochs: 15, batchSize: 16, shuffle: true, seed: 2 });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]! / 4);
    const [xt, yt] = bars(40, 9);
    expect(net.evaluate(xt, yt).accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('shows every output shape before training, and refuses images of the wrong size up front', () => {
    const net = cnn();
    expect(net.outputShapes([5, 1, 6, 6])).toEqual([[5, 4, 6, 6], [5, 4, 3, 3], [5, 36], [5, 2]]);
    expect(net.summary()).toMatch(/\n1 +MaxPool2D\(2x2\) +\(batch, 4, 3, 3\) +0\n/);
    const [x, y] = bars(4, 1);
    const wrong = x.reshape([4, 1, 3, 12]);
    expect(() => net.train(wrong, y)).toThrow(ShapeError);
    expect(() => net.train(wrong, y)).toThrow('layer 3 (DenseLayer(36 -> 2, linear)): DenseLayer.forward: expected input of shape (batch, 36), received (1, 24)');
  });
});
