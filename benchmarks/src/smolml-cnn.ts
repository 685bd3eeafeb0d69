/**
 * The smolml side of W5 through the public API: Conv2D(1,8,3,pad 1,relu)-MaxPool2D(2)-
 * Conv2D(8,16,3,pad 1,relu)-MaxPool2D(2)-Flatten-DenseLayer(784,10,softmax) in a
 * NeuralNetwork with categorical cross-entropy and Adam, trained by `net.train` without
 * shuffling.
 */
import { createRng } from '@smolml/core';
import { categoricalCrossEntropy } from '@smolml/losses';
import { Conv2D, DenseLayer, Flatten, MaxPool2D, NeuralNetwork } from '@smolml/nn';
import { Adam } from '@smolml/optim';
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
