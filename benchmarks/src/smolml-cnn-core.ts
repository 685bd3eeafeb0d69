/**
 * W5 written with @smolml/core ops and a hand-written loop (SMOLML_BENCH_API=core): the same
 * network as smolml-cnn.ts (conv2d + channel bias + relu, maxPool2d, reshape, DenseLayer), the
 * same initialisation as the layers (He-uniform conv weights, zero biases), and a loop that does
 * what NeuralNetwork.train does (forward, loss, backward, optimizer step, zero gradients, in
 * order, no shuffling). The difference from the layers' time is the cost of the nn API.
 */
import { MLArray, type Rng, createRng, noGrad } from '@smolml/core';
import { HeUniform, Zeros } from '@smolml/init';
import { categoricalCrossEntropy } from '@smolml/losses';
import { DenseLayer } from '@smolml/nn';
import { Adam } from '@smolml/optim';
import type { SmolModel } from './smolml-model.js';

interface Stage {
  forward(x: MLArray): MLArray;
  parameters(): MLArray[];
}

function conv2dRelu(inChannels: number, outChannels: number, rng: Rng): Stage {
  const weights = new HeUniform().initialize([outChannels, inChannels, 3, 3], rng);
  weights.requiresGrad = true;
  const biases = new Zeros().initialize([1, outChannels, 1, 1]);
  biases.requiresGrad = true;
  return {
    forward: (x) => x.conv2d(weights, { padding: 1 }).add(biases).relu(),
    parameters: () => [weights, biases],
  };
}

const maxPool2: Stage = { forward: (x) => x.maxPool2d(2), parameters: () => [] };
const flatten: Stage = { forward: (x) => x.reshape([x.shape[0]!, -1]), parameters: () => [] };

/** The W5 network with its Adam optimizer (learning rate `lr`), seeded. */
export function buildCnnCore(seed: number, lr: number): SmolModel {
  const rng = createRng(seed);
  const dense = new DenseLayer(784, 10, 'softmax', { rng });
  const stages: Stage[] = [conv2dRelu(1, 8, rng), maxPool2, conv2dRelu(8, 16, rng), maxPool2, flatten, dense];
  const params = stages.flatMap((s) => s.parameters());
  const optimizer = new Adam({ lr });
  const forward = (x: MLArray) => stages.reduce((h, s) => s.forward(h), x);
  return {
    api: 'core ops (conv2d, maxPool2d) + DenseLayer, hand-written loop',
    train(x, y, epochs, batchSize) {
      const n = x.shape[0]!;
      const rowX = x.size / n;
      let last = 0;
      for (let e = 0; e < epochs; e++) {
        let sum = 0;
        for (let start = 0; start < n; start += batchSize) {
          const rows = Math.min(batchSize, n - start);
          const xb = MLArray.from(x.data.subarray(start * rowX, (start + rows) * rowX), { shape: [rows, ...x.shape.slice(1)] });
          const yb = MLArray.from(y.data.subarray(start * 10, (start + rows) * 10), { shape: [rows, 10] });
          const loss = categoricalCrossEntropy(forward(xb), yb);
          loss.backward();
          optimizer.step(params);
          optimizer.zeroGrad(params);
          sum += loss.item() * rows;
        }
        last = sum / n;
      }
      return last;
    },
    predict: (x) => noGrad(() => forward(x)),
  };
}
