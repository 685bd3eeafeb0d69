/**
 * The smolml side of W1–W3 through the public high-level API (SPEC.md): DenseLayer and
 * NeuralNetwork from @smolml/nn, losses from @smolml/losses, optimizers from @smolml/optim.
 */
import { createRng, type MLArray } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { categoricalCrossEntropy, mseLoss } from '@smolml/losses';
import { DenseLayer, NeuralNetwork } from '@smolml/nn';
import { AdaGrad, Adam, SGD } from '@smolml/optim';
import type { ModelSpec, SmolModel } from './smolml-model.js';

function optimizer({ name, lr }: ModelSpec['optimizer']) {
  switch (name) {
    case 'sgd': return new SGD({ lr });
    case 'adagrad': return new AdaGrad({ lr });
    case 'adam': return new Adam({ lr });
  }
}

export function buildModel(spec: ModelSpec): SmolModel {
  const rng = createRng(spec.seed);
  const layers = spec.activations.map(
    (act, i) => new DenseLayer(spec.sizes[i]!, spec.sizes[i + 1]!, act, new XavierUniform(), { rng }),
  );
  const net = new NeuralNetwork(layers, spec.loss === 'mse' ? mseLoss : categoricalCrossEntropy, optimizer(spec.optimizer));
  return {
    api: '@smolml/nn NeuralNetwork.train',
    train(x: MLArray, y: MLArray, epochs: number, batchSize: number) {
      const history = net.train(x, y, { epochs, batchSize, shuffle: false });
      return history.loss[history.loss.length - 1]!;
    },
    predict: (x: MLArray) => net.predict(x),
  };
}
