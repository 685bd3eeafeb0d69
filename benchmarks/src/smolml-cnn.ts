/**
 * The smolml side of W5 through the public API: Conv2D(1,8,3,pad 1,relu)-MaxPool2D(2)-
 * Conv2D(8,16,3,pad 1,relu)-MaxPool2D(2)-Flatten-DenseLayer(784,10,softmax) in a
 * NeuralNetwork with categorical cross-entropy and Adam, trained by `net.train` without
 * shuffling; and the examples/mnist-cnn network for its epoch-time case.
 */
import { createRng } from '@smolml/core';
import { HeUniform } from '@smolml/init';
import { categoricalCrossEntropy } from '@smolml/losses';
import { Activation, BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, MaxPool2D, NeuralNetwork } from '@smolml/nn';
import { Adam, stepDecay } from '@smolml/optim';
import type { SmolModel } from './smolml-model.js';

/** The W5 network with its Adam optimizer (learning rate `lr`), seeded. */
export function buildCnn(seed: number, lr: number): SmolModel {
  const rng = createRng(seed);
  const net = new NeuralNetwork(
    [
      new Conv2D(1, 8, 3, { padding: 1, activation: 'relu', rng }),
      new MaxPool2D(2),
      new Conv2D(8, 16, 3, { padding: 1, activation: 'relu', rng }),
      new MaxPool2D(2),
      new Flatten(),
      new DenseLayer(784, 10, 'softmax', { rng }),
    ],
    categoricalCrossEntropy,
    new Adam({ lr }),
    { inputShape: [1, 28, 28] },
  );
  return {
    api: '@smolml/nn NeuralNetwork.train (Conv2D, MaxPool2D, Flatten, DenseLayer)',
    train(x, y, epochs, batchSize) {
      const history = net.train(x, y, { epochs, batchSize, shuffle: false });
      return history.loss.at(-1)!;
    },
    predict: (x) => net.predict(x),
  };
}

/**
 * The network of examples/mnist-cnn, layer for layer and with its optimizer: a copy of
 * `buildCnn` in examples/mnist-cnn/src/cnn.ts (keep the two in step). It is copied, not
 * imported, because the example is TypeScript run by tsx (and imports Node-only helpers),
 * while the benchmark runs compiled JavaScript on plain Node.
 */
export function buildExampleCnn(seed: number, lr: number, batchesPerEpoch: number): NeuralNetwork {
  const rng = createRng(seed);
  return new NeuralNetwork(
    [
      new Conv2D(1, 16, 3, { padding: 1, rng }),
      new BatchNorm(16),
      new Activation('relu'),
      new MaxPool2D(2),
      new Conv2D(16, 32, 3, { padding: 1, rng }),
      new BatchNorm(32),
      new Activation('relu'),
      new MaxPool2D(2),
      new Flatten(),
      new DenseLayer(32 * 7 * 7, 128, 'relu', new HeUniform(), { rng }),
      new Dropout(0.25, { rng }),
      new DenseLayer(128, 10, 'linear', { rng }),
    ],
    'categoricalCrossEntropyFromLogits',
    new Adam({ lr: stepDecay(lr, batchesPerEpoch, 0.8) }),
    { inputShape: [1, 28, 28] },
  );
}
